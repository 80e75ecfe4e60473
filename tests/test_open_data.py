"""What machines read: JSON-LD, exports, sitemap, feed, robots.txt, favicon and OpenGraph."""

import csv
import io
import json
from decimal import Decimal

import pytest

from programs.publishing.exports import EXPORT_COLUMNS
from tests.factories import make_cost, make_country, make_programme, make_rule

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
    assert data["applicationDeadline"] == "2027-03-15"
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


def test_the_export_query_count_does_not_grow_with_the_rows(client, django_assert_num_queries):
    for _ in range(3):
        make_programme(countries=[make_country()])
    with django_assert_num_queries(2):
        body(client.get("/programmes.csv"))
    for _ in range(5):
        make_programme(countries=[make_country()])
    with django_assert_num_queries(2):
        body(client.get("/programmes.json"))


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
