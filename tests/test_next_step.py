"""Every listing ends in something a student can do: the official application page an adviser
recorded, else the official website, else a labelled web search for the programme's exact name and
organisation. A site the guide cites for another fact is never offered as the way to apply."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from programs.decisions.next_step import StepKind, next_step
from programs.models import Programme
from programs.models.review import REASONS, review_reasons
from tests.factories import make_organisation, make_programme

pytestmark = pytest.mark.django_db


def test_every_seeded_programme_has_a_next_step_on_its_page_and_its_card(client, seeded):
    programmes = list(Programme.objects.published().select_related("organisation"))
    assert len(programmes) >= 18
    listing = client.get(reverse("programs:list"), {"page_size": 100}).content.decode()
    for programme in programmes:
        step = next_step(programme)
        assert step.links, programme.slug
        page = client.get(programme.get_absolute_url()).content.decode()
        for link in step.links:
            assert f'href="{link.url}"' in page.replace("&amp;", "&"), programme.slug
        assert "Next step." in page
    assert listing.count('class="next-step ') >= min(len(programmes), 10)


# The 2025/2026 guide cites these for facts, not as the way to apply: UCLH's "Eligibility: Medical
# students (esp. international) ... (reddit.com)", Penn's "Paid: Partial funding (stipend)
# available (internshipglobal.com)", UCL's duration "(sussex.ac.uk, en.wikipedia.org)".
CITED_FOR_A_FACT = {
    "lite-regal-medical-internship-shadowing-london": "literegal.co.uk",
    "uclh-hospital-shadowing-elective": "reddit.com",
    "ucl-summer-research-internship": "sussex.ac.uk",
    "nhgri-summer-internship-biomedical-research": "internshipglobal.com",
    "penn-center-for-global-health-internship": "internshipglobal.com",
}


@pytest.mark.parametrize(("slug", "site"), CITED_FOR_A_FACT.items())
def test_a_site_the_guide_cites_for_a_fact_is_never_the_next_step(client, seeded, slug, site):
    programme = Programme.objects.select_related("organisation").get(slug=slug)
    step = next_step(programme)

    assert step.kind == StepKind.SEARCH
    assert all(site not in link.url for link in step.links)
    assert step.links[0].text.startswith("Web search for")
    page = client.get(programme.get_absolute_url()).content.decode()
    next_step_html = page[page.index('class="next-step ') :]
    next_step_html = next_step_html[: next_step_html.index("</div>")]
    assert site not in next_step_html
    assert "Check with the provider" in next_step_html


def test_an_application_page_an_adviser_recorded_comes_first(client):
    programme = make_programme(
        application_url="https://example.org/apply",
        website="https://example.org/",
        guide_references="example.org",
    )
    step = next_step(programme)
    assert step.kind == StepKind.APPLICATION
    assert [link.url for link in step.links] == ["https://example.org/apply"]
    page = client.get(programme.get_absolute_url()).content.decode()
    assert 'href="https://example.org/apply"' in page


def test_a_listing_with_nothing_recorded_offers_a_labelled_search_for_its_name_and_organisation():
    programme = make_programme(
        title="Summer Shadowing",
        organisation=make_organisation(name="St Elsewhere"),
        application_url="",
    )
    step = next_step(programme)
    assert step.kind == StepKind.SEARCH
    (link,) = step.links
    assert link.text.startswith("Web search for")
    query = parse_qs(urlsplit(link.url).query)["q"]
    assert query == ['"Summer Shadowing" "St Elsewhere"']
    assert "not a page we have checked" in step.caveat


def test_the_review_queue_flags_a_published_listing_without_an_application_page(pin_today):
    pin_today(date(2026, 3, 1))
    without = make_programme(last_verified=date(2026, 2, 1), application_url="")
    with_page = make_programme(
        last_verified=date(2026, 2, 1), application_url="https://example.org/apply"
    )
    draft = make_programme(last_verified=date(2026, 2, 1), status=Programme.Status.DRAFT)
    flagged = {
        p.pk: review_reasons(p)
        for p in Programme.objects.needs_review(date(2026, 3, 1))
        if p.pk in {without.pk, with_page.pk, draft.pk}
    }
    assert flagged.get(without.pk) == [REASONS["no_application_page"]]
    assert with_page.pk not in flagged
    assert REASONS["no_application_page"] not in flagged.get(draft.pk, [])
