"""On a wide screen with JavaScript, the filters show results at once for a mouse choice, but a
change made with keys waits until the student leaves the field or presses Enter: arrow keys in a
list, or a start date typed part by part, never reload the page under the student's fingers."""

import re

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.browser.viewports import DESKTOP

pytestmark = pytest.mark.browser

# Long enough for a submitted form to start navigating; this measures nothing.
SETTLE_MS = 700


def navigations(page: Page) -> list[str]:
    seen: list[str] = []
    page.on(
        "framenavigated", lambda frame: seen.append(frame.url) if frame == page.main_frame else None
    )
    return seen


def test_arrow_keys_in_a_select_never_reload_until_the_student_leaves_it(page: Page, seeded_server):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{seeded_server.url}/programmes/")
    length = page.get_by_label("Length", exact=True)
    length.focus()
    seen = navigations(page)

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(SETTLE_MS)

    assert seen == []
    assert page.url == f"{seeded_server.url}/programmes/"
    chosen = length.input_value()
    assert chosen  # the keys did change the choice, without a reload
    # Options counted "(0)" are disabled, so the keys skip them.
    assert "(0)" not in length.locator("option:checked").inner_text()

    page.keyboard.press("Tab")  # leaving the field shows its results
    expect(page).to_have_url(re.compile(rf"duration={chosen}"))
    expect(page.get_by_label("Application deadline", exact=True)).to_be_focused()


def test_enter_in_a_select_shows_the_results_of_the_keyed_choice(page: Page, seeded_server):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{seeded_server.url}/programmes/")
    deadline = page.get_by_label("Application deadline", exact=True)
    deadline.focus()
    seen = navigations(page)
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(SETTLE_MS)
    assert seen == []

    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(rf"deadline={deadline.input_value() or '[a-z_]+'}"))


def test_a_start_date_can_be_typed_without_a_reload_per_part(page: Page, seeded_server):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{seeded_server.url}/programmes/")
    page.locator("summary", has_text="Your profile").first.click()
    start = page.get_by_label(re.compile(r"^Intended start date"))
    start.focus()
    seen = navigations(page)

    page.keyboard.type("07012027")  # month, day, year: Chromium's en-US order
    page.wait_for_timeout(SETTLE_MS)

    assert seen == []
    assert start.input_value() == "2027-07-01"
    # Tab moves through the date's parts (and its picker button) first, then out of the field.
    for _ in range(3):
        page.keyboard.press("Tab")
        try:
            page.wait_for_url(re.compile(r"start=2027-07-01"), timeout=SETTLE_MS)
            break
        except PlaywrightTimeoutError:
            continue
    expect(page).to_have_url(re.compile(r"start=2027-07-01"))


def test_a_box_ticked_with_the_mouse_still_shows_its_results_at_once(page: Page, seeded_server):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{seeded_server.url}/programmes/")

    page.get_by_role("checkbox", name=re.compile(r"^Research")).click()

    expect(page).to_have_url(re.compile(r"type=research"))
