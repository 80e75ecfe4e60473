"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page type at both viewports, in light and dark.

The light scheme runs every WCAG rule; the dark scheme changes only colours, so it runs the rules
that read colours (contrast, links told apart from text), on the same loaded page after the
colour scheme is switched (the page's CSS answers `prefers-color-scheme` without a reload). One
test per viewport, so parallel workers share them. With SCREENSHOTS=1 (`make screenshots`) each page is photographed into
artifacts/ (git-ignored) for a person to look at; the everyday run skips the pictures (about a third
of its time).
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.viewports import DESKTOP, PHONE

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {
    "light": {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    "dark": {
        "runOnly": {"type": "rule", "values": ["color-contrast", "link-in-text-block"]},
        "resultTypes": ["violations"],
    },
}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

# One URL per page type a student can reach, with the name its screenshots take.
PAGE_TYPES = {
    "home": "/",
    "list": "/programmes/",
    "list-filtered": "/programmes/?region=europe&pay=unpaid&level=medical-student",
    "list-empty": "/programmes/?q=no-programme-is-called-this",
    "list-invalid": "/programmes/?type=not-a-type&duration=forever",
    "detail": "/programmes/uclh-hospital-shadowing-elective/",
    "destinations": "/destinations/",
    "region": "/destinations/europe/",
    "guides": "/guides/",
    "guide-topic": "/guides/timeline/",
    "faq-topic": "/guides/faq/",
    "not-found": "/programmes/no-such-programme/",
    "eligibility": "/eligibility/?age=17&study=secondary-school&residence=GB&enrolled=yes",
    "eligibility-errors": "/eligibility/?age=abc&weeks=0&study=secondary-school",
    "eligibility-dentistry": "/eligibility/?study=medical-student&discipline=dentistry",
    "list-empty-graduate": "/programmes/?country=GB&level=graduate",
    # Issue 20: partial matches, routes with their verdicts, budget marks in rupees.
    "list-partial-match": "/programmes/?q=paediatrics+zebrafish",
    "eligibility-nursing-routes": (
        "/eligibility/?age=21&study=medical-student&discipline=nursing&university=other"
    ),
    "list-rupee-budget": "/programmes/?currency=INR&weeks=4&max_cost=400000",
    "list-budget-types": "/programmes/?type=shadowing&type=clinical_rotation&currency=GBP&max_cost=3000",
    "list-with-profile": "/programmes/?age=17&study=secondary-school&residence=GB&sort=cost",
    "detail-with-plan": (
        "/programmes/lite-regal-medical-internship-shadowing-london/"
        "?age=17&study=secondary-school&start=2027-07-01&weeks=2&currency=GBP"
    ),
    "compare": (
        "/compare/?p=lite-regal-medical-internship-shadowing-london"
        "&p=nhgri-summer-internship-biomedical-research&age=17"
    ),
    "deadlines": "/deadlines/",
    "suggest-correction": "/programmes/uclh-hospital-shadowing-elective/suggest/",
    "propose-programme": "/suggestions/propose/",
    "privacy": "/privacy/",
    "alert-search": "/alerts/search/?region=europe&pay=unpaid&level=medical-student",
    "alert-deadlines": (
        "/alerts/deadlines/?p=lite-regal-medical-internship-shadowing-london"
        "&p=nhgri-summer-internship-biomedical-research"
    ),
}

# Pages that report bad input or a missing page still render, with their status.
STATUS = {"not-found": 404, "eligibility-errors": 400}


def axe_violations(page: Page, scheme: str) -> str:
    results = Axe().run(page, options=AXE_OPTIONS[scheme])
    return "" if results.violations_count == 0 else results.generate_report()


@pytest.mark.parametrize("viewport_name", VIEWPORTS)
def test_every_page_type_has_no_axe_violations_in_light_or_dark(
    page: Page, seeded_server, screenshot, viewport_name
):
    page.set_viewport_size(VIEWPORTS[viewport_name])
    found = {}
    for name, path in PAGE_TYPES.items():
        # Reduced motion: the switch to dark applies at once (no colour transition under axe).
        page.emulate_media(color_scheme="light", reduced_motion="reduce")
        response = page.goto(f"{seeded_server.url}{path}")
        assert response is not None
        assert response.status == STATUS.get(name, 200), path
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            assert page.evaluate(f"matchMedia('(prefers-color-scheme: {scheme})').matches")
            report = axe_violations(page, scheme)
            if report:
                found[f"{name} ({viewport_name}, {scheme})"] = report
            screenshot(f"{name}-{viewport_name}-{scheme}")
    assert not found, "\n\n".join(f"== {where}\n{report}" for where, report in found.items())
