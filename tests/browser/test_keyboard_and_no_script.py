"""The filter form with a keyboard only, and every student flow with JavaScript turned off."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.viewports import DESKTOP, PHONE

pytestmark = pytest.mark.browser


# Every control a keyboard can reach inside the filter form, in document order.
FOCUSABLE_IN_FORM = """() => [...document.querySelectorAll(
  '.filters__form :is(input, select, button, summary, a[href])'
)].filter((el) => el.checkVisibility()).map((el) => el.id || el.textContent.trim())"""

FOCUSED = "() => document.activeElement.id || document.activeElement.textContent.trim()"


def focus_ring(page: Page) -> str:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle + ' ' + s.outlineWidth; }"
    )


def tab_until(page: Page, target: str, limit: int = 80) -> list[str]:
    """Press Tab until `target` has focus; return what got focus on the way, in order."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
        if seen[-1] == target:
            return seen
    raise AssertionError(f"Tab never reached {target!r}; it went {seen}")


def test_the_filter_form_follows_reading_order_with_a_visible_focus_ring(page: Page, seeded_server):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{seeded_server.url}/programmes/")
    expected = page.evaluate(FOCUSABLE_IN_FORM)
    assert expected[:4] == ["f-q", "f-region", "f-country", "f-type-1"]  # type: checkboxes

    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    assert focus_ring(page) == "solid 3px"

    seen = tab_until(page, "f-q")
    assert "Programmes" in seen  # the main navigation comes before the form
    in_form = [page.evaluate(FOCUSED)]
    while in_form[-1] != expected[-1]:
        page.keyboard.press("Tab")
        in_form.append(page.evaluate(FOCUSED))
        assert focus_ring(page) == "solid 3px", in_form[-1]
    assert in_form == expected


def test_a_keyboard_user_searches_with_enter_and_filters_with_space_on_a_desktop(
    page: Page, seeded_server
):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{seeded_server.url}/programmes/")
    tab_until(page, "f-q")
    page.keyboard.type("research")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"q=research"))
    expect(
        page.get_by_role("heading", level=2, name=re.compile(r"^\d+ programmes?$"))
    ).to_be_visible()

    # With the script on, a checked box shows its results at once and keeps the focus.
    unpaid = page.get_by_role("checkbox", name=re.compile(r"^Unpaid"))
    unpaid_id = unpaid.get_attribute("id")
    assert unpaid_id is not None
    tab_until(page, unpaid_id)
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"pay=unpaid"))
    expect(page.get_by_role("checkbox", name=re.compile(r"^Unpaid"))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Unpaid"))).to_be_focused()

    tab_until(page, "Show programmes")
    page.keyboard.press("Space")
    expect(page).to_have_url(re.compile(r"q=research.*pay=unpaid"))


def test_a_keyboard_user_opens_the_filters_and_submits_them_on_a_phone(page: Page, seeded_server):
    page.set_viewport_size(PHONE)
    page.goto(f"{seeded_server.url}/programmes/")
    region = page.get_by_label("Region")
    expect(region).to_be_hidden()

    tab_until(page, "Filters")
    page.keyboard.press("Enter")
    expect(region).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("searchbox", name="Search")).to_be_focused()

    unpaid_id = page.get_by_role("checkbox", name=re.compile(r"^Unpaid")).get_attribute("id")
    assert unpaid_id is not None
    tab_until(page, unpaid_id)
    page.keyboard.press("Space")
    expect(page).not_to_have_url(re.compile(r"pay="))  # on a phone nothing submits by itself
    tab_until(page, "Show programmes")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"pay=unpaid"))
    expect(page.get_by_role("heading", level=2, name="2 programmes")).to_be_visible()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_student_finds_filters_and_reads_a_programme_with_javascript_off(
    browser: Browser, seeded_server, viewport
):
    context = browser.new_context(java_script_enabled=False, viewport=viewport)
    page = context.new_page()
    page.goto(f"{seeded_server.url}/")
    page.get_by_label("Search programmes").fill("London")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/programmes/\?q=London"))

    if viewport is PHONE:
        page.locator("summary", has_text="Filters").click()
    page.get_by_role("group", name="Type of placement").get_by_label(
        re.compile(r"^Research")
    ).check()
    page.get_by_role("button", name="Show programmes").click()
    expect(page).to_have_url(re.compile(r"type=research"))
    expect(
        page.get_by_role("link", name="UCL Summer Research Internship", exact=True)
    ).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^Remove filter .*Research")).click()
    expect(page).not_to_have_url(re.compile(r"type=research"))

    page.get_by_role("link", name="UCL Summer Research Internship", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("UCL Summer Research Internship")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Guides").click()
    page.get_by_role("link", name="Frequently asked questions").click()
    page.get_by_role("group").first.get_by_role("heading").click()  # a <details> opens without JS
    expect(page.locator(".faq details").first).to_have_attribute("open", "")
    context.close()
