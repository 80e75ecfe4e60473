"""A programme page's sources as numbered references (issue 13): each source once, numbered in the
order the page first cites it, in one list at the end; and the cost bar's visible legend."""

import datetime
import re

import pytest
from django.urls import reverse

from programs.models import Source
from programs.views.references import References
from tests.factories import make_guide, make_programme, make_source

pytestmark = pytest.mark.django_db

LITE_REGAL = "lite-regal-medical-internship-shadowing-london"


@pytest.fixture
def guide():
    return make_guide(
        title="International Medical Internships 2026: Opportunities", short_title="IMI 2026"
    )


def test_references_are_numbered_in_the_order_they_are_first_cited(guide):
    first = make_programme(source_guide=guide, source_section="Costs")
    second = make_programme(source_guide=guide, source_section="Documents")
    refs = References()

    numbers = [ref.number for record in (first, second, first) for ref in refs.of(record)]

    assert numbers == [1, 2, 1]
    assert [str(ref.words()) for ref in refs.items] == [
        "<cite>IMI 2026</cite>, section “Costs”",
        "<cite>IMI 2026</cite>, section “Documents”",
    ]


def test_a_guide_section_cited_as_text_is_the_same_reference_as_the_record(guide):
    programme = make_programme(source_guide=guide, source_section="Costs")
    refs = References([guide])

    (as_record,) = refs.of(programme)
    (as_text,) = refs.of(programme.citation)

    assert as_text == as_record
    assert len(refs.items) == 1


def test_a_record_citing_a_guide_and_the_providers_email_has_both_references(guide):
    email = make_source()
    programme = make_programme(source_guide=guide, source_section="Costs", source=email)
    refs = References()

    cited = refs.cite(programme)

    assert cited.count('<sup class="ref">') == 2
    assert [ref.number for ref in refs.of(email)] == [2]
    assert str(refs.items[1].words()) == (
        "From the provider&#x27;s email of 20 November 2026, recorded by an adviser"
    )


def test_a_website_source_links_the_page_that_was_read():
    website = make_source(
        kind=Source.Kind.WEBSITE, url="https://example.org/apply", date=datetime.date(2026, 10, 1)
    )
    refs = References()

    (ref,) = refs.of(website)

    assert '(<a href="https://example.org/apply" rel="noopener">' in str(ref.words())


def test_a_citation_known_only_as_text_is_listed_as_written():
    refs = References()

    (ref,) = refs.of("A leaflet from the fair")

    assert str(ref.words()) == "A leaflet from the fair"
    assert refs.of("") == []


def test_the_page_lists_each_source_once_and_cites_it_beside_the_facts(client, seeded):
    html = client.get(reverse("programs:detail", args=[LITE_REGAL])).content.decode()

    listed = re.findall(r'<li id="ref-\d+">(.*?)</li>', html.split('<h2 id="sources">')[1])
    assert len(listed) == len(set(listed)) >= 3
    assert listed[0] == (
        "<cite>10 Best Medical Internships 2025/2026</cite>, section "
        "“Internships in the United Kingdom: The NHS Experience”"
    )
    assert html.count('href="#ref-1"') >= 10
    assert "Source:" not in html


def test_the_cost_bar_has_a_visible_legend_naming_each_cost(client, seeded, pin_today):
    pin_today(datetime.date(2026, 11, 23))
    url = reverse("programs:detail", args=[LITE_REGAL]) + "?weeks=2&currency=GBP"

    html = client.get(url).content.decode()

    legend = html.split('<ul class="estimate__legend">')[1].split("</ul>")[0]
    for cost in ("Programme fee", "Flights", "Accommodation", "Insurance and visas"):
        assert f"{cost}: up to £" in legend
    assert "The mark: the lower estimate" in legend
    assert 'class="estimate__bar"' in html and 'aria-hidden="true"' in html
