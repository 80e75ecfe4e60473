"""Issue 16: a changed slug keeps the old address working (301), and the lockout page uses the
site's design and says when to try again."""

from __future__ import annotations

import pytest
from django.http import QueryDict
from django.urls import reverse

from programs.models import Programme
from tests.factories import make_programme

LOGIN = reverse("admin:login")


@pytest.fixture
def renamed(db, pages_uncached) -> Programme:
    programme = make_programme(slug="summer-surgery", title="Summer Surgery")
    programme.slug = "summer-surgery-elective"
    programme.save()
    return programme


def test_a_renamed_programmes_old_address_redirects_permanently_to_the_new_one(client, renamed):
    response = client.get("/programmes/summer-surgery/")

    assert response.status_code == 301
    assert response["Location"] == "/programmes/summer-surgery-elective/"
    assert client.get(response["Location"]).status_code == 200


def test_the_redirect_keeps_the_query_string_and_works_for_the_calendar(client, renamed):
    page = client.get("/programmes/summer-surgery/?weeks=4&currency=EUR")
    calendar = client.get("/programmes/summer-surgery/calendar.ics")

    assert page.status_code == calendar.status_code == 301
    path, _, query = page["Location"].partition("?")
    assert path == "/programmes/summer-surgery-elective/"
    assert QueryDict(query).dict() == {"weeks": "4", "currency": "EUR"}
    assert calendar["Location"] == "/programmes/summer-surgery-elective/calendar.ics"


def test_a_slug_no_programme_ever_had_is_still_not_found(client, renamed):
    assert client.get("/programmes/never-existed/").status_code == 404


def test_an_old_slug_taken_by_another_programme_shows_that_programme(client, renamed):
    make_programme(slug="summer-surgery", title="A newer Summer Surgery")

    response = client.get("/programmes/summer-surgery/")

    assert response.status_code == 200
    assert "A newer Summer Surgery" in response.text


def test_a_renamed_programme_that_is_no_longer_published_does_not_redirect(client, renamed):
    Programme.objects.filter(pk=renamed.pk).update(status=Programme.Status.ARCHIVED)

    assert client.get("/programmes/summer-surgery/").status_code == 404


def test_the_lockout_page_uses_the_sites_design_and_says_when_to_try_again(client, adviser):
    for _ in range(5):
        response = client.post(LOGIN, {"username": "adviser", "password": "wrong-password!"})

    assert response.status_code == 429
    assert "<main" in response.text and 'class="brand"' in response.text
    assert "Sign-in paused" in response.text
    assert "Try again in 1\xa0hour" in response.text
    assert "<time datetime=" in response.text
