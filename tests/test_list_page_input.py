"""The programme list under bad input and growing data: explained errors, fixed query counts."""

from decimal import Decimal

import pytest

from programs.caching import vocabulary as shared_vocabulary
from programs.models import Programme
from tests.factories import (
    make_city,
    make_cost,
    make_country,
    make_programme,
    make_region,
    make_speciality,
    make_study_level,
)

URL = "/programmes/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_new_years_day(new_years_day):
    """Every test here sees 1 January 2027 as today."""


def slugs(response) -> list[str]:
    assert response.status_code == 200
    return [c.programme.slug for c in response.context["cards"]]


def text(response) -> str:
    return response.content.decode()


# Bad input is explained, never a 500.


def test_an_invalid_type_is_explained_and_the_other_filters_still_apply(client):
    make_programme(slug="uk", countries=[make_country("GB")])
    make_programme(slug="elsewhere")

    response = client.get(URL, {"type": "banana", "country": "GB"})
    html = text(response)

    assert response.status_code == 200
    assert "Choose a valid programme type." in html
    assert 'href="?country=GB">Remove this filter</a>' in html
    assert slugs(response) == ["uk"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"region": "atlantis"}, "Choose a region from the list."),
        ({"region": "bad slug!"}, "Choose a region from the list."),
        ({"country": "GBR"}, "Choose a country from the list."),
        ({"country": "ZZ"}, "Choose a country from the list."),
        ({"speciality": ["x" * 500]}, "Choose specialities from the list."),
        ({"level": "nope"}, "Choose study levels from the list."),
        ({"pay": "lots"}, "Choose pay options from the list."),
        ({"duration": "forever"}, "Choose a length from the list."),
        (
            {"deadline": "yesterday"},
            "Choose due within a month or three months, rolling, varies or not stated.",
        ),
        ({"delivery": "by-post"}, "Choose in person or virtual."),
        ({"sort": "random"}, "Choose how to sort from the list."),
        ({"q": "x" * 201}, "Search for at most 200 characters."),
    ],
)
def test_invalid_values_are_shown_with_status_200(client, params, message):
    make_programme()

    response = client.get(URL, params)

    assert response.status_code == 200
    assert message in text(response)
    assert len(response.context["cards"]) == 1


@pytest.mark.parametrize(
    "params",
    [
        {"q": "heart\x00"},
        {"region": "\x00"},
        {"country": "G\x00"},
        {"speciality": "a\x00b"},
        {"level": ["\x00", "ok"]},
        {"type": "\x00"},
        {"page": "\x00"},
    ],
)
def test_nul_bytes_are_form_errors_not_crashes(client, params):
    make_programme()

    response = client.get(URL, params)

    assert response.status_code == 200
    assert "\x00" not in text(response).split("<main", 1)[1].split("Remove this filter")[0]


@pytest.mark.parametrize(
    ("page", "shown", "note"),
    [
        ("abc", 1, "wasn’t a number"),
        ("0", 1, "Pages start at 1"),
        ("-1", 1, "Pages start at 1"),
        ("99999", 2, "There is no page 99999; here is the last page (2)."),
        ("9" * 5000, 1, "wasn’t a number"),
        ("2", 2, ""),
    ],
)
def test_odd_page_numbers_show_a_real_page_with_a_note(client, page, shown, note):
    for n in range(25):
        make_programme(title=f"Programme {n:02}")

    response = client.get(URL, {"page": page})

    assert response.status_code == 200
    assert response.context["page"].number == shown
    assert note in response.context["page_note"]
    assert len(response.context["cards"]) == (20 if shown == 1 else 5)


def test_pagination_links_keep_the_filters(client):
    for _ in range(21):
        make_programme(pay="fee")

    html = text(client.get(URL, {"pay": "fee"}))

    assert 'href="?pay=fee&amp;page=2" rel="next"' in html
    assert "Page 1 of 2" in html


# One named query per page.


def build_directory(size: int) -> None:
    europe = make_region(slug="europe")
    countries = [make_country(region=europe) for _ in range(3)]
    levels = [make_study_level() for _ in range(2)]
    specialities = [make_speciality() for _ in range(3)]
    for n in range(size):
        programme = make_programme(
            countries=countries[: n % 3 + 1],
            study_levels=levels,
            specialities=specialities[: n % 3 + 1],
            duration_min_weeks=n % 6 + 1,
            deadline_kind="fixed",
            deadline_month=n % 12 + 1,
            deadline_day=1,
        )
        programme.cities.set([make_city(country=countries[0])])
        make_cost(programme, amount_min=Decimal(100))


