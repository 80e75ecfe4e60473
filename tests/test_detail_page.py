"""The programme page: every fact with its source, and "Not stated in source" where a guide is silent."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from programs.core import clock
from programs.decisions.deadlines import deadline_status
from programs.models import Cost, GuideItem, GuideTopic, Period, Programme, Region
from programs.templatetags.directory import amount
from tests.factories import (
    make_city,
    make_cost,
    make_country,
    make_discipline,
    make_guide,
    make_guide_item,
    make_guide_topic,
    make_organisation,
    make_programme,
    make_region,
    make_rule,
    make_speciality,
    make_study_level,
)

pytestmark = pytest.mark.django_db


def detail_url(programme: Programme) -> str:
    return reverse("programs:detail", kwargs={"slug": programme.slug})


@pytest.fixture
def guide():
    return make_guide(
        slug="best-2025",
        title="10 Best Medical Internship For International Students 2025/2026",
        short_title="10 Best 2025/2026",
    )


@pytest.fixture
def lite_regal(guide):
    """A fully described programme, modelled on the guide's first UK entry."""
    europe = make_region(name="Europe", slug="europe")
    uk = make_country("GB", name="United Kingdom", region=europe)
    programme = make_programme(
        title="Lite Regal Medical Internship & Shadowing",
        slug="lite-regal",
        organisation=make_organisation(name="Lite Regal"),
        source_guide=guide,
        source_section="Internships in the United Kingdom: The NHS Experience",
        guide_references="eligibility: literegal.co.uk; duration: literegal.co.uk",
        application_url="",  # so the next step is the site the guide cites
        countries=[uk],
        specialities=[make_speciality(name="Emergency medicine")],
        study_levels=[make_study_level(name="Secondary school (Year 12+)")],
        location_note="London hospitals and clinics",
        pay=Programme.Pay.FEE,
        pay_note="Unpaid; program fee applies",
        duration_min_weeks=1,
        duration_max_weeks=4,
        duration_note="Flexible, longer by arrangement",
        start_month=6,
        end_month=8,
        dates_note="Any time of year",
        deadline_kind=Programme.DeadlineKind.FIXED,
        deadline_month=2,
        deadline_day=15,
        deadline_note="Mid-February (approx. Feb 15)",
        role_includes="Clinical shadowing\nWard rounds",
        role_excludes="Unsupervised patient care",
        certificate="Certificate and recommendation letter",
        recognition_notes="Check with your medical school.",
        how_to_apply="Apply online.",
        website="https://www.example.org/lite-regal",
        last_verified=date(2026, 11, 2),
    )
    programme.cities.set([make_city(name="London", country=uk)])
    programme.disciplines.set([make_discipline(name="Medicine")])
    programme.partners.set([make_organisation(name="St Example's Hospital")])
    make_rule(programme, text="Aged 17 or over", kind="min_age", min_age=17)
    make_rule(programme, text="Baltimore City residents", applies_to="in_person")
    make_rule(programme, text="Open to all US", applies_to="virtual")
    make_cost(
        programme,
        kind="programme_fee",
        currency="USD",
        amount_min=Decimal(2000),
        amount_max=Decimal(5000),
        period="per_week",
        approximate=True,
        notes="Includes the certificate",
    )
    make_cost(programme, kind="stipend", currency="GBP", amount_min=Decimal(350), period="per_week")
    make_cost(programme, kind="accommodation", currency="", amount_min=None)
    return programme


def test_the_page_shows_each_fact_of_the_programme(client, lite_regal):
    html = client.get(detail_url(lite_regal)).content.decode()

    for fact in (
        "Lite Regal Medical Internship &amp; Shadowing",
        "St Example&#x27;s Hospital",
        "United Kingdom",
        "London",
        "London hospitals and clinics",
        "In person",
        "Clinical shadowing",
        "Emergency medicine",
        "Medicine",
        "Secondary school (Year 12+)",
        "Fee-charging",
        "Unpaid; program fee applies",
        "1–4 weeks",
        "Flexible, longer by arrangement",
        "June–August",
        "Any time of year",
        "Mid-February (approx. Feb 15)",
        "Ward rounds",
        "Unsupervised patient care",
        "Certificate and recommendation letter",
        "Check with your medical school.",
        "Apply online.",
        'href="https://www.example.org/lite-regal"',
        '<time datetime="2026-11-02">2 November 2026</time>',
    ):
        assert fact in html, fact


