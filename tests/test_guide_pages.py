"""The guides: topic index and topic pages, every point with its source."""

from decimal import Decimal

import pytest
from django.urls import reverse

from programs.models import GuideItem
from tests.factories import (
    make_cost_benchmark,
    make_guide,
    make_guide_item,
    make_guide_topic,
    make_study_level,
    make_timeline_stage,
)

pytestmark = pytest.mark.django_db

Kind = GuideItem.Kind


def test_the_index_lists_topics_with_their_summaries(client):
    make_guide_topic(slug="legitimacy", title="Is it legitimate?", summary="Check before you pay.")

    html = client.get(reverse("programs:guides")).content.decode()

    assert 'href="/guides/legitimacy/">Is it legitimate?</a>' in html
    assert "Check before you pay." in html


def test_items_sharing_a_source_cite_it_once_per_group(client):
    guide = make_guide(short_title="International Medical Internships 2026")
    topic = make_guide_topic(slug="legitimacy")
    section = "How Can You Tell If a Medical Internship Programme Is Legitimate?"
    for title in ("Named clinicians", "Fee structure"):
        make_guide_item(
            topic=topic, kind=Kind.CHECK, title=title, source_guide=guide, source_section=section
        )

    html = client.get(topic.get_absolute_url()).content.decode()

    assert "Named clinicians" in html and "Fee structure" in html
    assert ">Checklist</h2>" in html
    assert html.count(section) == 1
    assert f"<cite>International Medical Internships 2026</cite> — {section}" in html


def test_items_from_different_sources_each_cite_their_own(client):
    topic = make_guide_topic(slug="faq")
    make_guide_item(topic=topic, kind=Kind.FAQ, title="Are they paid?", source_section="FAQ")
    make_guide_item(
        topic=topic,
        kind=Kind.FAQ,
        title="How long?",
        body="Most run 2 to 12 weeks.",
        source_section="Frequently Asked Questions (FAQ)",
    )

    html = client.get(topic.get_absolute_url()).content.decode()

    assert "<summary><h3>How long?</h3></summary>" in html
    assert "Most run 2 to 12 weeks." in html
    assert "— FAQ</p>" in html
    assert "— Frequently Asked Questions (FAQ)</p>" in html


def test_red_flags_are_visibly_marked_and_groups_keep_their_headings(client):
    topic = make_guide_topic(slug="legitimacy")
    make_guide_item(topic=topic, kind=Kind.RED_FLAG, title="Unsupervised practice", group="Avoid")
    make_guide_item(topic=topic, kind=Kind.STEP, title="Email the consultant")

    html = client.get(topic.get_absolute_url()).content.decode()

    assert ">Avoid</h2>" in html
    assert '<span class="badge badge--bad">Red flag</span>' in html
    assert ">Step by step</h2>" in html
    assert '<ol class="guide-items">' in html


def test_the_timeline_shows_its_stages_in_order_with_their_items(client):
    topic = make_guide_topic(slug="timeline")
    late = make_timeline_stage(name="Preparation Stage", months_before_min=2, months_before_max=4)
    early = make_timeline_stage(
        name="Preliminary Selection Stage", months_before_min=6, months_before_max=12, position=0
    )
    late.position = 2
    late.save()
    make_guide_item(topic=topic, kind=Kind.CHECK, title="Shortlist countries", stage=early)
    make_guide_item(topic=topic, kind=Kind.CHECK, title="Apply for the visa", stage=late)

    html = client.get(topic.get_absolute_url()).content.decode()

    assert "6–12 months before" in html and "2–4 months before" in html
    assert html.index("Preliminary Selection Stage") < html.index("Shortlist countries")
    assert html.index("Shortlist countries") < html.index("Preparation Stage")
    assert html.index("Preparation Stage") < html.index("Apply for the visa")


def test_requirements_show_the_study_level_each_rule_is_about(client):
    topic = make_guide_topic(slug="requirements")
    level = make_study_level(name="Pre-med students")
    make_guide_item(
        topic=topic, kind=Kind.REQUIREMENT, title="Usually observational", study_level=level
    )

    html = client.get(topic.get_absolute_url()).content.decode()

    assert '<span class="badge">Pre-med students</span>' in html


def test_the_costs_topic_shows_the_2026_benchmarks(client):
    topic = make_guide_topic(slug="costs")
    make_cost_benchmark(
        kind="programme_fee",
        currency="EUR",
        amount_min=Decimal(800),
        amount_max=Decimal(3000),
        open_ended=True,
        period="per_month",
        source_section="How Much Do International Medical Internships Cost? Will I Be Paid?",
    )

    html = client.get(topic.get_absolute_url()).content.decode()

    assert "Programme fee" in html
    assert "€800–3,000+ per month" in html
    assert "How Much Do International Medical Internships Cost? Will I Be Paid?" in html


def test_other_topics_do_not_show_the_benchmarks(client):
    make_cost_benchmark(currency="EUR", amount_min=Decimal(500))
    topic = make_guide_topic(slug="faq")

    assert "What to budget in 2026" not in client.get(topic.get_absolute_url()).content.decode()


def test_a_topic_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    topic = make_guide_topic(slug="timeline")
    stage = make_timeline_stage()
    level = make_study_level()
    for _ in range(6):
        make_guide_item(topic=topic, stage=stage, study_level=level)
        make_guide_item(topic=topic, kind=Kind.FAQ, source_guide=make_guide())

    with django_assert_num_queries(3):
        assert client.get(topic.get_absolute_url()).status_code == 200


def test_an_unknown_topic_is_not_found(client):
    assert client.get("/guides/no-such-topic/").status_code == 404
