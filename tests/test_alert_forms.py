"""Issue 22: asking for an alert, confirming, managing and unsubscribing, as a visitor does it:
nothing confirmed by a link scanner's GET, limits per sender and per address, and deleting the
last alert deletes the address."""

from __future__ import annotations

import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from programs import mail
from programs.alerts import links, subscribing
from programs.models import Alert
from programs.models.alerts import ALERTS_PER_ADDRESS
from tests.factories import make_programme
from tests.suggesting import with_token

STUDENT = "student@example.org"


def fields(**extra) -> dict[str, str]:
    return {
        "email": STUDENT,
        "frequency": "weekly",
        "search": "q=surgery",
        "website": "",
        "submission": str(uuid.uuid4()),
        **extra,
    }


def confirmed_alert(**extra) -> Alert:
    now = timezone.now()
    values = {"kind": Alert.Kind.SEARCH, "email": STUDENT, "query": "q=surgery", **extra}
    return Alert.objects.create(confirmed_at=now, covered_until=now, **values)


def path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.mark.django_db
def test_the_form_says_what_the_search_finds_now_and_keeps_it_hidden(client):
    make_programme(title="Surgery in Leeds")

    html = client.get("/alerts/search/?q=surgery&page=3&p=abc").content.decode()

    assert "Your search finds <strong>1 programme</strong> now" in html
    assert 'name="search" value="q=surgery"' in html
    assert 'type="radio" name="frequency" value="daily"' in html


@pytest.mark.django_db
def test_an_alert_is_stored_unconfirmed_with_only_the_address_and_the_query(client):
    response = with_token(client, "/alerts/search/", fields(search="q=surgery&page=2&p=x&zz=1"))

    assert response.status_code == 302 and response["Location"] == "/alerts/sent/"
    alert = Alert.objects.get()
    assert (alert.email, alert.query, alert.confirmed_at) == (STUDENT, "q=surgery&zz=1", None)


@pytest.mark.django_db
def test_a_robot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client):
    response = with_token(client, "/alerts/search/", fields(website="http://spam.example"))

    assert response.status_code == 302
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_a_bad_address_is_a_form_error_not_a_500(client):
    response = with_token(client, "/alerts/search/", fields(email="not an address\x07"))

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_reminders_need_programmes_in_the_comparison(client):
    programme = make_programme(title="Surgery in Leeds")

    empty = with_token(client, "/alerts/deadlines/", fields(search="p=nothing-here"))
    kept = with_token(
        client, "/alerts/deadlines/", fields(search=f"p={programme.slug}&p=gone&weeks=3")
    )

    assert empty.status_code == 400
    assert "Add programmes to your comparison first" in empty.content.decode()
    assert kept.status_code == 302
    assert Alert.objects.get().query == f"p={programme.slug}"