def test_every_fact_cites_the_guide_and_its_section_as_a_numbered_reference(client, lite_regal):
    html = client.get(detail_url(lite_regal)).content.decode()

    # One list of sources at the end, each once, and numbered references beside the facts.
    assert html.count('<li id="ref-1">') == 1
    assert (
        '<li id="ref-1"><cite>10 Best 2025/2026</cite>, section '
        "“Internships in the United Kingdom: The NHS Experience”</li>"
    ) in html
    assert html.count('<sup class="ref"><a href="#ref-1">') >= 10
    assert "Source:" not in html
    # Lite Regal: "(literegal.co.uk)" after its eligibility and its duration.
    assert "The guide cites literegal.co.uk for these rules." in html
    assert '<span class="source">(the guide cites literegal.co.uk)</span></dd>' in html


def test_a_country_links_to_its_region_page(client, lite_regal):
    html = client.get(detail_url(lite_regal)).content.decode()

    assert 'href="/destinations/europe/">United Kingdom</a>' in html


def test_empty_facts_say_not_stated_in_source(client, guide):
    bare = make_programme(
        source_guide=guide, pay=Programme.Pay.UNKNOWN, deadline_kind="unknown", website=""
    )

    html = client.get(detail_url(bare)).content.decode()

    assert html.count("Not stated in source") >= 15
    assert "Official website" in html
    assert "https://" not in html.split("Official website")[1].split("</dd>")[0]


def test_costs_show_currency_range_period_and_missing_amounts(client, lite_regal):
    html = client.get(detail_url(lite_regal)).content.decode()

    assert "~US$2,000–5,000 per week" in html
    assert "£350 per week" in html
    assert "Amount not stated in source" in html
    assert "Includes the certificate" in html


@pytest.mark.parametrize(
    ("low", "high", "currency", "open_ended", "approximate", "expected"),
    [
        (Decimal(350), None, "GBP", False, True, "~£350 per week"),
        (Decimal(2000), Decimal(5000), "USD", False, False, "US$2,000–5,000 per week"),
        (Decimal(800), Decimal(3000), "EUR", True, False, "€800–3,000+ per week"),
        (Decimal("7.50"), None, "CHF", False, False, "CHF 7.50 per week"),
        (Decimal(50), Decimal(50), "EUR", False, False, "€50 per week"),
        (None, None, "", False, False, "Amount not stated in source"),
    ],
)
def test_money_ranges_read_as_the_guides_write_them(
    low, high, currency, open_ended, approximate, expected
):
    cost = Cost(
        amount_min=low,
        amount_max=high,
        currency=currency,
        open_ended=open_ended,
        approximate=approximate,
        period=Period.PER_WEEK,
    )
    assert amount(cost) == expected


def test_eligibility_rules_say_which_places_they_apply_to(client, lite_regal):
    html = client.get(detail_url(lite_regal)).content.decode()

    assert "Aged 17 or over" in html
    assert 'Baltimore City residents <span class="badge">In-person places only</span>' in html
    assert 'Open to all US <span class="badge">Virtual places only</span>' in html


def test_the_next_deadline_is_worked_out_from_today(client, lite_regal):
    expected = deadline_status(lite_regal, clock.today())

    html = client.get(detail_url(lite_regal)).content.decode()

    assert expected.label in html
    assert expected.date is not None
    assert f'<time datetime="{expected.date:%Y-%m-%d}">' in html
    assert expected.date.month == 2 and expected.date.day == 15


def test_once_this_years_date_has_gone_next_years_is_expected_never_closed(
    client, lite_regal, monkeypatch
):
    monkeypatch.setattr("programs.core.clock.today", lambda: date(2026, 3, 1))

    html = client.get(detail_url(lite_regal)).content.decode()

    assert "Closed" not in html
    assert "Expected around 15 Feb 2027 (351 days left)" in html
    assert '<time datetime="2027-02-15">15 February 2027</time>' in html


