"""Issue 16, in Chromium as an adviser on a laptop and a phone: a spreadsheet exported before a
colleague's edit is imported; the preview names the conflict (row, programme, why) in a summary,
offers nothing to confirm, and the colleague's work stays."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from programs.catalogue.roles import create_staff_user
from programs.models import Programme
from tests.browser.viewports import DESKTOP, PHONE
from tests.test_import_export import edit, exported, row_index

pytestmark = pytest.mark.browser

SLUG = "stanford-pediatrics-internship-program"
PASSWORD = "a-long-adviser-password"  # noqa: S105 (a test login)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_adviser_importing_an_old_export_sees_the_conflict_and_loses_nothing(
    page: Page, seeded_server, tmp_path, screenshot, viewport: ViewportSize
):
    old_file = edit(exported(), SLUG, title="Title from the old spreadsheet")
    programme = Programme.objects.get(slug=SLUG)
    title = programme.title
    programme.summary = "Newer work by a colleague, saved after the export."
    programme.save()
    upload = tmp_path / "programmes.csv"
    upload.write_bytes(old_file.csv.encode())
    create_staff_user("amina", "amina@example.org", PASSWORD)

    page.set_viewport_size(viewport)
    page.goto(f"{seeded_server.url}/admin/programs/programme/import/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("File to import").set_input_files(upload)
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()

    summary = page.locator(".import-summary")
    expect(summary).to_contain_text(
        "Conflicts (changed in the directory after this file was exported): 1"
    )
    conflict = summary.locator("tr", has_text=SLUG)
    expect(conflict).to_contain_text(str(row_index(old_file, SLUG) + 2))  # the sheet's own row
    expect(conflict).to_contain_text("after this file was exported")
    box = summary.bounding_box()
    assert box is not None and box["x"] + box["width"] <= viewport["width"]
    # Nothing to confirm: the import stops here.
    expect(page.locator("form[action$='process_import/']")).to_have_count(0)
    screenshot(f"admin-import-conflict-{viewport['width']}")

    programme.refresh_from_db()
    assert (programme.title, programme.summary) == (
        title,
        "Newer work by a colleague, saved after the export.",
    )
