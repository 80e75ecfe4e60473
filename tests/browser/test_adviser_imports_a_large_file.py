"""Issue 14: an adviser sends a large spreadsheet, and Chromium follows its progress page (which
refreshes itself, no script) through the check and the import, while `db_worker` runs the task."""

import re

import pytest
from playwright.sync_api import Page, expect

from programs.admin.transfer import ProgrammeResource
from programs.catalogue.roles import create_staff_user
from programs.models import Programme
from tests.browser.test_every_page_is_accessible import axe_violations
from tests.test_import_export import edit
from tests.test_import_task import run_worker

pytestmark = pytest.mark.browser

PASSWORD = "a-long-adviser-password"  # noqa: S105 (a test login)


def test_adviser_follows_a_large_import_to_the_end(
    page: Page, seeded_server, settings, tmp_path, screenshot
):
    settings.IMPORT_TASK_ROWS = 5
    create_staff_user("amina", "amina@example.org", PASSWORD)
    first = Programme.objects.order_by("slug").first()
    assert first is not None
    dataset = edit(ProgrammeResource().export(), first.slug, title="Renamed by the big file")
    upload = tmp_path / "programmes.csv"
    upload.write_bytes(dataset.csv.encode())
    url = seeded_server.url

    page.goto(f"{url}/admin/programs/programme/import/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("File to import").set_input_files(upload)
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()

    status = page.locator("#import-job-status")
    expect(status).to_have_text("Waiting to be checked")
    expect(page).to_have_url(re.compile(r"/import/jobs/\d+/$"))
    run_worker()
    # The page refreshes itself every 2 seconds.
    expect(status).to_have_text("Checked: ready to import", timeout=10_000)
    expect(page.get_by_text("Changed: 1")).to_be_visible()
    assert axe_violations(page, "light") == ""
    screenshot("admin-large-import-checked")

    page.get_by_role("button", name=f"Import these {len(dataset)} rows").click()
    expect(status).to_have_text("Waiting to be imported")
    run_worker()
    expect(status).to_have_text("Imported", timeout=10_000)
    expect(page.get_by_text("What the import did")).to_be_visible()
    assert Programme.objects.get(slug=first.slug).title == "Renamed by the big file"