def test_the_page_lists_the_guides_documents_and_provider_questions(client, lite_regal, guide):
    documents = make_guide_topic(slug="documents")
    legitimacy = make_guide_topic(slug="legitimacy")
    make_guide_item(topic=documents, kind="document", title="A valid passport")
    make_guide_item(topic=legitimacy, kind="check", title="Who will supervise you day to day")
    make_guide_item(
        topic=legitimacy, kind="red_flag", title="Unsupervised clinical practice is advertised"
    )
    make_guide_item(topic=legitimacy, kind="point", title="Quality depends on the provider")

    html = client.get(detail_url(lite_regal)).content.decode()

    assert "A valid passport" in html
    # Nobody assessed the check: it becomes a question to ask.
    assert "Ask the provider: who will supervise you day to day?" in html
    # Nobody assessed it: neutral, never a red "Red flag" pill.
    assert '<span class="badge">Not assessed</span> Unsupervised clinical practice' in html
    assert "badge--bad" not in html
    assert "Quality depends on the provider" not in html
    for slug in ("documents", "timeline", "recognition", "legitimacy"):
        assert f'href="/guides/{slug}/"' in html


def test_guide_advice_on_the_page_cites_its_own_source(client, lite_regal):
    other = make_guide(short_title="International Medical Internships 2026")
    documents = make_guide_topic(slug="documents")
    make_guide_item(
        topic=documents,
        kind=GuideItem.Kind.DOCUMENT,
        title="Immunisation records",
        source_guide=other,
        source_section="What Documents Do You Need for International Medical Internships?",
    )

    html = client.get(detail_url(lite_regal)).content.decode()

    assert (
        "<cite>International Medical Internships 2026</cite>, section "
        "“What Documents Do You Need for International Medical Internships?”"
    ) in html
    assert 'Immunisation records<sup class="ref"><a href="#ref-' in html


@pytest.mark.parametrize("status", [Programme.Status.DRAFT, Programme.Status.ARCHIVED])
def test_unpublished_programmes_are_not_found(client, status):
    programme = make_programme(status=status)

    assert client.get(detail_url(programme)).status_code == 404


def test_an_unknown_slug_is_not_found(client):
    assert client.get("/programmes/no-such-programme/").status_code == 404


@pytest.mark.parametrize(
    "path", ["/programmes/%00/", "/programmes/caf%C3%A9/", "/programmes/a%2Fb/", "/programmes/'/"]
)
def test_a_slug_with_odd_characters_is_not_found_rather_than_an_error(client, path):
    assert client.get(path).status_code == 404


def add_children(programme: Programme, n: int) -> None:
    region = make_region()
    for _ in range(n):
        country = make_country(region=region)
        programme.countries.add(country)
        programme.cities.add(make_city(country=country))
        programme.specialities.add(make_speciality())
        programme.study_levels.add(make_study_level())
        programme.disciplines.add(make_discipline())
        programme.partners.add(make_organisation())
        make_rule(programme).study_levels.add(make_study_level())
        make_cost(programme, amount_min=Decimal(10))


@pytest.mark.usefixtures("pages_uncached")
def test_the_query_count_does_not_grow_with_the_record(client, django_assert_num_queries):
    make_guide_item(topic=make_guide_topic(slug="documents"), kind="document")
    small, large = make_programme(), make_programme()
    add_children(small, 1)
    add_children(large, 6)
    # 15 for the record (its rules with clear and unclear levels, confirmed deadlines) and the
    # guides' advice, 1 for its legitimacy signals, 5 for the page's vocabularies (study levels,
    # disciplines, countries), benchmarks and rates.
    with django_assert_num_queries(21) as small_queries:
        assert client.get(detail_url(small)).status_code == 200
    with django_assert_num_queries(len(small_queries)):
        assert client.get(detail_url(large)).status_code == 200


def test_every_seeded_programme_region_and_guide_page_renders(client, seeded, monkeypatch):
    """The real fixtures: every published programme, every region and every guide topic."""
    monkeypatch.setattr("programs.core.clock.today", lambda: date(2026, 11, 20))
    programmes = list(Programme.objects.published())
    regions, topics = list(Region.objects.all()), list(GuideTopic.objects.all())
    assert len(programmes) >= 10 and len(regions) >= 5 and len(topics) >= 13

    paths = [reverse("programs:destinations"), reverse("programs:guides")]
    records: list[Programme | Region | GuideTopic] = [*programmes, *regions, *topics]
    paths += [record.get_absolute_url() for record in records]

    for path in paths:
        assert client.get(path).status_code == 200, path
