"""Issue 14: a large import runs as a background task (django-tasks-db's `db_worker`, run here in
the test's own process) with a progress page, in the admin's two steps: check, then import once an
adviser confirms. The same rules as a small import hold: conflicts refused, unchanged rows write
nothing, every problem in the spreadsheet's row numbers, all or nothing."""

from __future__ import annotations

import pytest
import tablib
from django.contrib.admin.models import ADDITION, LogEntry
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from programs.admin.import_jobs import CHECK_PART_ROWS, live_count_key, queue_import
from programs.admin.uploads import SafeXLSX
from programs.models import ImportJob, Programme
from tests.factories import make_programme
from tests.test_import_export import CSV, IMPORT, as_csv, edit, exported, row_index

Status = ImportJob.Status

# The worker checks its connection between tasks as in production, which would close the one a
# test transaction is open on (PostgreSQL): these tests commit, and the tables are emptied after.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


@pytest.fixture
def task_rows(settings):
    """Files with more than 3 rows go to the task (the real threshold is in the hundreds)."""
    settings.IMPORT_TASK_ROWS = 3


@pytest.fixture
def five_programmes(db):
    return [make_programme(slug=f"p{n}", title=f"Programme {n}") for n in range(1, 6)]


def bulk_programmes(like: Programme, count: int) -> None:
    """`count` more programmes like `like`, in one query (slugs bulk-00000, bulk-00001…)."""
    Programme.objects.bulk_create(
        Programme(
            slug=f"bulk-{n:05}",
            title=f"Bulk programme {n}",
            summary=like.summary,
            programme_type=like.programme_type,
            status=like.status,
            pay=like.pay,
            application_url=f"https://example.org/bulk-{n}/apply",
            application_url_source=like.application_url_source,
            application_url_checked_on=like.application_url_checked_on,
            organisation=like.organisation,
            source_guide=like.source_guide,
            source_section=like.source_section,
        )
        for n in range(count)
    )


