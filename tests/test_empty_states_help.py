"""Empty states that help: a level or discipline that finds nothing shows what the guides advise
for it (with its source), the nearest listings that might fit and the routes worth asking about."""

from datetime import date
from html import unescape

import pytest

from programs.core import clock
from programs.listing import advice
from programs.models import Programme

pytestmark = pytest.mark.django_db

SECTION_GRADUATES = (
    "What International Medical Internships Are There for Graduates or Post-Graduate Doctors?"
)
SECTION_DENTISTRY = "Are There Internship Opportunities in Dentistry, Pharmacy, or Allied Health?"


@pytest.fixture(autouse=True)
def pinned_today(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 23))


def html_of(response) -> str:
    return unescape(response.content.decode())


def test_a_graduate_filtering_uk_listings_meets_the_guides_advice_for_graduates(client, seeded):
    response = client.get("/programmes/", {"level": "graduate", "country": "GB"})
    html = html_of(response)

    assert response.context["count"] == 0
    assert "What the guides advise: Graduates and early-career doctors" in html
    assert "usually limited to observerships or research" in html
    assert SECTION_GRADUATES in html


def test_the_empty_list_offers_the_nearest_listings_without_the_level(client, seeded):
    response = client.get("/programmes/", {"level": "graduate", "country": "GB"})
    nearest = response.context["nearest"]
    uk = Programme.objects.published().filter(countries__code="GB").distinct().count()

    assert nearest.count == uk
    assert len(nearest.programmes) == 3
    assert all(url.startswith("/programmes/") for _, url in nearest.programmes)
    assert "listings might fit" in html_of(response)
    assert '<a href="?country=GB">See all' in html_of(response)


def test_the_empty_list_names_the_routes_worth_asking_a_graduate_about(client, seeded):
    help_ = client.get("/programmes/", {"level": "graduate", "country": "GB"}).context["help"]

    routes = {route.programme.slug for route in help_.routes}
    assert "ifmsa-clinical-exchanges" in routes
    assert all(route.programme.listing_kind == "pathway" for route in help_.routes)
    # A route only for medical students is not offered to a graduate.
    assert "uhsa-clinical-rotations-abroad" not in routes


def test_a_dentistry_student_is_told_what_the_guides_say_about_dentistry(client, seeded):
    response = client.get("/eligibility/", {"study": "medical-student", "discipline": "dentistry"})
    html = html_of(response)

    assert not response.context["groups"][0].cards  # no programme lists dentistry
    assert "What the guides advise: Dentistry" in html
    assert "Placements are also open to dentistry" in html
    assert "Each field has its own limits on patient contact" in html
    assert SECTION_DENTISTRY in html
    assert "Routes worth asking about" in html


def test_routes_for_dentistry_leave_out_those_that_list_only_medicine(client, seeded):
    routes = {route.programme.slug for route in advice.for_student([], ["dentistry"]).routes}

    assert "ifmsa-clinical-exchanges" in routes
    assert "ross-global-health-electives" not in routes  # lists medicine only


def test_a_student_with_an_eligible_programme_sees_no_advice_block(client, seeded):
    response = client.get("/eligibility/", {"age": "20", "study": "medical-student"})

    assert len(response.context["groups"][0].cards) > 0
    assert not response.context["help"]
    assert "What the guides advise" not in html_of(response)


def test_nothing_to_advise_on_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert not advice.for_student([""], [""])


def test_advice_for_a_level_and_a_discipline_takes_a_fixed_number_of_queries(
    seeded, django_assert_num_queries
):
    # Levels, disciplines, items; the routes with their rules (and the rules' levels), disciplines
    # and countries.
    with django_assert_num_queries(9):
        help_ = advice.for_student(["graduate"], ["dentistry"])
        assert [a.name for a in help_.advice] == ["Graduates and early-career doctors", "Dentistry"]
        assert all(item.source_guide.title for a in help_.advice for item in a.items)
        assert all(route.programme.organisation.name for route in help_.routes)
        assert all(route.verdict and route.why for route in help_.routes)


