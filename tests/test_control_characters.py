"""Control characters (a bell, an escape, C1 codes pasted from a terminal or a PDF) never get into
stored text, and whatever an older row holds, the Atom feed and the XLSX export still answer."""

import io
import xml.etree.ElementTree as ET

import openpyxl
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from programs.admin.transfer import ProgrammeResource
from programs.admin.uploads import SafeXLSX
from programs.models import Programme
from tests.factories import make_programme
from tests.test_admin import admin_url, change_form_post

pytestmark = pytest.mark.django_db

# Rows only the code writes (a fixture's fingerprint, an import job's state, an editing
# session's ping, an alert's record of a sent message, a search document's word), never typed text.
WRITTEN_BY_CODE = {"FixtureRecord", "ImportJob", "EditingSession", "AlertMessage", "SearchWord"}


def text_fields():
    for model in apps.get_app_config("programs").get_models():
        if model.__name__.startswith("Historical") or model.__name__ in WRITTEN_BY_CODE:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField):
                yield pytest.param(model, field, id=f"{model.__name__}.{field.name}")


def control_character_errors(instance: models.Model, field: models.Field) -> str:
    others = [f.name for f in type(instance)._meta.concrete_fields if f.name != field.name]
    with pytest.raises(ValidationError) as raised:
        instance.clean_fields(exclude=others)
    return " ".join(raised.value.message_dict[field.name])


@pytest.mark.parametrize(("model", "field"), list(text_fields()))
def test_every_text_field_refuses_a_control_character(model, field):
    instance = model()
    setattr(instance, field.attname, "Surgery\x07elective")

    assert "U+0007" in control_character_errors(instance, field)


@pytest.mark.parametrize(
    "control", ["\x00", "\x08", "\x0b", "\x1b", "\x7f", "\x85", "\x9f", "\uffff"]
)
def test_every_kind_of_control_character_is_refused(control):
    programme = Programme(title=f"Surgery{control}elective")

    assert f"U+{ord(control):04X}" in control_character_errors(
        programme, Programme._meta.get_field("title")
    )


def test_tabs_and_line_breaks_stay_welcome_in_multi_line_text():
    programme = make_programme(summary="First line.\r\n\tIndented second line.")

    programme.full_clean()


def test_an_escape_sequence_in_the_admin_is_a_form_error_and_changes_nothing(client, staff):
    client.force_login(staff)
    programme = make_programme(title="Surgery elective")
    url = admin_url("programme", "change", programme.pk)
    data = change_form_post(client.get(url))
    data["title"] = "Surgery \x1b[31melective"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "control character U+001B" in response.content.decode()
    programme.refresh_from_db()
    assert programme.title == "Surgery elective"


def older_row_with_control_characters() -> Programme:
    programme = make_programme(title="Cardiology elective")
    # Stored without validation, as an old row or a raw SQL fix would be.
    Programme.objects.filter(pk=programme.pk).update(
        title="Cardiology\x07 elective\x1b", summary="Ward rounds\x0c and clinics\x85."
    )
    return programme


def test_the_atom_feed_answers_whatever_an_older_row_holds(client):
    older_row_with_control_characters()

    response = client.get("/programmes/feed.atom")

    assert response.status_code == 200
    feed = ET.fromstring(b"".join(response))  # noqa: S314 (our own response)
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]
    assert "Cardiology elective" in titles


def test_the_admin_xlsx_export_answers_whatever_an_older_row_holds():
    older_row_with_control_characters()

    xlsx = SafeXLSX().export_data(ProgrammeResource().export(Programme.objects.all()))

    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    values = [str(cell.value) for row in sheet.iter_rows() for cell in row]
    assert any(value.startswith("Cardiology") and "elective" in value for value in values)
