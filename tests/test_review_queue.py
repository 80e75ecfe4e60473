"""The review queue: which programmes need an adviser's eyes, in the QuerySet, the admin and
the nightly `audit_directory` command, which all share the same conditions."""

from __future__ import annotations

import datetime
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from programs.catalogue.audit import audit_directory
from programs.core import clock
from programs.decisions import deadlines
from programs.decisions.deadlines import yearly_date
from programs.models import Programme
from programs.models.review import REASONS, review_column, review_reasons
from tests.factories import make_programme

TODAY = date(2027, 6, 15)
FRESH = {"last_verified": TODAY - timedelta(days=10)}


@pytest.fixture(autouse=True)
def on_the_queues_day(pin_today):
    # Verification dates cannot be in the future (issue 16), so the clock stands on TODAY.
    pin_today(TODAY)


def fresh(**fields) -> Programme:
    return make_programme(**{**FRESH, **fields})


def set_updated(programme: Programme, day: date) -> None:
    moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=datetime.UTC)
    Programme.objects.filter(pk=programme.pk).update(updated_at=moment)


def set_verified(programme: Programme, day: date) -> None:
    Programme.objects.filter(pk=programme.pk).update(last_verified=day)


def reasons_for(programme: Programme, today: date = TODAY) -> list[str]:
    flagged = Programme.objects.with_review_flags(today).get(pk=programme.pk)
    return review_reasons(flagged)


def test_a_fresh_sourced_complete_programme_needs_no_review(db):
    programme = fresh()

    assert reasons_for(programme) == []
    assert not Programme.objects.needs_review(TODAY).exists()


@pytest.mark.parametrize(
    ("last_verified", "stale"),
    [(None, True), (TODAY - timedelta(days=181), True), (TODAY - timedelta(days=180), False)],
    ids=["never", "181-days", "180-days"],
)
def test_a_programme_not_verified_in_180_days_is_stale(db, last_verified, stale):
    programme = make_programme(last_verified=last_verified)

    assert (REASONS["stale"] in reasons_for(programme)) is stale


def test_a_passed_deadline_without_a_verification_since_needs_review(db):
    passed = fresh(deadline_kind="fixed", deadline_month=3, deadline_day=1)
    verified_since = fresh(deadline_kind="fixed", deadline_month=3, deadline_day=1)
    still_open = fresh(deadline_kind="fixed", deadline_month=9, deadline_day=1)
    set_verified(passed, date(2027, 2, 28))
    set_verified(verified_since, date(2027, 3, 1))
    set_verified(still_open, date(2027, 1, 1))

    assert reasons_for(passed) == [REASONS["past_deadline"]]
    assert reasons_for(verified_since) == []
    assert reasons_for(still_open) == []


def test_an_update_that_checked_nothing_does_not_take_a_programme_out_of_the_queue(db):
    # Issue 16: the queue fell from 6 to 1 because any save counted as a review.
    programme = fresh(deadline_kind="fixed", deadline_month=3, deadline_day=1)
    set_verified(programme, date(2027, 2, 28))
    set_updated(programme, date(2027, 6, 14))

    assert reasons_for(programme) == [REASONS["past_deadline"]]


