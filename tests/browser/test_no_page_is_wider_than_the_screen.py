"""No page scrolls sideways: on a 390 px phone and a 1,280 px laptop, every page type's document
is no wider than the window (tables that cannot fit scroll inside their own focusable box)."""

import pytest
from playwright.sync_api import Page

from tests.browser.test_every_page_is_accessible import PAGE_TYPES
from tests.browser.viewports import DESKTOP, PHONE

pytestmark = pytest.mark.browser

WIDEST_COMPARISON = (
    "/compare/?p=lite-regal-medical-internship-shadowing-london"
    "&p=nhgri-summer-internship-biomedical-research&p=uclh-hospital-shadowing-elective"
    "&p=ross-global-health-electives&age=21&weeks=4&currency=GBP"
)
PAGES = {**PAGE_TYPES, "compare-four": WIDEST_COMPARISON}

# The elements that stick out past the window's right edge, to name them when the test fails.
OVERFLOWING = """() => {
  const width = window.innerWidth;
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > width + 1)
    .filter(el => !el.parentElement.closest(".table-scroll"))
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)} px)`);
}"""


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_page_type_is_wider_than_the_viewport(page: Page, seeded_server, viewport):
    page.set_viewport_size(viewport)
    too_wide = {}
    for name, path in PAGES.items():
        page.goto(seeded_server.url + path)
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll_width > inner_width:
            too_wide[name] = (scroll_width, page.evaluate(OVERFLOWING))
    assert too_wide == {}