# Issue 20: the routes go through the same matcher as the results.
NURSE_AT_ANOTHER_UNIVERSITY = {
    "age": "21",
    "study": "medical-student",
    "discipline": "nursing",
    "university": "other",
}


def test_a_nursing_student_at_another_university_is_offered_no_route_the_page_calls_not_eligible(
    client, seeded
):
    response = client.get("/eligibility/", NURSE_AT_ANOTHER_UNIVERSITY)
    not_eligible = {c.programme.slug for c in response.context["groups"][2].cards}
    routes = response.context["help"].routes

    # "For Semmelweis University students, through the university's partnership and mobility
    # agreements": Not eligible on the page, so not suggested beside it.
    assert "semmelweis-international-mobility-placements" in not_eligible
    assert routes
    assert not {route.programme.slug for route in routes} & not_eligible
    assert all(route.verdict.label in ("Eligible", "Check") for route in routes)
    html = html_of(response)
    section = html[html.index("Routes worth asking about") :]
    assert "Semmelweis" not in section[: section.index("</section>")]
    assert '<span class="badge badge--warn">Check</span>' in section


def test_a_fourteen_year_old_is_not_sent_to_the_international_organisations(client, seeded):
    # "Not every medical school runs a dedicated international internship programme, but in
    # practice, students can apply on their own through ... organisations like ... WHO, UNICEF,
    # PAHO": routes for medical school students.
    response = client.get("/eligibility/", {"age": "14", "study": "secondary-school"})
    routes = {route.programme.slug for route in response.context["help"].routes}

    assert not routes & {"who-internships", "unicef-internships", "paho-internships"}
    assert "ifmsa-clinical-exchanges" not in routes


def test_a_list_filtered_by_level_judges_its_routes_at_that_level(client, seeded):
    help_ = client.get("/programmes/", {"level": "secondary-school", "country": "ES"}).context[
        "help"
    ]

    assert help_.advice  # the list is empty, so the guides' advice and the routes are shown
    assert "who-internships" not in {route.programme.slug for route in help_.routes}


def not_listed_section(html: str) -> str:
    start = html.index('id="not-listed-heading"')
    return html[start : html.index("</section>", start)]


def test_an_empty_list_says_which_kinds_of_placement_the_directory_does_not_list_yet(
    client, seeded
):
    # The seeded directory, from both guides, has no speciality rotation and no programme for
    # dentistry or nursing students ("Are There Internship Opportunities in Dentistry, Pharmacy,
    # or Allied Health?" is advice, not a listing); it has paid posts and clinical shadowing.
    html = html_of(client.get("/programmes/", {"q": "zzzz"}))

    said = not_listed_section(html)
    assert "What the directory does not list yet" in said
    assert "Placements of the type “Speciality rotation”" in said
    assert "dentistry" in said and "nursing" in said and "medicine" in said  # veterinary medicine
    assert "students of dentistry" in said and "students of medicine" not in said
    assert "Clinical shadowing" not in said and "paid posts" not in said


def test_the_kinds_not_listed_follow_the_data_when_the_first_one_is_published(client, seeded):
    rotation = Programme.objects.published().first()
    Programme.objects.filter(pk=rotation.pk).update(programme_type="speciality_rotation")
    paid = Programme.objects.published().filter(pay="paid")
    paid.update(pay="unknown")

    html = html_of(client.get("/programmes/", {"q": "zzzz"}))

    said = not_listed_section(html)
    assert "Speciality rotation" not in said
    assert "Paid posts (a salary or wage)" in said


def test_a_list_with_results_runs_no_query_for_what_is_not_listed(client, seeded):
    response = client.get("/programmes/")

    assert response.context["count"] > 0
    assert response.context["not_listed"] is None
    assert 'id="not-listed-heading"' not in html_of(response)
