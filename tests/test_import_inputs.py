"""Issue 24, "Inputs that reach the server", for imports: the confirmation reads only a file the
signed-in adviser's own preview stored (by id; a forged `import_file_name` touches no file); an
XLSX whose cells would take openpyxl half a minute is refused (or read by the worker) before it is
parsed; and a CSV's encoding is read correctly or refused with a message. Through the admin over
HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from programs.catalogue.roles import create_staff_user
from programs.models import ImportJob, Programme
from tests.test_import_export import (  # noqa: F401 (fixtures)
    CSV,
    IMPORT,
    PROCESS,
    adviser_client,
    edit,
    exported,
    two_programmes,
)
from tests.test_import_safety import preview

pytestmark = pytest.mark.django_db
XLSX = "1"


# The confirmation: an id of this adviser's own preview, never a file name.


@pytest.mark.parametrize("name", ["{victim}", "../{victim}", "{folder}/{victim}", "0"])
def test_a_forged_file_name_on_the_confirmation_touches_no_file_and_saves_nothing(
    adviser_client,  # noqa: F811
    two_programmes,  # noqa: F811
    name,
):
    victim = Path(tempfile.gettempdir()) / f"victim-{os.getpid()}.txt"
    victim.write_text("someone else's file")
    forged = name.format(victim=victim.name, folder=victim.parent)
    try:
        response = adviser_client.post(
            PROCESS,
            {"import_file_name": forged, "original_file_name": "x.csv", "format": CSV},
            follow=True,
        )
        assert victim.read_text() == "someone else's file"
    finally:
        victim.unlink(missing_ok=True)
    assert response.status_code == 200
    assert "not waiting for your confirmation" in response.text
    assert Programme.objects.get(slug="first").title == "First"


def test_another_advisers_preview_cannot_be_confirmed_and_stays_hers(
    adviser_client,  # noqa: F811
    two_programmes,  # noqa: F811
):
    dataset = edit(exported(), "first", title="First, by Amina")
    amina = Client()
    amina.force_login(create_staff_user("amina", "amina@example.org", "a-long-password-1"))
    amina_preview = preview(amina, dataset)
    initial = amina_preview.context["confirm_form"].initial
    assert ImportJob.objects.get(pk=int(initial["import_file_name"])).status == "previewed"

    adviser_client.post(PROCESS, initial)

    assert Programme.objects.get(slug="first").title == "First"
    amina.post(PROCESS, initial)
    assert Programme.objects.get(slug="first").title == "First, by Amina"
    assert not ImportJob.objects.filter(status=ImportJob.Status.PREVIEWED).exists()


def test_previews_are_not_listed_as_large_imports(adviser_client, two_programmes):  # noqa: F811
    preview(adviser_client, edit(exported(), "first", title="First, renamed"))

    response = adviser_client.get(IMPORT)

    assert list(response.context["recent_import_jobs"]) == []


# XLSX: cells counted before openpyxl builds them.


def xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """A real workbook (openpyxl's) whose first sheet is replaced by `sheet_xml`."""
    book = io.BytesIO(tablib.Dataset(["x"], headers=["slug"]).export("xlsx"))
    out = io.BytesIO()
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = sheet_xml
            copy.writestr(member, data)
    return out.getvalue()


def wide_sheet(rows: int, cells_per_row: int) -> bytes:
    row = b"<row>" + b"<c><v>1</v></c>" * cells_per_row + b"</row>"
    return (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + row * rows + b"</sheetData></worksheet>"
    )


def test_a_small_xlsx_of_millions_of_cells_is_refused_before_it_is_parsed(
    adviser_client,  # noqa: F811
    two_programmes,  # noqa: F811
):
    # The attack of issue 24: a few hundred KB that unpacks to about 45 MB of cells.
    data = xlsx_with_sheet(wide_sheet(rows=150, cells_per_row=18_000))
    assert len(data) < 400_000

    response = adviser_client.post(
        IMPORT, {"format": XLSX, "import_file": SimpleUploadedFile("wide.xlsx", data)}
    )

    assert response.status_code == 200
    assert "holds 2,700,000 cells; an import reads at most 800,000" in response.text
    assert not ImportJob.objects.exists()


def test_an_xlsx_too_large_to_read_in_a_request_goes_to_the_worker_unparsed(
    adviser_client,  # noqa: F811
    two_programmes,  # noqa: F811
    settings,
):
    settings.IMPORT_TASK_ROWS = 1  # more than 2 × 40 cells: read by the worker
    data = exported().export("xlsx")

    response = adviser_client.post(
        IMPORT, {"format": XLSX, "import_file": SimpleUploadedFile("p.xlsx", data)}
    )

    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/import/jobs/{job.pk}/")
    assert (job.status, job.total_rows) == (ImportJob.Status.CHECK_QUEUED, 2)


# CSV encodings: read right, or refused with a message.


def test_a_utf16_csv_with_its_byte_order_mark_reads_correctly(
    adviser_client,  # noqa: F811
    two_programmes,  # noqa: F811
):
    dataset = edit(exported(), "first", title="Clinique de Zürich — élective")

    response = preview(adviser_client, dataset, encoding="utf-16")
    adviser_client.post(PROCESS, response.context["confirm_form"].initial)

    assert Programme.objects.get(slug="first").title == "Clinique de Zürich — élective"


@pytest.mark.parametrize(
    ("encoding", "message"),
    [("utf-16-le", "UTF-16 text without a byte-order mark"), ("shift_jis", "Shift-JIS")],
)
def test_a_csv_in_an_encoding_that_cannot_be_read_safely_is_refused_with_a_message(
    adviser_client,  # noqa: F811
    two_programmes,  # noqa: F811
    encoding,
    message,
):
    dataset = edit(exported(), "first", title="東京医科大学の臨床実習プログラム")

    response = preview(adviser_client, dataset, encoding=encoding)

    assert response.status_code == 200
    assert message in response.text
    assert "CSV UTF-8" in response.text
    assert "result" not in response.context or response.context["result"] is None
    assert Programme.objects.get(slug="first").title == "First"
