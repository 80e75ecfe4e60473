"""The decision tools as a student meets them: eligibility, compare, deadlines, the list and the
detail page, including every kind of bad input (a clear message, never a 500)."""

import re
from datetime import date
from html import unescape
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from programs.core import clock

pytestmark = pytest.mark.django_db

NIH = "nhgri-summer-internship-biomedical-research"
LITE_REGAL = "lite-regal-medical-internship-shadowing-london"
MRC = "mrc-lab-based-summer-studentships"
UK_SCHOOL_STUDENT = "age=17&study=secondary-school&residence=GB&enrolled=yes"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 23))


def get(client, name: str, query: str = "", *args):
    return client.get(reverse(f"programs:{name}", args=args) + (f"?{query}" if query else ""))


def test_the_eligibility_page_sorts_every_programme_into_three_groups(client, seeded):
    response = get(client, "eligibility", UK_SCHOOL_STUDENT)

    assert response.status_code == 200
    groups = {g.label: [c.programme.slug for c in g.cards] for g in response.context["groups"]}
    assert NIH in groups["Check"]
    assert "stanford-pediatrics-internship-program" in groups["Not eligible"]
    # JHIBS virtual places are "open to all US": a UK resident is asked about US citizenship.
    assert "johns-hopkins-internship-brain-sciences" in groups["Check"]
    # "For Semmelweis University students": a school pupil is not one.
    assert "semmelweis-international-mobility-placements" in groups["Not eligible"]
    assert sum(len(slugs) for slugs in groups.values()) == 18
    html = response.content.decode()
    assert "Requires age 17 or over; you will be 17." in html


