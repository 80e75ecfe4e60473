"""Two advisers edit the same record: the second save, made from a stale form, is refused and
says what changed meanwhile; nothing is lost."""

import pytest
from django.test import Client

from programs.models import Organisation, Programme
from tests.factories import make_organisation, make_programme
from tests.test_admin import admin_url, change_form_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def amina(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def ben(staff):
    other = Client()
    other.force_login(staff)
    return other


def test_a_save_from_a_stale_form_is_refused_and_names_what_changed(amina, ben):
    programme = make_programme(title="Surgery elective", pay="unknown")
    url = admin_url("programme", "change", programme.pk)
    amina_form = change_form_post(amina.get(url))
    ben_form = change_form_post(ben.get(url))

    amina_form["title"] = "Surgery elective (Cape Town)"
    assert amina.post(url, amina_form).status_code == 302
    ben_form["pay_note"] = "Unpaid, as the guide says."
    response = ben.post(url, ben_form)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this record after you opened it" in html
    assert "Surgery elective (Cape Town)" in html
    programme.refresh_from_db()
    assert programme.title == "Surgery elective (Cape Town)"
    assert programme.pay_note == ""


def test_saving_again_after_reading_the_refusal_keeps_the_second_advisers_values(amina, ben):
    programme = make_programme(title="Surgery elective")
    url = admin_url("programme", "change", programme.pk)
    amina_form = change_form_post(amina.get(url))
    ben_form = change_form_post(ben.get(url))
    amina_form["title"] = "Amina's title"
    amina.post(url, amina_form)
    ben_form["title"] = "Ben's title"

    refused = ben.post(url, ben_form)
    again = ben.post(url, change_form_post(refused))

    assert again.status_code == 302
    programme.refresh_from_db()
    assert programme.title == "Ben's title"


def test_a_form_that_is_not_stale_saves_as_usual(amina):
    programme = make_programme(title="Surgery elective")
    url = admin_url("programme", "change", programme.pk)
    form = change_form_post(amina.get(url))
    form["title"] = "Renamed"

    assert amina.post(url, form).status_code == 302
    assert Programme.objects.get(pk=programme.pk).title == "Renamed"


def test_organisations_are_guarded_too(amina, ben):
    organisation = make_organisation(name="Groote Schuur")
    url = admin_url("organisation", "change", organisation.pk)
    amina_form = change_form_post(amina.get(url))
    ben_form = change_form_post(ben.get(url))
    amina_form["name"] = "Groote Schuur Hospital"
    amina.post(url, amina_form)

    response = ben.post(url, ben_form)

    assert "Groote Schuur Hospital" in response.content.decode()
    assert Organisation.objects.get(pk=organisation.pk).name == "Groote Schuur Hospital"
