"""Issue 23: "verified" means checked. The list's "Mark verified" shows each selected programme
with its sources and stamps only the ones ticked; a confirmed deadline ahead takes a programme out
of the "deadline passed" reason; the admin list shows the deadline students see."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from programs.models import Programme
from programs.models.review import REASONS, review_reasons
from tests.factories import (
    make_cost,
    make_dated_deadline,
    make_programme,
    make_rule,
    make_source,
)

TODAY = datetime.date(2027, 1, 10)
OLD_CHECK = datetime.date(2026, 3, 1)
CHANGELIST = reverse("admin:programs_programme_changelist")


@pytest.fixture(autouse=True)
def on_a_winter_day(pin_today):
    pin_today(TODAY)


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


def ask_to_verify(client, *programmes: Programme, **extra):
    return client.post(
        CHANGELIST,
        {
            "action": "mark_verified_today",
            ACTION_CHECKBOX_NAME: [p.pk for p in programmes],
            **extra,
        },
    )


def test_mark_verified_first_shows_each_programme_with_its_sources_and_stamps_nothing(
    adviser_client,
):
    email = make_source(title="Admissions office", date=datetime.date(2026, 11, 20))
    programme = make_programme(title="Heidelberg Surgery", last_verified=OLD_CHECK)
    make_cost(programme, amount_min=Decimal("900"), source=email)
    make_rule(programme, text="Medical students in their clinical years.")
    other = make_programme(title="Lyon Cardiology", last_verified=OLD_CHECK)

    response = ask_to_verify(adviser_client, programme, other)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Heidelberg Surgery" in page and "Lyon Cardiology" in page
    assert "From the provider&#x27;s email of 20 November 2026" in page
    assert "cost: Programme fee, US$900" in page
    assert "section “A section”" in page  # the rule follows the programme's guide section
    assert page.count('type="checkbox" name="checked"') == 2
    for record in (programme, other):
        record.refresh_from_db()
        assert record.last_verified == OLD_CHECK


def test_only_the_programmes_ticked_on_the_checking_page_are_marked_verified(
    adviser_client, adviser
):
    ticked = make_programme(last_verified=OLD_CHECK)
    unticked = make_programme(last_verified=OLD_CHECK)
    version = ticked.version

    response = ask_to_verify(adviser_client, ticked, unticked, confirm="yes", checked=[ticked.pk])

    assert response.status_code == 302
    ticked.refresh_from_db()
    unticked.refresh_from_db()
    assert (ticked.last_verified, ticked.verified_by) == (TODAY, adviser)
    assert ticked.version == version + 1  # through the write path: the public "updated" moves
    assert unticked.last_verified == OLD_CHECK
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("not ticked" in m for m in messages)


def test_confirming_with_nothing_ticked_marks_nothing_and_says_so(adviser_client):
    programme = make_programme(last_verified=OLD_CHECK)

    response = ask_to_verify(adviser_client, programme, confirm="yes")

    assert response.status_code == 200
    assert "Nothing was marked" in response.content.decode()
    programme.refresh_from_db()
    assert programme.last_verified == OLD_CHECK


def test_a_tick_for_a_programme_that_was_not_selected_marks_nothing(adviser_client):
    selected = make_programme(last_verified=OLD_CHECK)
    elsewhere = make_programme(last_verified=OLD_CHECK)

    ask_to_verify(adviser_client, selected, confirm="yes", checked=[elsewhere.pk, "x"])

    elsewhere.refresh_from_db()
    assert elsewhere.last_verified == OLD_CHECK


def test_a_confirmed_deadline_ahead_is_not_a_passed_deadline(db):
    # Stated "15 December": gone this year on 10 January 2027? No: gone in 2026, so ask in March.
    stated = {"deadline_kind": "fixed", "deadline_month": 1, "deadline_day": 5}
    confirmed = make_programme(last_verified=OLD_CHECK, **stated)
    make_dated_deadline(confirmed, cycle=2027, date=datetime.date(2027, 2, 20))
    unconfirmed = make_programme(last_verified=OLD_CHECK, **stated)
    confirmed_passed = make_programme(last_verified=OLD_CHECK, **stated)
    make_dated_deadline(confirmed_passed, cycle=2026, date=datetime.date(2026, 1, 5))

    flagged = {
        p.pk: review_reasons(p)
        for p in Programme.objects.with_review_flags(TODAY).filter(
            pk__in=[confirmed.pk, unconfirmed.pk, confirmed_passed.pk]
        )
    }

    assert REASONS["past_deadline"] not in flagged[confirmed.pk]
    assert REASONS["past_deadline"] in flagged[unconfirmed.pk]
    assert REASONS["past_deadline"] in flagged[confirmed_passed.pk]


def test_the_admin_list_shows_the_confirmed_deadline_students_see_not_the_stated_rolling_one(
    adviser_client,
):
    programme = make_programme(deadline_kind="rolling", deadline_lead_weeks=8)
    make_dated_deadline(programme, cycle=2027, date=datetime.date(2027, 2, 20))
    rolling = make_programme(deadline_kind="rolling", deadline_lead_weeks=6)

    page = adviser_client.get(CHANGELIST).content.decode()

    assert "20 Feb 2027 · 41 days left · confirmed" in page
    assert "Rolling · apply 6+ weeks before your start" in page
    assert "Rolling, 8 weeks ahead" not in page
    assert rolling.pk


def test_the_admin_list_reads_deadlines_in_one_query_for_any_number_of_programmes(
    adviser_client, django_assert_max_num_queries
):
    for _ in range(3):
        make_dated_deadline(make_programme())
    with django_assert_max_num_queries(40) as few:
        adviser_client.get(CHANGELIST)
    for _ in range(5):
        make_dated_deadline(make_programme())

    with django_assert_max_num_queries(len(few.captured_queries)):
        adviser_client.get(CHANGELIST)


def test_the_checking_page_reads_every_source_in_a_fixed_number_of_queries(
    adviser_client, django_assert_max_num_queries
):
    def programme_with_sources() -> Programme:
        programme = make_programme()
        make_cost(programme, amount_min=Decimal("100"), source=make_source())
        make_rule(programme, text="Medical students only.", source=make_source())
        make_dated_deadline(programme)
        return programme

    few = [programme_with_sources() for _ in range(2)]
    with django_assert_max_num_queries(60) as counted:
        ask_to_verify(adviser_client, *few)
    many = few + [programme_with_sources() for _ in range(4)]

    with django_assert_max_num_queries(len(counted.captured_queries)):
        assert ask_to_verify(adviser_client, *many).status_code == 200