def run_worker() -> None:
    """`manage.py db_worker` as production runs it, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def send(client, dataset: tablib.Dataset, **extra):
    return client.post(IMPORT, {"format": CSV, "import_file": as_csv(dataset), **extra})


def job_page(job: ImportJob) -> str:
    return reverse("admin:programs_programme_import_job", args=[job.pk])


def confirm(client, job: ImportJob):
    return client.post(reverse("admin:programs_programme_confirm_import_job", args=[job.pk]))


def test_a_small_file_keeps_the_immediate_preview(adviser_client, five_programmes, settings):
    settings.IMPORT_TASK_ROWS = 5

    response = send(adviser_client, edit(exported(), "p1", title="Renamed"))

    assert response.status_code == 200 and "confirm_form" in response.context
    assert not ImportJob.objects.exclude(status=Status.PREVIEWED).exists()


def test_a_large_file_is_checked_by_the_worker_then_imported_once_confirmed(
    adviser_client, adviser, five_programmes, task_rows
):
    dataset = edit(exported(), "p2", title="Programme two, renamed")

    response = send(adviser_client, dataset)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job_page(job)
    waiting = adviser_client.get(job_page(job))
    assert '<meta http-equiv="refresh" content="2">' in waiting.text
    assert "Waiting to be checked" in waiting.text

    run_worker()
    checked = adviser_client.get(job_page(job))
    assert "Checked: ready to import" in checked.text and "Changed: 1" in checked.text
    assert 'http-equiv="refresh"' not in checked.text
    assert Programme.objects.get(slug="p2").title == "Programme 2"  # nothing written by the check

    confirm(adviser_client, job)
    assert "Waiting to be imported" in adviser_client.get(job_page(job)).text
    run_worker()

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.data) == (Status.IMPORTED, 5, b"")
    assert job.summary["changed"]["count"] == 1 and job.summary["unchanged"]["count"] == 4
    renamed = Programme.objects.get(slug="p2")
    assert renamed.title == "Programme two, renamed"
    latest = renamed.history.latest()
    assert latest.history_user == adviser and latest.revision is not None
    assert "What the import did" in adviser_client.get(job_page(job)).text


def test_the_import_page_links_to_recent_large_imports(adviser_client, five_programmes, task_rows):
    send(adviser_client, exported())
    job = ImportJob.objects.get()

    page = adviser_client.get(IMPORT).text

    assert "more than 3 rows is checked and imported in the background" in page
    assert f'<a href="{job_page(job)}">programmes.csv</a>: Waiting to be checked' in page


def test_unchanged_rows_write_nothing_through_the_task(adviser_client, five_programmes, task_rows):
    before = {p.slug: (p.updated_at, p.history.count()) for p in Programme.objects.all()}

    send(adviser_client, exported())
    run_worker()
    confirm(adviser_client, ImportJob.objects.get())
    run_worker()

    assert ImportJob.objects.get().summary["unchanged"]["count"] == 5
    after = {p.slug: (p.updated_at, p.history.count()) for p in Programme.objects.all()}
    assert after == before


def test_new_rows_are_logged_for_the_adviser_who_sent_the_file(
    adviser_client, adviser, five_programmes, task_rows
):
    dataset = exported()
    dataset.append(
        tuple(
            {"slug": "p6", "title": "Programme 6", "updated_at": ""}.get(header, cell)
            for header, cell in zip(dataset.headers, dataset[0], strict=True)
        )
    )

    send(adviser_client, dataset)
    run_worker()
    confirm(adviser_client, ImportJob.objects.get())
    run_worker()

    assert Programme.objects.filter(slug="p6").exists()
    entry = LogEntry.objects.get(action_flag=ADDITION)
    assert (entry.user, entry.object_repr) == (adviser, "Programme 6")


def test_problems_are_listed_with_spreadsheet_row_numbers_and_nothing_can_be_imported(
    adviser_client, five_programmes, task_rows
):
    dataset = edit(exported(), "p4", pay="sometimes")
    Programme.objects.get(slug="p5").save()  # changed after the export: a conflict
    dataset = edit(dataset, "p5", title="From the old file")

    send(adviser_client, dataset)
    run_worker()

    job = ImportJob.objects.get()
    page = adviser_client.get(job_page(job)).text
    assert (job.status, job.data) == (Status.REFUSED, b"")
    assert [row["row"] for row in job.summary["invalid"]["rows"]] == [row_index(dataset, "p4") + 2]
    assert [row["row"] for row in job.summary["conflicts"]["rows"]] == [
        row_index(dataset, "p5") + 2
    ]
    assert "Choose one of: paid" in page and "after this file was exported" in page
    assert "Import these" not in page
    assert confirm(adviser_client, job).status_code == 302
    assert ImportJob.objects.get().status == Status.REFUSED
    assert Programme.objects.get(slug="p5").title == "Programme 5"


def test_a_conflict_that_appears_after_the_check_refuses_the_whole_import(
    adviser_client, five_programmes, task_rows
):
    dataset = edit(exported(), "p1", title="First, renamed")
    dataset = edit(dataset, "p3", title="Third, renamed")
    send(adviser_client, dataset)
    run_worker()
    third = Programme.objects.get(slug="p3")
    third.summary = "Another adviser's newer work."
    third.save()

    confirm(adviser_client, ImportJob.objects.get())
    run_worker()

    job = ImportJob.objects.get()
    assert job.status == Status.REFUSED
    assert [row["slug"] for row in job.summary["conflicts"]["rows"]] == ["p3"]
    assert Programme.objects.get(slug="p1").title == "Programme 1"  # all or nothing
    assert Programme.objects.get(slug="p3").summary == "Another adviser's newer work."


def test_overwrite_newer_changes_travels_with_the_job(adviser_client, five_programmes, task_rows):
    dataset = edit(exported(), "p1", title="From the file")
    Programme.objects.get(slug="p1").save()

    send(adviser_client, dataset, overwrite_newer="on")
    run_worker()
    confirm(adviser_client, ImportJob.objects.get())
    run_worker()

    assert Programme.objects.get(slug="p1").title == "From the file"


def test_a_refused_upload_is_still_refused_on_the_form(adviser_client, five_programmes, settings):
    settings.IMPORT_TASK_ROWS = 3
    settings.IMPORT_MAX_ROWS = 4

    response = send(adviser_client, exported())

    assert "This file has 5 rows; an import takes at most 4." in response.text
    assert not ImportJob.objects.exists()


def test_the_progress_pages_need_the_import_permission(client, five_programmes, task_rows, db):
    from django.contrib.auth import get_user_model

    job = ImportJob.objects.create(file_name="x.csv", file_format="csv", data=b"", total_rows=9)
    viewer = get_user_model().objects.create_user(
        "viewer", password="a-long-viewer-pass", is_staff=True
    )
    client.force_login(viewer)

    assert client.get(job_page(job)).status_code == 403
    assert confirm(client, job).status_code == 403


def test_row_numbers_stay_the_spreadsheets_across_the_parts_of_a_long_check(
    adviser_client, task_rows
):
    """The check runs in parts (CHECK_PART_ROWS); a problem in a later part keeps its row."""
    first = make_programme(slug="seed")
    bulk_programmes(first, 299)
    dataset = edit(exported(Programme.objects.order_by("slug")), "bulk-00280", pay="sometimes")

    send(adviser_client, dataset)
    run_worker()

    job = ImportJob.objects.get()
    assert len(dataset) > CHECK_PART_ROWS and job.status == Status.REFUSED
    assert [row["row"] for row in job.summary["invalid"]["rows"]] == [
        row_index(dataset, "bulk-00280") + 2
    ]
    assert job.summary["unchanged"]["count"] == 299


def test_a_file_the_worker_cannot_read_fails_with_its_reason_and_saves_nothing(
    adviser_client, adviser, five_programmes
):
    job = queue_import(
        b"not a spreadsheet", SafeXLSX(), "broken.xlsx", 9, adviser, overwrite_newer=False
    )

    run_worker()

    job.refresh_from_db()
    page = adviser_client.get(job_page(job)).text
    assert (job.status, job.data) == (Status.FAILED, b"")
    assert "The task stopped, and nothing was saved" in page
    assert "not a valid zip archive" in page and 'http-equiv="refresh"' not in page


def test_while_importing_the_page_shows_the_rows_saved_so_far_when_the_cache_knows(
    adviser_client, adviser
):
    job = ImportJob.objects.create(
        file_name="big.csv", file_format="csv", data=b"", total_rows=500, status=Status.IMPORTING
    )
    assert "Rows saved" not in adviser_client.get(job_page(job)).text

    cache.set(live_count_key(job.pk), 200)
    page = adviser_client.get(job_page(job)).text

    assert "Rows saved" in page and "200 of 500." in page
    assert '<meta http-equiv="refresh" content="2">' in page