# With the vocabularies' shared copy read (programs/caching/vocabulary.py): a page of results and
# its 6 prefetches (countries, cities, study levels, costs, the rules the estimate reads,
# confirmed deadlines); the count, the calendar flag and the fixed groups' counts in one query,
# the linked groups' in one UNION. See test_query_counts.py.
QUERIES = 9
# Every filter at once: the same queries.
FILTERED_QUERIES = 9
EVERY_FILTER = {
    "q": "programme",
    "region": "europe",
    "type": "shadowing",
    "pay": ["unpaid", "fee"],
    "duration": "up-to-4",
    "deadline": "open",
    "delivery": "in_person",
    "sort": "deadline",
}


@pytest.mark.parametrize("size", [5, 50])
@pytest.mark.usefixtures("pages_uncached")
def test_the_list_issues_the_same_queries_for_5_or_50_programmes(
    client, django_assert_num_queries, size
):
    build_directory(size)
    shared_vocabulary.shared()

    with django_assert_num_queries(QUERIES):
        response = client.get(URL)

    assert response.context["count"] == size


@pytest.mark.parametrize("size", [5, 50])
@pytest.mark.usefixtures("pages_uncached")
def test_every_filter_at_once_still_issues_a_fixed_number_of_queries(
    client, django_assert_num_queries, size
):
    build_directory(size)
    programme = Programme.objects.first()
    assert programme is not None
    country = programme.countries.first()
    level = programme.study_levels.first()
    speciality = programme.specialities.first()
    assert country and level and speciality
    params = {
        **EVERY_FILTER,
        "country": country.code,
        "level": level.slug,
        "speciality": speciality.slug,
    }
    shared_vocabulary.shared()
    with django_assert_num_queries(FILTERED_QUERIES):
        response = client.get(URL, params)

    assert response.context["count"] > 0


NASTY = ["", " ", "\x00", "É", "%", "_", "a" * 300, "<script>", "1e999", "[]", "../", "GB\n"]
PARAMS = ["q", "region", "country", "type", "speciality", "level", "pay", "duration"]
PARAMS += ["deadline", "delivery", "sort", "page"]


@pytest.mark.parametrize("name", PARAMS)
def test_no_value_of_any_parameter_breaks_the_page(client, name):
    make_programme(countries=[make_country("GB")])

    for value in NASTY:
        response = client.get(
            URL, {name: value, "pay": "unpaid"} if name != "pay" else {name: value}
        )
        assert response.status_code == 200, repr(value)
        assert "<script>" not in text(response)


# Options counted "(0)" and a typed start date.


def options_of(html: str, select_id: str) -> list[str]:
    start = html.index(f'id="{select_id}"')
    return html[start : html.index("</select>", start)].split("<option")[1:]


def test_an_option_counted_zero_is_disabled_unless_the_student_chose_it(client):
    make_programme(duration_min_weeks=2, duration_max_weeks=3)

    plain = text(client.get(URL))
    chosen = text(client.get(URL, {"duration": "8-plus"}))

    for option in options_of(plain, "f-duration"):
        assert ("(0)" in option) == ("disabled" in option), option
    (eight_plus,) = [o for o in options_of(chosen, "f-duration") if 'value="8-plus"' in o]
    assert "(0)" in eight_plus and "selected" in eight_plus and "disabled" not in eight_plus


def test_a_typed_start_date_is_read_and_a_bad_one_is_a_form_error_not_a_500(client):
    make_programme()

    typed = client.get(URL, {"start": "2027-07-01"})
    # Day first or month first? Django's default formats would read 7 January; ISO only.
    ambiguous = client.get(URL, {"start": "01/07/2027"})
    impossible = client.get(URL, {"start": "2027-13-40"})

    assert typed.status_code == 200 and typed.context["profile"].start.isoformat() == "2027-07-01"
    assert 'type="date"' in text(typed)
    for bad in (ambiguous, impossible):
        assert bad.status_code == 200
        assert bad.context["profile"].start is None
        assert "Enter the start date as YYYY-MM-DD, e.g. 2027-07-01." in text(bad)
