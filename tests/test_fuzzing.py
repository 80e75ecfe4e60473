"""Whatever arrives in a query string or a slug, public pages answer without a server error.

Hypothesis sends generated query strings to every public endpoint (on whichever database
DATABASE_URL names): 60 in the everyday run, 400 with HYPOTHESIS_PROFILE=ci, which
`make test-scale` sets (tests/conftest.py registers both profiles). The named cases below pin the
inputs that broke real sites: NUL bytes, invalid UTF-8, huge values, odd page numbers, unknown
sort keys, too many parameters and repeated parameters.
"""

from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import (
    make_country,
    make_guide_topic,
    make_programme,
    make_region,
    make_speciality,
)

pytestmark = pytest.mark.django_db

PARAMS = [
    "q",
    "region",
    "country",
    "type",
    "speciality",
    "level",
    "pay",
    "duration",
    "deadline",
    "delivery",
    "sort",
    "page",
    "p",
]
ENDPOINTS = [
    "/",
    "/programmes/",
    "/programmes/fuzz-target/",
    "/destinations/",
    "/destinations/europe/",
    "/guides/",
    "/guides/documents/",
    "/programmes.csv",
    "/programmes.json",
    "/programmes/feed.atom",
    "/sitemap.xml",
    "/sitemap-programmes.xml",
    "/robots.txt",
    "/healthz",
    "/favicon.ico",
]
OK = {200, 301, 302, 400, 404}
SPECIAL_VALUES = [
    "%00",
    "a%00b",
    "%FF",
    "%C3%28",
    "%ED%A0%80",
    "0",
    "-1",
    "abc",
    "999999",
    "1e9",
    "europe",
    "FR",
    "fr",
    "unpaid",
    "open",
    "name",
    "deadline",
    "%E2%80%AE",
    "x" * 300,
]


@pytest.fixture
def directory(db):
    europe = make_region(slug="europe")
    france = make_country("FR", name="France", region=europe)
    make_programme(
        slug="fuzz-target", countries=[france], specialities=[make_speciality(slug="surgery")]
    )
    make_programme(deadline_kind="rolling", deadline_lead_weeks=8)
    make_guide_topic(slug="documents")


def fetch(client, url: str):
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


values = st.one_of(
    st.sampled_from(SPECIAL_VALUES),
    st.text(max_size=40).map(lambda text: quote(text, safe="")),
    st.binary(max_size=12).map(lambda raw: "".join(f"%{byte:02X}" for byte in raw)),
)
names = st.one_of(st.sampled_from(PARAMS), st.text(max_size=8).map(lambda t: quote(t, safe="")))
query_strings = st.lists(st.tuples(names, values), max_size=6).map(
    lambda pairs: "&".join(f"{name}={value}" for name, value in pairs)
)


@pytest.mark.usefixtures("directory")
@settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=query_strings)
def test_no_generated_query_string_makes_a_server_error_on_any_public_page(client, query):
    """Each generated query string (the profile's max_examples of them) on every public endpoint."""
    for endpoint in ENDPOINTS:
        status = fetch(client, f"{endpoint}?{query}").status_code
        assert status in OK, f"{endpoint}?{query} answered {status}"


# Named cases.

LIST_LIKE = ["/programmes/", "/programmes.csv", "/programmes.json", "/"]


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("endpoint", LIST_LIKE)
@pytest.mark.parametrize("value", ["%00", "abc%00", "%FF", "%C3%28"])
def test_nul_bytes_and_invalid_utf8_in_every_parameter_are_not_errors(client, endpoint, value):
    for name in PARAMS:
        assert fetch(client, f"{endpoint}?{name}={value}").status_code in OK, name


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("prefix", ["/programmes/", "/destinations/", "/guides/"])
@pytest.mark.parametrize("slug", ["%00", "fuzz%00target", "%FF", "%C3%28", "x" * 2000])
def test_nul_bytes_and_invalid_utf8_in_slugs_are_not_found(client, prefix, slug):
    assert fetch(client, f"{prefix}{slug}/").status_code == 404


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("endpoint", LIST_LIKE)
def test_a_50000_character_search_is_refused_politely(client, endpoint):
    response = fetch(client, f"{endpoint}?q={'a' * 50_000}")

    assert response.status_code == 200
    if endpoint == "/programmes/":
        assert "Search for at most 200 characters." in response.content.decode()


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("page", ["0", "-1", "abc", "999999", "", "%00", "1.5"])
def test_odd_page_numbers_show_a_real_page(client, page):
    response = fetch(client, f"/programmes/?page={page}")

    assert response.status_code == 200
    assert response.context["page"].number == 1


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("endpoint", LIST_LIKE)
def test_unknown_sort_keys_are_ignored(client, endpoint):
    for sort in ("price", "-title", "title; DROP TABLE programs_programme", "%00"):
        assert fetch(client, f"{endpoint}?sort={sort}").status_code == 200


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_more_parameters_than_allowed_are_a_bad_request_not_a_crash(client, endpoint):
    query = "&".join(f"f{n}=1" for n in range(django_settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))

    response = fetch(client, f"{endpoint}?{query}")

    assert response.status_code in OK
    if endpoint in LIST_LIKE[:3]:  # the pages that read their parameters
        assert response.status_code == 400


@pytest.mark.usefixtures("directory")
@pytest.mark.parametrize("endpoint", LIST_LIKE)
def test_repeated_parameters_are_not_errors(client, endpoint):
    for name in PARAMS:
        query = "&".join(f"{name}={value}" for value in ("a", "europe", "FR", "2", "%00") * 20)
        assert fetch(client, f"{endpoint}?{query}").status_code in OK, name
