"""What machines read: JSON-LD, exports, sitemap, feed, robots.txt, favicon and OpenGraph."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest

from programs.caching import vocabulary as shared_vocabulary
from programs.core import clock
from programs.publishing.exports import EXPORT_COLUMNS
from tests.factories import (
    make_cost,
    make_country,
    make_dated_deadline,
    make_programme,
    make_rule,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_new_years_day(new_years_day):
    """Every test here sees 1 January 2027 as today."""


def body(response) -> str:
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def json_ld_of(html: str) -> dict:
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(html[start : html.index("</script>", start)])


def test_the_detail_page_describes_the_programme_as_json_ld_matching_the_page(client):
    programme = make_programme(
        title="Nairobi <elective> & more",
        summary="Four weeks on the wards.",
        countries=[make_country("KE", name="Kenya")],
        duration_min_weeks=4,
        duration_max_weeks=8,
        deadline_kind="fixed",
        deadline_month=3,
        deadline_day=15,
    )
    make_rule(programme, kind="min_age", min_age=18, text="You must be 18 or over.")
    make_cost(programme, kind="programme_fee", amount_min=Decimal(500), currency="USD")

    html = body(client.get(programme.get_absolute_url()))
    data = json_ld_of(html)

    assert data["@type"] == "EducationalOccupationalProgram"
    assert data["name"] == "Nairobi <elective> & more"
    assert "<elective>" not in html.split("ld+json")[1].split("</script>")[0]
    assert data["url"] == "http://testserver" + programme.get_absolute_url()
    assert data["provider"]["name"] == programme.organisation.name
    assert data["timeToComplete"] == "P4W"
    # 15 March is only expected for 2027 (no confirmed date): no applicationDeadline.
    assert "applicationDeadline" not in data
    assert data["programPrerequisites"] == ["You must be 18 or over."]
    assert data["offers"][0]["priceCurrency"] == "USD"
    assert data["location"][0]["address"]["addressCountry"] == "Kenya"
    for fact in ("Four weeks on the wards.", "Kenya", "You must be 18 or over."):
        assert fact in html.split("</script>", 1)[1]
    assert '<meta property="og:title" content="Nairobi &lt;elective&gt; &amp; more">' in html
    assert '<meta property="og:type" content="article">' in html


def test_exports_use_the_list_filters_and_the_documented_columns(client):
    make_programme(slug="unpaid-one", title="B unpaid", pay="unpaid")
    make_programme(
        slug="unpaid-two", title="A unpaid", pay="unpaid", countries=[make_country("KE")]
    )
    make_programme(slug="paid", pay="paid")
    make_programme(slug="draft", pay="unpaid", status="draft")

    rows = list(csv.DictReader(io.StringIO(body(client.get("/programmes.csv?pay=unpaid")))))
    data = json.loads(body(client.get("/programmes.json", {"pay": "unpaid"})))
    listed = [
        c.programme.slug for c in client.get("/programmes/", {"pay": "unpaid"}).context["cards"]
    ]

    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert [row["slug"] for row in rows] == listed == ["unpaid-two", "unpaid-one"]
    assert rows[0]["country_codes"] == "KE"
    assert data["columns"] == list(EXPORT_COLUMNS)
    assert [p["slug"] for p in data["programmes"]] == listed
    assert set(data["programmes"][0]) == set(EXPORT_COLUMNS)


@pytest.mark.usefixtures("pages_uncached")
def test_the_export_query_count_does_not_grow_with_the_rows(client, django_assert_num_queries):
    for _ in range(3):
        make_programme(countries=[make_country()])
    # The rows, then one query per related list (countries, costs, disciplines, rules, confirmed
    # deadlines), whatever the number of rows; the vocabularies the list query reads come from
    # their shared copy (programs/caching/vocabulary.py), read once per data version.
    shared_vocabulary.shared()
    with django_assert_num_queries(6):
        body(client.get("/programmes.csv"))
    for _ in range(5):
        make_programme(countries=[make_country()])
    shared_vocabulary.shared()
    with django_assert_num_queries(6):
        body(client.get("/programmes.json"))


def test_json_ld_states_a_confirmed_deadline_but_never_a_projected_one(client, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 29))
    # Roswell Park: "Deadline: February 21", with the provider's 2027 date recorded.
    confirmed = make_programme(deadline_kind="fixed", deadline_month=2, deadline_day=21)
    make_dated_deadline(confirmed, cycle=2027, date=date(2027, 2, 20))
    expected = make_programme(deadline_kind="fixed", deadline_month=2, deadline_day=21)

    assert json_ld_of(body(client.get(confirmed.get_absolute_url())))["applicationDeadline"] == (
        "2027-02-20"
    )
    assert "applicationDeadline" not in json_ld_of(body(client.get(expected.get_absolute_url())))


def test_json_ld_never_states_a_per_week_fee_as_a_flat_price(client):
    # Lite Regal: "program fee applies (~ US$2,000–5,000/week)"
    programme = make_programme()
    make_cost(programme, amount_min=Decimal(2000), amount_max=Decimal(5000), period="per_week")

    assert "offers" not in json_ld_of(body(client.get(programme.get_absolute_url())))


def test_exports_append_the_derived_values_under_the_lists_parameters(client, monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 29))
    # Roswell Park: "High school juniors and seniors", "February 21", "June 26 – August 8".
    roswell = make_programme(
        slug="roswell",
        deadline_kind="fixed",
        deadline_month=2,
        deadline_day=21,
        duration_min_weeks=6,
        duration_max_weeks=6,
    )
    make_rule(roswell, kind="min_age", min_age=17, text="At least 17.")
    make_programme(slug="rolling", deadline_kind="rolling", deadline_lead_weeks=8)

    rows = {
        row["slug"]: row
        for row in csv.DictReader(
            io.StringIO(body(client.get("/programmes.csv?age=16&weeks=6&currency=GBP")))
        )
    }
    data = json.loads(body(client.get("/programmes.json")))
    plain = {p["slug"]: p for p in data["programmes"]}

    assert EXPORT_COLUMNS[-4:] == (  # appended after them
        "application_url",
        "deadline_source",
        "application_url_checked_on",
        "application_url_source",
    )
    assert EXPORT_COLUMNS[-13:-4] == (
        "deadline_state",
        "next_deadline",
        "deadline_confirmed",
        "estimate_weeks",
        "estimate_currency",
        "estimate_min",
        "estimate_max",
        "verdict",
        "verdict_reasons",
    )
    row = rows["roswell"]
    assert (row["deadline_state"], row["next_deadline"], row["deadline_confirmed"]) == (
        "upcoming",
        "2027-02-21",
        "false",
    )
    assert (row["estimate_weeks"], row["estimate_currency"]) == ("6", "GBP")
    assert (row["verdict"], row["verdict_reasons"]) == (
        "not_eligible",
        "Requires age 17 or over; you will be 16.",
    )
    assert (rows["rolling"]["deadline_state"], rows["rolling"]["next_deadline"]) == ("rolling", "")
    assert plain["roswell"]["deadline_confirmed"] is False
    assert plain["roswell"]["verdict"] == ""  # no profile, no verdict
    assert plain["rolling"]["estimate_min"] is None  # no length stated: no estimate


def test_the_sitemap_lists_published_programmes_and_the_main_pages(client):
    published = make_programme(slug="listed")
    make_programme(slug="hidden", status="draft")

    index = body(client.get("/sitemap.xml"))
    xml = body(client.get("/sitemap-programmes.xml"))

    assert "<loc>http://testserver/sitemap-programmes.xml</loc>" in index
    assert f"<loc>http://testserver{published.get_absolute_url()}</loc>" in xml
    assert "/programmes/hidden/" not in xml
    assert "<loc>http://testserver/guides/</loc>" in body(client.get("/sitemap-pages.xml"))


def test_the_atom_feed_lists_new_and_updated_programmes_newest_first(client):
    make_programme(title="Older")
    make_programme(title="Newer")

    xml = body(client.get("/programmes/feed.atom"))

    assert 'xmlns="http://www.w3.org/2005/Atom"' in xml
    assert xml.index("Newer") < xml.index("Older")
    assert "<updated>" in xml


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_the_admin(client):
    text = body(client.get("/robots.txt"))

    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_the_favicon_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    html = body(client.get("/"))

    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert 'rel="icon"' in html
    assert 'rel="alternate" type="application/atom+xml"' in html