@pytest.mark.django_db
def test_one_sender_may_ask_for_a_few_alerts_an_hour(client, settings):
    settings.ALERTS_PER_HOUR = 2
    settings.ALERTS_PER_ADDRESS_PER_HOUR = 100
    statuses = [
        with_token(client, "/alerts/search/", fields(email=f"s{n}@example.org")).status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert Alert.objects.count() == 2


@pytest.mark.django_db
def test_one_address_may_be_asked_for_a_few_times_an_hour_whoever_asks(settings):
    settings.ALERTS_PER_ADDRESS_PER_HOUR = 2
    statuses = [
        with_token(
            Client(REMOTE_ADDR=f"10.0.0.{n}"), "/alerts/search/", fields(search=f"q=s{n}")
        ).status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 429]


@pytest.mark.django_db
def test_an_address_has_at_most_a_few_alerts(client, settings):
    settings.ALERTS_PER_HOUR = settings.ALERTS_PER_ADDRESS_PER_HOUR = 100
    for n in range(ALERTS_PER_ADDRESS):
        subscribing.subscribe(Alert.Kind.SEARCH, STUDENT, f"q=s{n}", "weekly")

    response = with_token(client, "/alerts/search/", fields())

    assert response.status_code == 400
    assert "the most it may have" in response.content.decode()


@pytest.mark.django_db
def test_a_link_scanners_get_confirms_nothing_and_the_button_does(client):
    alert = Alert.objects.create(kind=Alert.Kind.SEARCH, email=STUDENT, query="q=x")
    url = path(links.confirm_url(alert))

    page = client.get(url)
    alert.refresh_from_db()
    assert page.status_code == 200 and alert.confirmed_at is None

    with_token(client, url, {})
    alert.refresh_from_db()
    assert alert.confirmed_at is not None and alert.covered_until == alert.confirmed_at


@pytest.mark.django_db
def test_a_forged_or_other_purpose_link_confirms_nothing(client):
    alert = Alert.objects.create(kind=Alert.Kind.SEARCH, email=STUDENT, query="q=x")
    other = mail.sign(links.UNSUBSCRIBE, alert.pk)

    response = with_token(client, f"/alerts/confirm/{other}/", {})

    assert response.status_code == 404
    assert Alert.objects.confirmed().count() == 0


@pytest.mark.django_db
def test_unsubscribing_asks_for_one_click_and_a_get_deletes_nothing(client):
    alert = confirmed_alert()
    url = path(links.unsubscribe_url(alert))

    assert "Unsubscribe</button>" in client.get(url).content.decode()
    assert Alert.objects.exists()
    response = Client(enforce_csrf_checks=True).post(url)

    assert "You are unsubscribed" in response.content.decode()
    assert "we keep nothing about you" in response.content.decode()
    assert not Alert.objects.exists()


@pytest.mark.django_db
def test_the_manage_page_changes_how_often_and_deletes_everything(client):
    first = confirmed_alert()
    second = confirmed_alert(query="q=cardiology", frequency="daily")
    Alert.objects.create(kind=Alert.Kind.SEARCH, email="someone@example.org", query="q=x")
    url = path(links.manage_url(first))

    html = client.get(url).content.decode()
    assert html.count("Delete this alert") == 2
    with_token(client, url, {"action": "frequency", "alert": str(second.pk), "frequency": "weekly"})
    second.refresh_from_db()
    assert second.frequency == "weekly"

    response = with_token(client, url, {"action": "delete", "alert": str(first.pk)})
    assert response.status_code == 302  # to the page, by a link that still works
    assert client.get(response["Location"]).content.decode().count("Delete this alert") == 1

    gone = with_token(client, response["Location"], {"action": "delete_all"})
    assert "Your address is deleted" in gone.content.decode()
    assert not Alert.objects.filter(email=STUDENT).exists()
    assert Alert.objects.count() == 1  # someone else's


@pytest.mark.django_db
def test_the_manage_page_never_touches_another_addresss_alert(client):
    mine = confirmed_alert()
    theirs = Alert.objects.create(kind=Alert.Kind.SEARCH, email="other@example.org", query="q=x")

    response = with_token(
        client, path(links.manage_url(mine)), {"action": "delete", "alert": str(theirs.pk)}
    )

    assert response.status_code == 400
    assert Alert.objects.filter(pk=theirs.pk).exists()


@pytest.mark.django_db
def test_the_comparison_offers_deadline_reminders_and_the_privacy_page_says_what_is_kept(client):
    programme = make_programme(title="Surgery in Leeds")

    compare = client.get(f"/compare/?p={programme.slug}&weeks=4").content.decode()
    privacy = client.get("/privacy/").content.decode()

    assert re.search(
        rf'href="/alerts/deadlines/\?p={programme.slug}">Remind me of these deadlines</a>', compare
    )
    assert "your email address and the search" in privacy
    assert "deleting the last one deletes your address" in privacy


@pytest.mark.django_db
def test_asking_for_managing_and_sending_alerts_leaves_every_cached_page_cached(client):
    from django.core.cache import cache

    from programs.alerts.sending import send_alerts
    from programs.caching.generation import GENERATION_KEY, LISTING_KEY

    client.get("/programmes/")
    keys = [GENERATION_KEY, LISTING_KEY]
    versions = cache.get_many(keys)

    with_token(client, "/alerts/search/", fields())
    alert = confirmed_alert(query="q=cardiology")
    with_token(
        client,
        path(links.manage_url(alert)),
        {"action": "frequency", "alert": str(alert.pk), "frequency": "daily"},
    )
    send_alerts()

    assert cache.get_many(keys) == versions
