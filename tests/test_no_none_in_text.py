"""No "None" in anything a student reads: every public page of the real directory (the home
page, the list under several queries, every programme, the comparison of a shortlist, deadlines,
destinations, guides, eligibility) and every export (CSV, JSON, calendars, feed). A Python None
that reaches a template or an export reads "None" ("for None week"): it must say what is not
stated, or say nothing."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser

import pytest

from programs.core import clock
from programs.models import GuideTopic, Programme, Region

pytestmark = pytest.mark.django_db

NONE = re.compile(r"\bNone\b")

LIST_QUERIES = [
    "",
    "?q=paediatrics",
    "?q=zzzz",
    "?level=graduate&country=GB",
    "?type=research&sort=cost",
    "?country=US&currency=INR&max_cost=500000&weeks=4",
    "?age=16&study=secondary-school&eligible=1",
    "?study=medical-student&discipline=nursing&university=other",
    "?deadline=rolling&sort=deadline",
    "?duration=8-plus&with_pay=1&currency=GBP",
    "?pay=stipend&delivery=virtual",
    "?start=2027-07-01&age=20&study=medical-student",
]
PROFILES = ["", "?age=20&study=medical-student&weeks=4&currency=INR"]


@pytest.fixture(autouse=True)
def on_a_winter_day(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 7))


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes outside scripts and styles, and the labels
    read aloud (alt, title, aria-label, placeholder); JSON-LD kept apart, for its values."""

    SPOKEN = ("alt", "title", "aria-label", "placeholder")

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.json_ld: list[str] = []
        self._skip: str | None = None
        self._ld = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._skip = tag
            self._ld = attributes.get("type") == "application/ld+json"
        self.text += [attributes[name] or "" for name in self.SPOKEN if name in attributes]

    def handle_endtag(self, tag):
        if tag == self._skip:
            self._skip, self._ld = None, False

    def handle_data(self, data):
        if self._ld:
            self.json_ld.append(data)
        elif self._skip is None:
            self.text.append(data)


def strings_in(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def nones_in_page(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    found = [" ".join(t.split()) for t in parser.text if NONE.search(t)]
    for block in parser.json_ld:
        found += [s for s in strings_in(json.loads(block)) if NONE.search(s)]
    return found


def public_pages() -> list[str]:
    programmes = list(Programme.objects.published().order_by("slug").values_list("slug", flat=True))
    shortlist = "&".join(f"p={slug}" for slug in programmes[:4])
    others = "&".join(f"p={slug}" for slug in programmes[4:8])
    pages = ["/", "/deadlines/", "/destinations/", "/guides/", "/eligibility/"]
    pages += [f"/programmes/{query}" for query in LIST_QUERIES]
    pages += [f"/programmes/{slug}/{profile}" for slug in programmes for profile in PROFILES]
    pages += [f"/compare/?{shortlist}", f"/compare/?{others}&age=16&study=secondary-school"]
    pages += [f"/compare/?{others}&weeks=6&currency=USD"]
    pages += [f"/destinations/{slug}/" for slug in Region.objects.values_list("slug", flat=True)]
    pages += [f"/guides/{slug}/" for slug in GuideTopic.objects.values_list("slug", flat=True)]
    pages += ["/eligibility/?age=20&study=medical-student&discipline=medicine&residence=IN"]
    pages += ["/eligibility/?age=14&study=secondary-school", "/eligibility/?discipline=nursing"]
    return pages


def test_no_public_page_shows_none_to_a_student(client, seeded):
    found = {}
    for url in public_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        nones = nones_in_page(response.content.decode())
        if nones:
            found[url] = nones[:3]

    assert found == {}, "\n".join(sorted({n for ns in found.values() for n in ns}))


def exports() -> list[str]:
    slugs = list(Programme.objects.published().order_by("slug").values_list("slug", flat=True))
    urls = []
    for query in ("", "?age=20&study=medical-student&weeks=4&currency=INR", "?country=GB"):
        urls += [f"/programmes.csv{query}", f"/programmes.json{query}"]
        urls += [f"/programmes/calendar.ics{query}", f"/programmes/feed.atom{query}"]
    urls.append("/compare/calendar.ics?" + "&".join(f"p={slug}" for slug in slugs[:8]))
    urls += [f"/programmes/{slug}/calendar.ics" for slug in slugs]
    urls += [f"/programmes/{slug}/calendar.ics?start=2027-07-01" for slug in slugs]
    return urls


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8-sig")
    return response.content.decode("utf-8-sig")


def test_no_export_says_none(client, seeded):
    found, read = {}, 0
    for url in exports():
        response = client.get(url)
        if response.status_code == 404:  # a calendar with no dated deadline says why, in words
            if NONE.search(body(response)):
                found[url] = [body(response)]
            continue
        assert response.status_code == 200, url
        text = body(response)
        read += 1
        if ".json" in url:
            nones = [s for s in strings_in(json.loads(text)) if NONE.search(s)]
        elif ".csv" in url:
            rows = csv.reader(io.StringIO(text))
            nones = [cell for row in rows for cell in row if NONE.search(cell)]
        else:
            nones = [line for line in text.splitlines() if NONE.search(line)]
        if nones:
            found[url] = nones[:3]

    assert read >= 12
    assert found == {}, "\n".join(sorted({n for ns in found.values() for n in ns}))
