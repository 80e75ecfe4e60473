"""Who else is editing (issue 23): the change form says, as rendered and without a script, who
else has opened the record in the last minutes; the form's script pings to stay listed, gets the
list back, hears when the record was saved meanwhile, and says goodbye when the page is left."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs.catalogue import writing
from programs.models import EditingSession
from programs.models.editing import PRESENT_FOR
from tests.factories import make_organisation, make_programme
from tests.test_admin import admin_url, change_form_post

pytestmark = pytest.mark.django_db


def presence_block(response) -> str:
    html = response.content.decode()
    start = html.index('id="editing-presence"')
    return html[start : html.index("</section>", start)]


def ping(client: Client, programme, **extra) -> str:
    url = reverse("admin:programs_programme_presence", args=[programme.pk])
    response = client.post(url, extra)
    assert response.status_code in (200, 204)
    return response.content.decode()


def test_the_change_form_names_who_else_has_the_record_open_without_a_script(amina, ben):
    programme = make_programme()
    url = admin_url("programme", "change", programme.pk)
    amina.get(url)

    shown = presence_block(ben.get(url))

    assert "Amina" in shown and "has it open" in shown
    assert "Ben" not in shown  # not yourself


def test_nobody_else_is_named_when_nobody_else_has_it_open(amina):
    programme = make_programme()

    shown = presence_block(amina.get(admin_url("programme", "change", programme.pk)))

    assert "Nobody else has it open." in shown


def test_an_adviser_who_left_minutes_ago_is_no_longer_listed(amina, ben):
    programme = make_programme()
    url = admin_url("programme", "change", programme.pk)
    amina.get(url)
    EditingSession.objects.update(last_seen=timezone.now() - PRESENT_FOR - datetime.timedelta(1))

    assert "Amina" not in presence_block(ben.get(url))


def test_a_ping_keeps_an_adviser_listed_and_answers_the_list(amina, ben):
    programme = make_programme()
    url = admin_url("programme", "change", programme.pk)
    amina.get(url)
    ben.get(url)
    EditingSession.objects.update(last_seen=timezone.now() - PRESENT_FOR - datetime.timedelta(1))

    ping(ben, programme)  # Ben's form is still open; Amina's has not pinged for minutes

    assert "Amina" not in presence_block(ben.get(url))
    assert "Ben" in ping(amina, programme)
    assert "Amina" in ping(ben, programme)


def test_leaving_the_page_takes_the_adviser_off_the_list(amina, ben):
    programme = make_programme()
    url = admin_url("programme", "change", programme.pk)
    amina.get(url)

    ping(amina, programme, gone="1")

    assert "Amina" not in presence_block(ben.get(url))


def test_a_ping_says_when_the_record_was_saved_since_the_form_was_loaded(amina):
    programme = make_programme()
    url = admin_url("programme", "change", programme.pk)
    token = change_form_post(amina.get(url))["edit_state"]
    assert "Someone saved this record" not in ping(amina, programme, edit_state=token)

    with writing.programme_write(programme.pk):
        programme.pay_note = "Unpaid."
        programme.save()

    assert "Someone saved this record after you opened it" in ping(
        amina, programme, edit_state=token
    )


def test_the_ping_is_post_only_and_needs_permission_to_see_the_record(amina, client):
    programme = make_programme()
    url = reverse("admin:programs_programme_presence", args=[programme.pk])

    assert amina.get(url).status_code == 405
    assert client.post(url).status_code == 302  # not signed in: to the login page


def test_every_directory_record_has_the_list_not_only_programmes(amina, ben):
    organisation = make_organisation()
    url = admin_url("organisation", "change", organisation.pk)
    amina.get(url)

    assert "Amina" in presence_block(ben.get(url))
