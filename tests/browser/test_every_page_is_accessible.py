"""axe-core (WCAG 2.0/2.1/2.2 A and AA) on every page type, in light and dark, with screenshots.

The screenshots land in artifacts/ (git-ignored) so a person can look at each page at both viewports.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.browser.viewports import DESKTOP, PHONE

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": WCAG_TAGS},
    "resultTypes": ["violations"],
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


def axe_violations(page: Page) -> str:
    results = Axe().run(page, options=AXE_OPTIONS)
    return "" if results.violations_count == 0 else results.generate_report()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_page_type_has_no_axe_violations_and_is_photographed(
    page: Page, seeded_server, screenshot, scheme
):
    page.emulate_media(color_scheme=scheme)
    found = {}
    for name, path in PAGE_TYPES.items():
        for viewport_name, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)
            response = page.goto(f"{seeded_server.url}{path}")
            assert response is not None
            assert response.status == STATUS.get(name, 200), path
            report = axe_violations(page)
            if report:
                found[f"{name} ({viewport_name}, {scheme})"] = report
            screenshot(f"{name}-{viewport_name}-{scheme}")
    assert not found, "\n\n".join(f"== {where}\n{report}" for where, report in found.items())