def test_without_a_profile_the_eligibility_page_shows_only_the_form(client, seeded):
    response = get(client, "eligibility")

    assert response.status_code == 200
    assert response.context["groups"] == []
    assert 'name="age"' in response.content.decode()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("age=abc", "Enter your age as a whole number of years, e.g. 19."),
        ("start=1900-01-01", "Choose a start date between today (23 November 2026) and"),
        ("residence=XX", "Choose a country from the list."),
        ("study=nonsense", "Choose a study level from the list."),
        ("english=IELTS&score=12", "IELTS scores run from 0 to 9."),
        ("age=%00", "Enter your age as a whole number of years"),
    ],
)
def test_a_bad_answer_is_a_400_with_a_clear_message(client, seeded, query, message):
    response = get(client, "eligibility", query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_list_keeps_working_with_a_bad_answer_and_says_what_it_ignored(client, seeded):
    response = get(client, "list", "age=abc&pay=stipend")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter your age as a whole number of years, e.g. 19." in html
    assert response.context["count"] == 5


def test_the_eligible_filter_keeps_only_programmes_the_student_may_apply_to(client, seeded):
    everything = get(client, "list", UK_SCHOOL_STUDENT)
    eligible = get(client, "list", UK_SCHOOL_STUDENT + "&eligible=1")

    shown = [p.slug for p in eligible.context["page"].object_list]
    assert everything.context["count"] == 18
    assert eligible.context["count"] == len(shown) < 18
    assert NIH in shown
    assert "stanford-pediatrics-internship-program" not in shown
    assert all(c.verdict.state != "not_eligible" for c in eligible.context["cards"])


def test_the_list_sorts_by_cost_as_the_cards_show_it_with_no_estimate_last(client, seeded):
    response = get(client, "list", "sort=cost")

    cards = response.context["cards"]
    keys = [c.estimate.sort_key() for c in cards]
    assert keys == sorted(keys)
    # No length stated (NHGRI: "Summer (varies; typically June–August)", and every route):
    # no estimate, so they come last rather than from an invented four weeks.
    without = [c.programme.slug for c in cards if not c.estimate.available]
    assert len(without) == 9 and NIH in without
    assert [c.programme.slug for c in cards[-9:]] == without
    # Lite Regal (from €2,350) sorts after every card whose low end is lower.
    lite_regal = next(c for c in cards if c.programme.slug == LITE_REGAL)
    assert lite_regal.estimate.low == 2350
    assert all(c.estimate.low <= 2350 for c in cards[: cards.index(lite_regal)])


def test_within_a_budget_the_list_still_sorts_by_cost_as_the_cards_show_it(client, seeded):
    response = get(client, "list", "sort=cost&max_cost=3000&currency=GBP")

    cards = response.context["cards"]
    keys = [c.estimate.sort_key() for c in cards]
    assert cards and keys == sorted(keys)
    # Over the budget: gone; no stated length: kept, marked "Needs your weeks", sorted last.
    assert all(not c.estimate.available or c.estimate.low <= 3000 for c in cards)
    assert all(c.budget.state == "needs_weeks" for c in cards if not c.estimate.available)


def test_the_eligible_filter_lists_eligible_before_check(client, seeded):
    medical = "age=20&study=medical-student&residence=IN&enrolled=yes&university=other"

    response = get(client, "list", medical + "&eligible=1")

    states = [c.verdict.state for c in response.context["cards"]]
    assert states == sorted(states, key=["eligible", "check"].index)
    assert states[0] == "eligible" and "check" in states


def test_the_cards_use_the_students_weeks_and_currency_and_say_length_not_stated(client, seeded):
    response = get(client, "list", "weeks=2&currency=GBP")
    cards = {c.programme.slug: c.estimate for c in response.context["cards"]}

    assert "Length not stated" in get(client, "list", "sort=cost&page=1").content.decode()
    assert (cards[LITE_REGAL].weeks, cards[LITE_REGAL].currency) == (2, "GBP")
    assert cards[LITE_REGAL].figures() == "£3,600–10,000+"
    assert "Converted at an exchange rate an adviser set" in response.content.decode()


def test_a_budget_keeps_programmes_whose_lowest_estimate_fits(client, seeded):
    response = get(client, "list", "max_cost=1000")

    slugs = [c.programme.slug for c in response.context["cards"]]
    assert LITE_REGAL not in slugs  # at least €2,350 for one week
    assert "stanford-pediatrics-internship-program" in slugs


def test_the_recorded_red_flags_filter_keeps_every_seeded_programme(client, seeded):
    # Nobody has recorded a red flag for any listed programme (none was assessed either).
    assert get(client, "list", "no_red_flags=1").context["count"] == 18
    assert get(client, "list", "no_red_flags=maybe").context["count"] == 18


def test_a_card_offers_to_add_it_to_the_comparison_keeping_the_filters(client, seeded):
    html = get(client, "list", f"pay=fee&p={NIH}").content.decode()

    # The page cache canonicalises the query string (its parameters in sorted order), so compare the
    # links' parameters, not their spelling.
    # Adding returns to the card (issue 13), so the link ends in the card's anchor.
    links = [unescape(href).lstrip("?") for href in re.findall(r'href="(\?[^"]*)"', html)]
    adds = [parse_qs(link.partition("#")[0]) for link in links]
    assert {"pay": ["fee"], "p": [NIH, LITE_REGAL]} in adds
    assert f'href="/compare/?p={NIH}"' in html


def test_the_detail_page_shows_verdict_estimate_plan_and_legitimacy_questions(client, seeded):
    response = get(
        client, "detail", UK_SCHOOL_STUDENT + "&weeks=2&currency=EUR&start=2027-07-01", LITE_REGAL
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "Estimated total for 2 weeks: €4,100–11,500+" in html
    assert "illustrative rate, set by an adviser" in html
    assert "Converted at an exchange rate an adviser set: an approximation, not a quote." in html
    assert "Transcribed from the guide, not yet verified with the provider." in html
    assert "Last verified" not in html
    assert "Requires age 17 or over; you will be 17." in html
    assert "Apply to Lite Regal Medical Internship &amp; Shadowing (8+ weeks before start)" in html
    assert "Ask the provider: who supervises you day to day, with the clinicians named?" in html
    assert "The fee is given (~US$2,000–5,000 a week) but not what it pays for." in html
    assert f'href="/programmes/{LITE_REGAL}/calendar.ics?start=2027-07-01"' in html


def test_a_confirmed_signal_shows_as_confirmed_with_its_note(client, seeded):
    html = get(client, "detail", "", MRC).content.decode()

    assert (
        '<span class="badge badge--good">Confirmed</span> Which hospitals or universities it '
        "works with: Projects hosted by MRC and partner labs"
    ) in html


def test_bad_estimate_input_on_the_detail_page_is_reported_and_defaults_are_used(client, seeded):
    response = get(client, "detail", "weeks=abc&currency=XYZ", LITE_REGAL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose one of EUR, GBP, USD, INR, AUD, CAD, NGN or PKR." in html
    assert "Enter the number of weeks as a whole number." in html
    assert "Estimated total for 1 week: €" in html


def test_compare_shows_the_programmes_side_by_side_in_the_order_given(client, seeded):
    response = get(client, "compare", f"p={NIH}&p={LITE_REGAL}&{UK_SCHOOL_STUDENT}&weeks=2")

    assert response.status_code == 200
    assert [c.card.programme.slug for c in response.context["columns"]] == [NIH, LITE_REGAL]
    html = response.content.decode()
    for heading in ("Pay", "Eligibility", "Deadline", "Duration", "All-in cost", "Location"):
        assert f'<th scope="row">{heading}</th>' in html
    assert "Legitimacy signals" in html
    assert "Estimated total for 2 weeks: €4,100–11,500+" in html


def test_compare_reports_unknown_slugs_and_too_many_programmes(client, seeded):
    unknown = get(client, "compare", f"p={NIH}&p=no-such-programme")
    nine = get(client, "compare", "&".join(f"p=slug-{n}" for n in range(9)))
    odd = get(client, "compare", "p=%00&currency=XYZ")

    assert unknown.status_code == 400
    assert "No published programme has the address “no-such-programme”" in unknown.content.decode()
    assert [c.card.programme.slug for c in unknown.context["columns"]] == [NIH]
    assert nine.status_code == 400
    assert (
        "You can compare up to 4 programmes at once; you asked for 9, so only the first 4 are shown."
    ) in nine.content.decode()
    assert odd.status_code == 400
    assert "Choose one of EUR, GBP, USD, INR, AUD, CAD, NGN or PKR." in odd.content.decode()


@pytest.mark.usefixtures("pages_uncached")
def test_compare_runs_the_same_queries_for_two_or_four_programmes(
    client, seeded, django_assert_num_queries
):
    two = f"p={NIH}&p={LITE_REGAL}"
    four = two + f"&p={MRC}&p=johns-hopkins-internship-brain-sciences"
    client.get(reverse("programs:compare") + "?" + two)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("programs:compare") + "?" + two)
    with django_assert_num_queries(len(queries)):
        assert client.get(reverse("programs:compare") + "?" + four).status_code == 200


def test_the_deadlines_page_lists_the_next_twelve_months_month_by_month(client, seeded):
    response = get(client, "deadlines")

    months = [(m.month, [r.programme.slug for r in m.rows]) for m in response.context["months"]]
    assert months == [
        (
            date(2027, 2, 1),
            [
                # "February (typically February 1–28)": planned for 1 February.
                "penn-center-for-global-health-internship",
                NIH,
                "roswell-park-summer-cancer-research-experience",
                "stanford-pediatrics-internship-program",
            ],
        ),
        (date(2027, 3, 1), ["johns-hopkins-internship-brain-sciences"]),
    ]
    assert [r.programme.slug for r in response.context["rolling"]] == [LITE_REGAL]


def test_a_deadline_within_30_days_is_closing_soon(client, seeded, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2027, 2, 1))

    html = get(client, "deadlines").content.decode()

    assert html.count("Closing soon") == 5  # four in February, JHIBS on 1 March


def test_the_eligibility_page_query_count_does_not_grow_with_programmes(
    client, seeded, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from programs.models import Programme, StudyLevel
    from tests.factories import make_programme, make_rule

    url = reverse("programs:eligibility") + "?" + UK_SCHOOL_STUDENT
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for _ in range(5):
        programme = make_programme(status=Programme.Status.PUBLISHED)
        make_rule(programme, kind="min_age", min_age=18, text="18 or over")
        make_rule(programme, kind="study_level", text="Students").study_levels.set(
            StudyLevel.objects.all()[:2]
        )

    with django_assert_num_queries(len(before)):
        response = client.get(url)

    assert sum(len(g.cards) for g in response.context["groups"]) == 23
