"""Issue 23, "Imports", in Chromium as an adviser: a spreadsheet with a bad number, a row whose
programme a colleague changed after the export, and unchanged rows. The first preview lists both
problems at once, in words and in the sheet's own row numbers, and offers nothing to confirm; the
adviser fixes the number, ticks "Import the other rows" and sends it again; the preview shows the
change as stored → new and the conflict left as it is; confirming imports the clean rows, lists
the row left, and keeps the colleague's work."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from programs.catalogue.roles import create_staff_user
from programs.models import Programme
from tests.test_import_export import edit, exported, row_index

pytestmark = pytest.mark.browser

FIXED = "stanford-pediatrics-internship-program"
PASSWORD = "a-long-adviser-password"  # noqa: S105 (a test login)


def test_adviser_fixes_a_bad_number_and_imports_the_rows_that_do_not_conflict(
    page: Page, seeded_server, tmp_path, screenshot
):
    dataset = exported()
    other = next(slug for slug in dataset["slug"] if slug != FIXED)
    old_title = Programme.objects.get(slug=FIXED).title
    bad = edit(exported(), FIXED, title="Stanford pediatrics (2027)", duration_min_weeks="six")
    bad = edit(bad, other, title="From the old spreadsheet")
    colleague = Programme.objects.get(slug=other)
    colleague.summary = "Newer work by a colleague, saved after the export."
    colleague.save()
    create_staff_user("amina", "amina@example.org", PASSWORD)
    first_file, second_file = tmp_path / "programmes.csv", tmp_path / "programmes-fixed.csv"
    first_file.write_bytes(bad.csv.encode())
    fixed = edit(bad, FIXED, duration_min_weeks="6")
    second_file.write_bytes(fixed.csv.encode())

    page.goto(f"{seeded_server.url}/admin/programs/programme/import/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("File to import").set_input_files(first_file)
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()

    summary = page.locator(".import-summary")
    expect(summary).to_contain_text("Other problems: 1")
    expect(summary).to_contain_text(
        "Conflicts (changed in the directory after this file was exported): 1"
    )
    problem = summary.locator("tr", has_text=FIXED)
    expect(problem).to_contain_text(str(row_index(bad, FIXED) + 2))
    expect(problem).to_contain_text("“six” is not a number")
    expect(page.get_by_text("Line number")).to_have_count(0)
    expect(page.locator("form[action$='process_import/']")).to_have_count(0)
    screenshot("admin-import-bad-number-and-conflict")

    page.get_by_label("File to import").set_input_files(second_file)
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_label("Import the other rows, leaving conflicting rows as they are").check()
    page.get_by_role("button", name="Submit").click()

    expect(summary).to_contain_text("Conflicts left as they are (not imported): 1")
    expect(summary).to_contain_text(f"Unchanged (skipped, nothing written): {len(dataset) - 2}")
    changed = summary.locator("tr", has_text=FIXED)
    expect(changed).to_contain_text(f"{old_title} → Stanford pediatrics (2027)")
    screenshot("admin-import-leaving-a-conflict")
    page.get_by_role("button", name="Confirm import").click()

    expect(page.locator(".messagelist")).to_contain_text(
        f"row {row_index(fixed, other) + 2} ({other})"
    )
    assert Programme.objects.get(slug=FIXED).title == "Stanford pediatrics (2027)"
    colleague.refresh_from_db()
    assert colleague.summary == "Newer work by a colleague, saved after the export."
    assert colleague.title != "From the old spreadsheet"
