"""Issue 16: sources beyond the guides. A provider's email, call or website, or another
publication, is a record; programmes, rules, costs and dated deadlines cite it, and public pages
say it in words."""

from __future__ import annotations

import datetime
import html
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programs.models import Programme, Source
from tests.factories import (
    make_cost,
    make_dated_deadline,
    make_guide,
    make_programme,
    make_source,
)

EMAIL_DAY = datetime.date(2026, 11, 20)


@pytest.fixture
def email(adviser) -> Source:
    return make_source(kind=Source.Kind.EMAIL, date=EMAIL_DAY, recorded_by=adviser)


# What each kind needs.


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"kind": "guide"}, "guide"),
        ({"kind": "guide", "section": "Roswell Park"}, "guide"),
        ({"kind": "website", "date": EMAIL_DAY}, "url"),
        ({"kind": "website", "url": "https://www.roswellpark.org/"}, "date"),
        ({"kind": "email", "date": None}, "date"),
        ({"kind": "call", "date": EMAIL_DAY, "recorded_by": None}, "recorded_by"),
        ({"kind": "publication"}, "title"),
    ],
    ids=[
        "guide-without-guide",
        "guide-section-only",
        "website-without-url",
        "website-without-date",
        "email-without-date",
        "call-without-recorder",
        "publication-without-title",
    ],
)
def test_each_kind_of_source_needs_its_own_facts_in_the_form_and_the_database(
    adviser, fields, field_in_error
):
    source = Source(**{"recorded_by": adviser, **fields})

    with pytest.raises(ValidationError) as refused:
        source.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        source.save()

    assert field_in_error in refused.value.message_dict


def test_a_source_dated_in_the_future_is_refused(adviser, pin_today):
    pin_today(datetime.date(2026, 11, 29))
    source = Source(kind="email", date=datetime.date(2026, 12, 1), recorded_by=adviser)

    with pytest.raises(ValidationError) as refused:
        source.full_clean()

    assert "in the future" in refused.value.message_dict["date"][0]


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        (
            {"kind": "email", "date": datetime.date(2026, 12, 12)},
            "from the provider's email of 12 December 2026, recorded by an adviser",
        ),
        (
            {"kind": "call", "date": datetime.date(2026, 3, 2)},
            "from a call with the provider on 2 March 2026, recorded by an adviser",
        ),
        (
            {"kind": "website", "url": "https://example.org/", "date": datetime.date(2026, 5, 1)},
            "from the provider's website, read on 1 May 2026",
        ),
        ({"kind": "publication", "title": "AAMC VSLO list"}, "from AAMC VSLO list"),
    ],
    ids=["email", "call", "website", "publication"],
)
def test_a_source_says_where_facts_come_from_in_words(adviser, fields, words):
    assert Source(recorded_by=adviser, **fields).in_words() == words


def test_a_guide_source_names_the_guide_and_its_section(db):
    guide = make_guide(title="International Medical Internships 2026")
    source = Source(kind="guide", guide=guide, section="Roswell Park")

    assert source.in_words() == (
        "from the guide International Medical Internships 2026, section “Roswell Park”"
    )
    assert str(source).startswith("From the guide")


# What a record must cite.


def test_a_programme_may_cite_only_a_source_but_never_nothing(email):
    programme = make_programme(source_guide=None, source_section="", source=email)
    programme.full_clean()

    programme.source = None
    with pytest.raises(ValidationError) as refused:
        programme.full_clean()

    assert "Cite the guide" in refused.value.message_dict["source_guide"][0]


def test_a_guide_citation_still_needs_its_section(db):
    programme = make_programme()
    programme.source_section = ""

    with pytest.raises(ValidationError) as refused:
        programme.full_clean()

    assert "source_section" in refused.value.message_dict


# Dated deadlines.


def test_a_dated_deadline_is_unique_per_programme_and_date(email):
    programme = make_programme()
    make_dated_deadline(programme, source=email)

    with pytest.raises(IntegrityError), transaction.atomic():
        make_dated_deadline(programme, source=email)


@pytest.mark.parametrize(
    ("cycle", "day", "ok"),
    [
        (2027, datetime.date(2027, 2, 20), True),
        (2027, datetime.date(2026, 12, 1), True),
        (2027, datetime.date(2028, 1, 10), False),
        (2027, datetime.date(2025, 12, 1), False),
        (207, datetime.date(2027, 2, 20), False),
    ],
)
def test_a_dated_deadline_falls_in_its_cycle_or_the_year_before(email, cycle, day, ok):
    deadline = make_dated_deadline(make_programme(), source=email)
    deadline.cycle, deadline.date = cycle, day

    if ok:
        deadline.full_clean()
    else:
        with pytest.raises(ValidationError):
            deadline.full_clean()


# Public pages say it in words.


@pytest.mark.usefixtures("pages_uncached")
def test_the_public_page_attributes_the_providers_email_to_the_deadline_and_stipend(client, email):
    programme = make_programme(title="Roswell Park Summer Research", source=email)
    make_dated_deadline(programme, cycle=2027, date=datetime.date(2027, 2, 20), source=email)
    make_cost(programme, kind="stipend", amount_min=Decimal("3500"), currency="USD", source=email)
    words = "from the provider's email of 20 November 2026, recorded by an adviser"

    page = html.unescape(client.get(programme.get_absolute_url()).text)

    assert f"and updated {words}." in page
    # The email is one numbered reference, cited beside the date and the stipend.
    said = "From the provider's email of 20 November 2026, recorded by an adviser"
    number = re.search(rf'<li id="ref-(\d+)">{re.escape(said)}</li>', page)
    assert number is not None
    cited = f'<sup class="ref"><a href="#ref-{number[1]}">'
    assert f"20 February 2027</time> for the 2027 cycle{cited}" in page
    assert re.search(rf"US\$3,500[^<]*{re.escape(cited)}", page)
    # The deadline's words in quotes are still the guide's (issue 23: under the guide's name).
    assert "Deadline, as the guide states it" in page


@pytest.mark.usefixtures("pages_uncached")
def test_a_programme_citing_only_the_providers_email_never_claims_a_guide(client, email):
    programme = make_programme(source_guide=None, source_section="", source=email)

    page = html.unescape(client.get(programme.get_absolute_url()).text)

    assert "Facts on this page come from the provider's email of 20 November 2026" in page
    assert "transcribed from <cite>" not in page
    assert "<cite>" not in page
    assert (
        '<li id="ref-1">From the provider\'s email of 20 November 2026, recorded by an adviser</li>'
    ) in page
    assert "as the guide states it" not in page


def test_the_open_data_export_gives_the_newer_source_in_words(client, email):
    make_programme(slug="roswell", source=email)

    data = json.loads(b"".join(client.get("/programmes.json").streaming_content))
    row = next(p for p in data["programmes"] if p["slug"] == "roswell")

    assert row["source"] == "from the provider's email of 20 November 2026, recorded by an adviser"
    assert Programme.objects.get(slug="roswell").source == email
