"""Moving data in and out safely: spreadsheets in admin (all or nothing, with a dry run first)
and the natural-key fixtures `export_directory` writes and `load_directory` reads back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from programs.admin.transfer import ProgrammeResource
from programs.catalogue.fixture_export import FILE_MODELS, export_directory
from programs.catalogue.loading import FIXTURE_FILES, load_directory
from programs.models import Programme
from tests.factories import make_country, make_programme

IMPORT = reverse("admin:programs_programme_import")
PROCESS = reverse("admin:programs_programme_process_import")
CSV = "0"  # the first of ProgrammeAdmin.formats


@pytest.fixture
def two_programmes(db):
    country = make_country("GB", name="United Kingdom")
    first = make_programme(slug="first", title="First", countries=[country], duration_min_weeks=2)
    second = make_programme(slug="second", title="Second", duration_max_weeks=6)
    return first, second


def exported(queryset=None) -> tablib.Dataset:
    return ProgrammeResource().export(queryset)


def as_csv(dataset: tablib.Dataset) -> SimpleUploadedFile:
    return SimpleUploadedFile("programmes.csv", dataset.csv.encode(), content_type="text/csv")


def row_index(dataset: tablib.Dataset, slug: str) -> int:
    return dataset["slug"].index(slug)


def edit(dataset: tablib.Dataset, slug: str, **values) -> tablib.Dataset:
    index = row_index(dataset, slug)
    row = dict(zip(dataset.headers, dataset[index], strict=True))
    row.update(values)
    dataset[index] = tuple(row[header] for header in dataset.headers)
    return dataset


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


def test_export_gives_one_row_per_programme_with_natural_keys(two_programmes):
    dataset = exported(Programme.objects.order_by("slug"))

    assert dataset["slug"] == ["first", "second"]
    first = dict(zip(dataset.headers, dataset[0], strict=True))
    assert first["countries"] == "GB"
    assert first["organisation"] == two_programmes[0].organisation.slug
    assert "id" not in dataset.headers


def test_an_exported_file_reimports_with_every_row_unchanged(two_programmes):
    result = ProgrammeResource().import_data(exported(), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == 2


def test_one_bad_row_rejects_the_whole_import_through_the_resource(two_programmes):
    dataset = edit(exported(), "first", title="First, renamed")
    dataset = edit(dataset, "second", duration_min_weeks=9, duration_max_weeks=3)

    result = ProgrammeResource().import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert invalid.number == row_index(dataset, "second") + 1
    assert "duration_max_weeks" in invalid.field_specific_errors
    assert Programme.objects.get(slug="first").title == "First"


def test_the_admin_dry_run_previews_changes_without_saving_them(adviser_client, two_programmes):
    dataset = edit(exported(), "first", title="First, renamed")

    response = adviser_client.post(IMPORT, {"format": CSV, "import_file": as_csv(dataset)})

    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["update", "skip"]
    assert "confirm_form" in response.context
    assert Programme.objects.get(slug="first").title == "First"


def test_confirming_the_preview_saves_every_row_and_records_who_in_history(
    adviser_client, adviser, two_programmes
):
    dataset = edit(exported(), "first", title="First, renamed")
    preview = adviser_client.post(IMPORT, {"format": CSV, "import_file": as_csv(dataset)})
    confirm = preview.context["confirm_form"].initial

    response = adviser_client.post(PROCESS, confirm)

    assert response.status_code == 302
    first = Programme.objects.get(slug="first")
    assert first.title == "First, renamed"
    assert first.history.latest().history_user == adviser


def test_a_bad_row_in_the_admin_import_names_row_and_field_and_saves_nothing(
    adviser_client, two_programmes
):
    dataset = edit(exported(), "first", title="First, renamed")
    dataset = edit(dataset, "second", deadline_kind="rolling", deadline_lead_weeks="")

    response = adviser_client.post(IMPORT, {"format": CSV, "import_file": as_csv(dataset)})

    html = response.content.decode()
    (invalid,) = response.context["result"].invalid_rows
    assert invalid.number == row_index(dataset, "second") + 1
    # Issue 16: shown in the spreadsheet's own numbering (the header is row 1).
    assert f"<td>{invalid.number + 1}</td><td>second</td>" in html
    assert "confirm_form" not in response.context
    assert "deadline_lead_weeks" in html
    assert "lead time in weeks" in html
    assert Programme.objects.get(slug="first").title == "First"


def test_an_unknown_organisation_is_an_error_on_that_field(adviser_client, two_programmes):
    dataset = edit(exported(), "second", organisation="no-such-organisation")

    response = adviser_client.post(IMPORT, {"format": CSV, "import_file": as_csv(dataset)})

    assert response.status_code == 200
    (invalid,) = response.context["result"].invalid_rows
    assert invalid.field_specific_errors["organisation"] == [
        "No organisation has slug 'no-such-organisation'."
    ]
    assert "confirm_form" not in response.context


def test_an_unknown_country_code_rejects_the_import_instead_of_being_dropped(two_programmes):
    dataset = edit(exported(), "first", countries="GB|XX", title="First, renamed")

    result = ProgrammeResource().import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert result.invalid_rows[0].error_dict["countries"] == ["No countries with code XX."]
    first = Programme.objects.get(slug="first")
    assert first.title == "First"


def test_xlsx_is_offered_for_import_and_export(adviser_client, db):
    response = adviser_client.get(IMPORT)

    formats = dict(response.context["form"].fields["format"].choices)
    assert {"csv", "xlsx"} <= set(formats.values())


def test_an_xlsx_file_previews_like_a_csv_file(adviser_client, two_programmes):
    dataset = edit(exported(), "second", title="Second, renamed")
    upload = SimpleUploadedFile("programmes.xlsx", dataset.export("xlsx"))

    response = adviser_client.post(IMPORT, {"format": "1", "import_file": upload})

    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.rows] == ["skip", "update"]


def test_a_stranger_cannot_reach_the_import_page(client, db):
    response = client.get(IMPORT)

    assert response.status_code == 302


# The fixture files.


def test_the_export_writes_the_files_load_directory_reads(db, tmp_path):
    paths = export_directory(tmp_path)

    assert [path.name for path in paths] == list(FIXTURE_FILES) == list(FILE_MODELS)


def test_every_directory_model_is_exported_in_some_file_or_named_as_local_data():
    from django.apps import apps

    from programs.catalogue.fixture_export import NOT_IN_FIXTURES

    exported_models = {label for labels in FILE_MODELS.values() for label in labels}
    exported_models |= set(NOT_IN_FIXTURES)
    directory_models = {
        model._meta.label_lower
        for model in apps.get_app_config("programs").get_models()
        if not model.__name__.startswith("Historical")
    }

    assert exported_models == directory_models


def read_all(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FIXTURE_FILES}


@pytest.mark.django_db(transaction=True)
def test_export_then_flush_then_load_then_export_is_byte_identical(tmp_path):
    # A real flush (TRUNCATE on PostgreSQL) cannot run inside the usual test transaction.
    load_directory()
    call_command("export_directory", tmp_path / "first", stdout=io.StringIO())
    call_command("flush", interactive=False, verbosity=0)
    assert not Programme.objects.exists()

    load_directory(tmp_path / "first")
    call_command("export_directory", tmp_path / "second", stdout=io.StringIO())

    assert read_all(tmp_path / "first") == read_all(tmp_path / "second")
    assert Programme.objects.count() == 18


def test_the_export_leaves_out_timestamps_and_who_verified(seeded, tmp_path):
    export_directory(tmp_path)

    text = (tmp_path / "programmes.yaml").read_text()
    assert "updated_at" not in text
    assert "verified_by" not in text
    assert "pk:" not in text
