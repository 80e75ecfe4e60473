"""Issue 23: attribution without seams. After a provider's email changed a programme's fee: the
estimate cites the email for that fee; the guide's quoted words stay under the guide's reference;
the calendar and the exports say where the confirmed date comes from; the public "updated" time
moves with any change to a rule, cost, deadline or source; an organisation may cite any source;
and the notes still quoting the old fee are named to the adviser."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from programs.admin.old_figures import figure_pattern
from programs.decisions import costs
from programs.models import Cost, Organisation, Programme, Source
from tests.factories import (
    make_cost,
    make_dated_deadline,
    make_guide,
    make_guide_item,
    make_guide_topic,
    make_legitimacy_signal,
    make_programme,
    make_rule,
    make_source,
)
from tests.test_admin import change_form_post, inline_formset
from tests.test_open_data import body

TODAY = datetime.date(2026, 12, 7)
EMAIL_WORDS = "from the provider's email of 20 November 2026, recorded by an adviser"


@pytest.fixture(autouse=True)
def on_the_day(pin_today):
    pin_today(TODAY)


@pytest.fixture
def emailed(db):
    """A guide-transcribed programme whose fee a provider's email changed (the issue's case)."""
    guide = make_guide(title="The Guide", short_title="Guide")
    email = make_source(title="Admissions office", date=datetime.date(2026, 11, 20))
    programme = make_programme(
        source_guide=guide,
        source_section="Surgery abroad",
        source=email,
        duration_min_weeks=4,
        duration_max_weeks=4,
        pay="fee",
        pay_note="A fee of US$3,000 covers housing.",
        deadline_kind="fixed",
        deadline_month=3,
        deadline_day=1,
        deadline_note="1 March each year",
    )
    make_cost(programme, kind="programme_fee", amount_min=Decimal("3500"), source=email)
    make_cost(programme, kind="application_fee", amount_min=Decimal("50"))
    make_dated_deadline(programme, cycle=2027, date=datetime.date(2027, 2, 20), source=email)
    return programme


def test_each_estimate_line_cites_its_own_costs_source(emailed):
    programme = Programme.objects.for_detail().get(pk=emailed.pk)

    estimate = costs.estimate(programme, 4, "USD", [], costs.Rates([]))

    by_label = {line.label: line for line in estimate.lines}
    assert by_label["Programme fee"].source == emailed.source
    assert by_label["Application fee"].source == "The Guide — Surgery abroad"
    assert EMAIL_WORDS in by_label["Programme fee"].source_words


def sources_list(html: str) -> dict[str, str]:
    listed = html.split('<h2 id="sources">')[1]
    return dict(re.findall(r'<li id="ref-(\d+)">(.*?)</li>', listed))


def test_the_guides_quoted_words_carry_only_the_guides_reference(client, staff, emailed):
    client.force_login(staff)

    html = client.get(reverse("programs:detail", args=[emailed.slug]) + "?weeks=4").content
    page = html.decode()

    sources = sources_list(page)
    pay = page.split("“A fee of US$3,000 covers housing.”", 1)[1].split("</dd>")[0]
    deadline = page.split("“1 March each year”", 1)[1].split("</dd>")[0]
    for after in (pay, deadline):
        numbers = re.findall(r'href="#ref-(\d+)"', after)
        assert numbers, after
        assert all("The Guide" not in sources[n] or "Surgery abroad" in sources[n] for n in numbers)
        assert all("email" not in sources[n] for n in numbers), (numbers, sources)
    # The estimate's fee line cites the email, its application fee the guide.
    fee = page.split("Programme fee", 1)[1].split("</th>")[0]
    assert any("email" in sources[n] for n in re.findall(r'href="#ref-(\d+)"', fee))


def test_the_calendar_gives_the_confirmed_dates_own_source_and_the_guides_words_as_the_guides(
    client, staff, emailed
):
    client.force_login(staff)

    response = client.get(reverse("programs:programme_calendar", args=[emailed.slug]))

    event = next(iter(icalendar.Calendar.from_ical(response.content).walk("VEVENT")))
    description = str(event["description"])
    assert f"Source of this date: {EMAIL_WORDS}." in description
    assert "Stated before as 1 March (the guide The Guide — Surgery abroad)." in description
    assert "As the source states it" not in description


def test_exports_carry_the_confirmed_dates_source(client, emailed):
    rows = json.loads(body(client.get("/programmes.json")))["programmes"]

    row = next(r for r in rows if r["slug"] == emailed.slug)
    assert (row["next_deadline"], row["deadline_confirmed"]) == ("2027-02-20", True)
    assert row["deadline_source"] == EMAIL_WORDS


def updated(programme: Programme) -> tuple[datetime.datetime, int]:
    programme.refresh_from_db()
    return programme.updated_at, programme.version


@pytest.mark.parametrize(
    "change",
    ["cost", "rule", "deadline", "source", "deleted cost"],
)
def test_any_change_to_a_rule_cost_deadline_or_source_moves_the_public_updated_time(
    client, emailed, change
):
    rule = make_rule(emailed, text="Medical students only.")
    long_ago = datetime.datetime(2026, 1, 2, 12, tzinfo=datetime.UTC)
    Programme.objects.filter(pk=emailed.pk).update(updated_at=long_ago)
    before, version = updated(emailed)

    if change == "cost":
        cost = Cost.objects.get(programme=emailed, kind="application_fee")
        cost.amount_min = Decimal("75")
        cost.save()
    elif change == "rule":
        rule.text = "Medical students in their final two years only."
        rule.save()
    elif change == "deadline":
        dated = emailed.dated_deadlines.get()
        dated.date = datetime.date(2027, 2, 21)
        dated.save()
    elif change == "source":  # its date corrected
        email = Source.objects.get(pk=emailed.source_id)
        email.date = datetime.date(2026, 11, 21)
        email.save()
    else:
        Cost.objects.get(programme=emailed, kind="application_fee").delete()

    after, moved = updated(emailed)
    assert after > before and moved > version
    exported = json.loads(body(client.get("/programmes.json")))["programmes"]
    assert next(r for r in exported if r["slug"] == emailed.slug)["updated_at"] == after.isoformat()
    stamp = after.isoformat(timespec="seconds").replace("+00:00", "")
    assert stamp in body(client.get("/programmes/feed.atom"))
    sitemap = body(client.get("/sitemap-programmes.xml"))
    assert f"<lastmod>{after.date().isoformat()}</lastmod>" in sitemap
    assert "2026-01-02" not in sitemap


def test_a_source_no_programme_cites_moves_no_updated_time(emailed):
    before = updated(emailed)

    make_source(title="Unrelated", date=datetime.date(2026, 10, 1)).save()

    assert updated(emailed) == before


def test_an_organisation_may_cite_its_own_website_instead_of_a_guide(db):
    site = Source.objects.create(
        kind=Source.Kind.WEBSITE,
        url="https://www.uniklinik-example.de/famulatur",
        date=datetime.date(2026, 12, 1),
    )
    organisation = Organisation(slug="uniklinik", name="Uniklinik Example", kind="hospital")
    organisation.source = site

    organisation.full_clean()
    organisation.save()

    assert organisation.citation.startswith("From the provider's website")


def test_an_organisation_citing_nothing_is_refused_by_its_form_and_by_the_database(db):
    organisation = Organisation(slug="nowhere", name="Nowhere Hospital", kind="hospital")

    with pytest.raises(ValidationError) as refused:
        organisation.full_clean()
    assert "source_guide" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        organisation.save()


def test_changing_a_fee_lists_the_notes_that_still_quote_the_old_one(client, staff, emailed):
    topic = make_guide_topic(slug="legitimacy")
    make_legitimacy_signal(
        emailed, make_guide_item(topic=topic, kind="check"), note="Fee of 3,500 USD is stated."
    )
    old_fee = Cost.objects.get(programme=emailed, kind="programme_fee")
    Cost.objects.filter(pk=old_fee.pk).update(amount_min=Decimal("3000"))
    client.force_login(staff)
    url = reverse("admin:programs_programme_change", args=[emailed.pk])
    page = client.get(url)
    data = change_form_post(page)
    costs_formset = inline_formset(page, "costs")
    index = next(i for i, f in enumerate(costs_formset.forms) if f.instance.pk == old_fee.pk)
    data[f"costs-{index}-amount_min"] = "3500"

    response = client.post(url, data, follow=True)

    messages = [str(m) for m in response.context["messages"]]
    warning = next(m for m in messages if "still give the old figure" in m)
    assert "from 3,000" in warning
    assert "Pay note: “A fee of US$3,000 covers housing.”" in warning
    assert "Fee of 3,500" not in warning  # the new figure is not an old one


@pytest.mark.parametrize(
    ("text", "quotes"),
    [
        ("US$3,000 a month", True),
        ("3000 dollars", True),
        ("3 000 €", True),
        ("3.000 EUR", True),
        ("13,000 total", False),
        ("3,0001", False),
        ("30,000", False),
        ("about 3,000.00", True),
    ],
)
def test_an_old_figure_is_found_however_it_is_written_and_never_inside_another(text, quotes):
    assert bool(figure_pattern(Decimal("3000")).search(text)) is quotes