def test_a_programme_citing_no_source_never_reaches_the_queue_because_the_database_refuses_it(
    db,
):
    # "Unsourced" was a review reason; since sources became records it is a constraint instead.
    programme = fresh()

    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(source_section="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(source_guide=None)


def test_a_named_programme_with_no_pay_deadline_or_duration_misses_facts_but_a_pathway_does_not(
    db,
):
    bare = {"pay": "unknown", "deadline_kind": "unknown"}
    programme = fresh(**bare)
    pathway = fresh(listing_kind="pathway", **bare)
    with_duration = fresh(duration_min_weeks=4, **bare)

    assert reasons_for(programme) == [REASONS["missing_facts"]]
    assert reasons_for(pathway) == []
    assert reasons_for(with_duration) == []


def test_archived_programmes_never_need_review(db):
    make_programme(status=Programme.Status.ARCHIVED, last_verified=None)

    assert not Programme.objects.needs_review(TODAY).exists()
    assert Programme.objects.review_counts(TODAY)["total"] == 0


def test_review_counts_give_the_total_and_each_reason_in_one_query(db, django_assert_num_queries):
    make_programme(last_verified=None)
    make_programme(last_verified=None, pay="unknown", deadline_kind="unknown")
    fresh()

    with django_assert_num_queries(1):
        counts = Programme.objects.review_counts(TODAY)

    assert counts == {
        "total": 2,
        "stale": 2,
        "past_deadline": 0,
        "missing_facts": 1,
        "no_application_page": 0,
        "suggested": 0,
        "incomplete": 0,
    }


def python_past_deadline(programme: Programme, today: date) -> bool:
    """The same rule written with programs/deadlines.py, to check the database's answer."""
    if not deadlines.gone_this_year(programme, today):
        return False
    assert programme.deadline_month is not None  # a closed deadline has a month
    deadline = yearly_date(today.year, programme.deadline_month, programme.deadline_day)
    verified = programme.last_verified
    if verified is None:
        return True
    if programme.deadline_day is None:
        return (verified.year, verified.month) < (deadline.year, deadline.month)
    return verified < deadline


def test_the_past_deadline_query_agrees_with_the_deadline_module_all_year(db):
    programmes = []
    for month, day in [(1, 31), (2, 29), (6, 15), (6, None), (12, 31)]:
        for verified in [None, date(2026, 12, 1), date(2027, 2, 1), date(2027, 6, 14)]:
            programme = fresh(deadline_kind="approximate", deadline_month=month, deadline_day=day)
            set_verified(programme, verified)
            programmes.append(programme)
    programmes = list(Programme.objects.filter(pk__in=[p.pk for p in programmes]))

    for today in [date(2027, 1, 1), date(2027, 2, 28), date(2027, 6, 15), date(2027, 12, 31)]:
        flagged = dict(
            Programme.objects.with_review_flags(today).values_list(
                "pk", review_column("past_deadline")
            )
        )
        for programme in programmes:
            assert bool(flagged[programme.pk]) == python_past_deadline(programme, today), (
                programme.deadline_month,
                programme.deadline_day,
                programme.last_verified,
                today,
            )


# In admin.


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


def test_the_admin_review_filter_lists_stale_programmes_with_their_reasons(adviser_client):
    today = clock.today()
    stale = make_programme(title="Stale one", last_verified=today - timedelta(days=400))
    make_programme(title="Fresh one", last_verified=today)

    response = adviser_client.get(reverse("admin:programs_programme_changelist") + "?review=stale")

    assert [p.title for p in response.context["cl"].result_list] == ["Stale one"]
    assert REASONS["stale"] in response.content.decode()
    assert stale.pk in {p.pk for p in response.context["cl"].result_list}


def test_an_unknown_review_value_lists_everything(adviser_client):
    make_programme(last_verified=clock.today())

    response = adviser_client.get(reverse("admin:programs_programme_changelist") + "?review=nope")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


def test_the_admin_index_shows_the_review_counts(adviser_client):
    make_programme(last_verified=None)
    make_programme(last_verified=None)

    response = adviser_client.get(reverse("admin:index"))

    html = response.content.decode()
    assert "Needs review" in html
    assert "?review=stale" in html
    assert "<td>2</td>" in html


# The nightly audit.


def test_the_audit_exits_zero_when_nothing_needs_attention(db, monkeypatch, capsys):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    fresh()

    call_command("audit_directory")

    assert "Nothing needs attention." in capsys.readouterr().out


def test_the_audit_exits_non_zero_and_names_each_programme_and_reason(db, monkeypatch, capsys):
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    make_programme(slug="never-checked", last_verified=None)

    with pytest.raises(CommandError) as raised:
        call_command("audit_directory")

    assert raised.value.returncode == 1
    assert f"never-checked: {REASONS['stale']}" in capsys.readouterr().out


def test_the_audit_reports_records_that_break_a_rule(db):
    programme = fresh(slug="bad-date", deadline_kind="fixed", deadline_month=3, deadline_day=1)
    # A row written around validation (SQL, an old import) that the constraints still allow.
    Programme.objects.filter(pk=programme.pk).update(deadline_month=2, deadline_day=30)

    report = audit_directory(date(2027, 1, 1))

    assert report.needs_attention
    assert report.broken == ["programme bad-date: field 'deadline_day': February has no day 30."]


def test_a_programme_with_an_open_suggestion_needs_review_until_it_is_decided(db, adviser):
    from programs.suggestions import outcome
    from tests.factories import make_suggestion

    programme = fresh()
    suggestion = make_suggestion(programme)

    assert reasons_for(programme) == [REASONS["suggested"]]
    assert Programme.objects.review_counts(TODAY)["suggested"] == 1

    outcome.reject(suggestion, adviser, "The provider's page says otherwise.")

    assert reasons_for(programme) == []
