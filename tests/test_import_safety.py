"""Issue 16: imports that cannot overwrite newer work. Unchanged rows write nothing, a row whose
programme changed after the export is a conflict, status moves only through an explicit column,
every error shows at once in the spreadsheet's row numbers, and Excel's encodings read."""

from __future__ import annotations

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.admin.transfer import ProgrammeResource, SpreadsheetCSV
from programs.catalogue.import_summary import summarise
from programs.models import Programme
from tests.factories import make_programme
from tests.test_import_export import CSV, IMPORT, PROCESS, edit, exported, row_index


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


@pytest.fixture
def two_programmes(db):
    return (
        make_programme(slug="first", title="First", status=Programme.Status.PUBLISHED),
        make_programme(slug="second", title="Second", status=Programme.Status.PUBLISHED),
    )


def upload(dataset: tablib.Dataset, encoding: str = "utf-8") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "programmes.csv", dataset.csv.encode(encoding), content_type="text/csv"
    )


def preview(client, dataset: tablib.Dataset, encoding: str = "utf-8", **extra):
    return client.post(IMPORT, {"format": CSV, "import_file": upload(dataset, encoding), **extra})


# Nothing changed, nothing written.


def test_reimporting_the_seeded_directorys_own_export_writes_nothing(seeded):
    before = {p.slug: (p.updated_at, p.history.count()) for p in Programme.objects.all()}

    result = ProgrammeResource().import_data(exported(), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == len(before) and result.totals["update"] == 0
    after = {p.slug: (p.updated_at, p.history.count()) for p in Programme.objects.all()}
    assert after == before


# Conflicts.


def test_a_row_changed_in_the_directory_after_the_export_is_a_refused_conflict(
    adviser_client, two_programmes
):
    old_file = edit(exported(), "first", title="First, from the old file")
    first = Programme.objects.get(slug="first")
    first.summary = "Newer work by another adviser."
    first.save()

    response = preview(adviser_client, old_file)

    summary = summarise(response.context["result"])
    assert [(c.row, c.slug) for c in summary.conflicts] == [
        (row_index(old_file, "first") + 2, "first")
    ]
    assert "after this file was exported" in response.text
    assert "confirm_form" not in response.context
    first.refresh_from_db()
    assert (first.title, first.summary) == ("First", "Newer work by another adviser.")


def test_an_adviser_may_override_a_conflict_on_purpose(adviser_client, two_programmes):
    old_file = edit(exported(), "first", title="First, from the old file")
    Programme.objects.filter(slug="first").update(summary="Newer work.")
    first = Programme.objects.get(slug="first")
    first.save()

    shown = preview(adviser_client, old_file, overwrite_newer="on")
    confirm = shown.context["confirm_form"].initial
    adviser_client.post(PROCESS, confirm)

    assert confirm["overwrite_newer"] is True
    assert Programme.objects.get(slug="first").title == "First, from the old file"


def test_an_old_export_never_republishes_a_programme_archived_since(adviser_client, two_programmes):
    old_file = exported()
    Programme.objects.get(slug="first").set_status(Programme.Status.ARCHIVED)

    shown = preview(adviser_client, old_file)
    adviser_client.post(PROCESS, shown.context["confirm_form"].initial)

    assert "status" not in old_file.headers
    assert Programme.objects.get(slug="first").status == Programme.Status.ARCHIVED


def test_status_changes_through_an_explicit_status_column(two_programmes):
    dataset = exported()
    dataset.append_col(["archived", "published"], header="status")

    ProgrammeResource().import_data(dataset, dry_run=False)

    assert Programme.objects.get(slug="first").status == Programme.Status.ARCHIVED


# Errors: all at once, in the spreadsheet's row numbers, with the valid choices.


def test_every_error_shows_at_once_with_spreadsheet_rows_and_valid_choices(
    adviser_client, two_programmes
):
    dataset = edit(exported(), "first", pay="sometimes")
    dataset = edit(dataset, "second", organisation="no-such-organisation")

    response = preview(adviser_client, dataset)

    summary = summarise(response.context["result"])
    rows = {outcome.slug: outcome for outcome in summary.invalid}
    assert rows["first"].row == row_index(dataset, "first") + 2
    assert rows["second"].row == row_index(dataset, "second") + 2
    assert "Choose one of: paid, stipend, partial, unpaid, fee, unknown." in " ".join(
        rows["first"].problems
    )
    assert "No organisation has slug 'no-such-organisation'." in " ".join(rows["second"].problems)
    assert "Every problem, row by row" in response.text


# Encodings.


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8"])
def test_excel_encodings_read_correctly(adviser_client, two_programmes, encoding):
    dataset = edit(exported(), "first", title="Clinique de Zürich — élective")

    response = preview(
        adviser_client, dataset, encoding="utf-8" if encoding == "utf-8" else encoding
    )
    adviser_client.post(PROCESS, response.context["confirm_form"].initial)

    assert Programme.objects.get(slug="first").title == "Clinique de Zürich — élective"


def test_the_csv_export_starts_with_a_byte_order_mark_for_excel(two_programmes):
    text = SpreadsheetCSV().export_data(exported())

    assert text.startswith("\ufeffslug,title,")
    assert SpreadsheetCSV().create_dataset(text.encode("utf-8"))["slug"] == ["first", "second"]
