"""Hostile text and files: line breaks in single-line fields, formulas in exports, odd text in
calendars, oversized and zip-bomb uploads, large anonymous bodies."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from programs.admin.transfer import ProgrammeResource
from programs.admin.uploads import SafeCSV, SafeXLSX, UploadRefused
from programs.models import Programme
from tests.factories import make_organisation, make_programme
from tests.test_admin import admin_url, change_form_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_a_title_with_a_line_break_is_a_form_error_in_the_admin(staff_client):
    programme = make_programme(title="Surgery elective")
    url = admin_url("programme", "change", programme.pk)
    data = change_form_post(staff_client.get(url))
    data["title"] = "Surgery\r\nDTSTART:19700101"

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert "This is a single line" in response.content.decode()
    programme.refresh_from_db()
    assert programme.title == "Surgery elective"


@pytest.mark.parametrize("text", ["two\nlines", "carriage\rreturn", "line\u2028separator"])
def test_every_single_line_field_refuses_line_breaks(text):
    organisation = make_organisation()
    organisation.name = text

    with pytest.raises(ValidationError) as raised:
        organisation.full_clean()

    assert "name" in raised.value.message_dict


def test_multi_line_text_keeps_its_line_breaks():
    programme = make_programme(summary="First line.\nSecond line.")

    programme.full_clean()


def test_a_calendar_is_made_whatever_odd_text_a_stored_title_holds(client):
    programme = make_programme(deadline_kind="fixed", deadline_month=3, deadline_day=1)
    # Stored without validation, as an old row or a raw SQL fix would be.
    Programme.objects.filter(pk=programme.pk).update(
        title="Evil\r\nBEGIN:VEVENT\u2028\x0b", deadline_note="1 March\r\nATTACH:x"
    )

    response = client.get(f"/programmes/{programme.slug}/calendar.ics")
    calendar = client.get("/programmes/calendar.ics")

    assert response.status_code == 200
    assert calendar.status_code == 200
    for body in (response.content.decode(), calendar.content.decode()):
        lines = body.split("\r\n")
        assert lines.count("BEGIN:VEVENT") == 1
        assert not any(line.startswith("ATTACH") for line in lines)


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_the_public_csv_writes_formulas_as_text(client, start):
    make_programme(title=f'{start}HYPERLINK("http://evil.example")')

    rows = list(csv.DictReader(io.StringIO(b"".join(client.get("/programmes.csv")).decode())))

    assert rows[0]["title"] == f'\'{start}HYPERLINK("http://evil.example")'


def test_the_public_json_keeps_the_title_exact(client):
    make_programme(title="=1+1")

    assert b'"title": "=1+1"' in b"".join(client.get("/programmes.json"))


def test_the_admin_exports_write_no_live_formula():
    make_programme(title="=1+1", slug="formula")
    dataset = ProgrammeResource().export(Programme.objects.all())

    csv_text = SafeCSV().export_data(dataset)
    xlsx = SafeXLSX().export_data(ProgrammeResource().export(Programme.objects.all()))

    assert "'=1+1" in csv_text
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if "1+1" in str(cell.value)]
    assert cells and all(cell.data_type == "s" for cell in cells)


def zip_bomb(uncompressed: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * uncompressed)
    return buffer.getvalue()


def test_a_zip_bomb_xlsx_is_refused_before_it_is_opened(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 10 * 2**20
    bomb = zip_bomb(64 * 2**20)
    assert len(bomb) < 200_000

    with pytest.raises(UploadRefused, match=r"unpacks to 64\.0 MB"):
        SafeXLSX().create_dataset(bomb)


def test_an_oversized_import_gets_a_clear_message_on_the_form(staff_client, settings):
    settings.IMPORT_MAX_ROWS = 3
    header = "slug,title\n"
    body = "".join(f"row-{n},Title {n}\n" for n in range(5))
    upload = SimpleUploadedFile("big.csv", (header + body).encode(), content_type="text/csv")

    response = staff_client.post(
        admin_url("programme", "import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )

    assert response.status_code == 200
    assert "This file has 5 rows; an import takes at most 3" in response.content.decode()


def test_an_anonymous_client_cannot_send_a_large_body(client):
    response = client.post(
        "/admin/login/", data=b"x" * 100_000, content_type="application/octet-stream"
    )

    assert response.status_code == 413


def test_a_signed_in_adviser_may_send_a_larger_form(staff_client):
    response = staff_client.post(
        "/admin/logout/",
        data=b"x=" + b"y" * 100_000,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code != 413
