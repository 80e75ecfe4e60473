"""Issue 21, the advisers' side: the inbox shows the current value beside the proposed one and
the evidence (links revealed only on demand); accepting opens the programme's change form filled
with the proposal, and the saved change cites a new report source and records who accepted it;
rejecting needs a reason; a proposal becomes a draft citing it; duplicates are decided together;
the review queue counts open suggestions."""

from __future__ import annotations

import datetime
import json
import re
import uuid
from html import escape

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from programs.models import DatedDeadline, Programme, Source, Suggestion
from programs.models.sources import long_date
from programs.suggestions import intake
from tests.factories import make_organisation, make_programme
from tests.suggesting import DEADLINE_PAGE, correction, proposal, suggest_url, with_token
from tests.test_admin import change_form_post

pytestmark = pytest.mark.django_db
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
INBOX = "/admin/programs/suggestion/"


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


DAY = datetime.date(2026, 12, 7)  # the suite's "today" here: before the 2027 dates it proposes


@pytest.fixture
def programme(pin_today):
    pin_today(DAY)
    return make_programme(
        title="Summer School in Surgery",
        deadline_kind="fixed",
        deadline_month=2,
        deadline_day=21,
        deadline_note="21 February",
    )


def sent(programme: Programme, **fields) -> Suggestion:
    """A correction as the public form stores it."""
    data = correction(**fields)
    cleaned: dict[str, object] = {
        k: v for k, v in data.items() if k not in ("website", "submission", "proposed_date")
    }
    date = data["proposed_date"]
    cleaned["proposed_date"] = datetime.date.fromisoformat(date) if date else None
    submission = uuid.UUID(data["submission"])
    suggestion, _ = intake.receive("correction", cleaned, submission, programme)
    # Received on the pinned day (its report is dated by it, and may not be later than today).
    received = datetime.datetime.combine(DAY, datetime.time(12), tzinfo=datetime.UTC)
    Suggestion.objects.filter(pk=suggestion.pk).update(received_at=received)
    suggestion.refresh_from_db()
    return suggestion


def page(client, suggestion: Suggestion) -> str:
    return client.get(f"{INBOX}{suggestion.pk}/change/").content.decode()


def test_the_inbox_lists_open_suggestions_with_how_many_sent_the_same(adviser_client, programme):
    first = sent(programme, proposed="Closes 15 March 2027")
    sent(programme, proposed="closes 15 march 2027")
    other = sent(programme, fact="pay", proposed="A stipend of US$500", proposed_date="")

    listing = adviser_client.get(INBOX).content.decode()

    assert listing.count('class="field-about"') == 2  # the duplicate is read on the first's page
    assert "1 + 1 more" in listing
    assert "a page on www.example.org" in listing
    assert f'href="{DEADLINE_PAGE}"' not in listing
    assert f"{INBOX}{first.pk}/change/" in listing and f"{INBOX}{other.pk}/change/" in listing


def test_a_suggestion_shows_the_current_value_beside_the_proposed_one(adviser_client, programme):
    suggestion = sent(programme)

    shown = page(adviser_client, suggestion)

    assert "Now on the site" in shown and "Proposed" in shown
    assert "21 February" in shown and "Applications close on 15 March 2027." in shown
    assert "15 March 2027</time>" in shown


def test_evidence_links_are_text_until_the_adviser_reveals_them(adviser_client, programme):
    shown = page(adviser_client, sent(programme))

    links = re.findall(r"<a [^>]*href=\"https://www\.example\.org[^>]*>", shown)
    assert len(links) == 1
    revealed = shown.index("<summary>Reveal the link</summary>")
    assert shown.index(links[0]) > revealed
    assert 'rel="noopener noreferrer nofollow"' in links[0]
    assert f'<code class="suggestion-url">{DEADLINE_PAGE}</code>' in shown


def test_hostile_text_is_escaped_in_the_inbox(adviser_client, programme):
    suggestion = sent(programme, proposed=HOSTILE, evidence="runs_programme", contact=HOSTILE)

    for html in (adviser_client.get(INBOX).content.decode(), page(adviser_client, suggestion)):
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_accepting_opens_the_programmes_form_filled_with_the_proposal(
    adviser_client, adviser, programme
):
    suggestion = sent(programme)

    opened = adviser_client.post(f"{INBOX}{suggestion.pk}/accept/")

    change = reverse("admin:programs_programme_change", args=[programme.pk])
    assert (
        opened.status_code == 302 and opened["Location"] == f"{change}?suggestion={suggestion.pk}"
    )
    report = Source.objects.exclude(pk=programme.application_url_source_id).get()
    assert (report.kind, report.url, report.recorded_by) == (
        "reader_report",
        DEADLINE_PAGE,
        adviser,
    )
    assert report.date == DAY
    form = adviser_client.get(opened["Location"]).content.decode()
    assert f'<option value="{report.pk}" selected>' in form
    assert 'name="dated_deadlines-0-date" value="15/03/2027"' in form
    assert 'name="dated_deadlines-0-cycle" value="2027"' in form
    assert "Accepting suggestion" in form
    suggestion.refresh_from_db()
    assert suggestion.status == "open"  # nothing is decided until the form is saved


def save_change_form(client, url: str, **changes):
    """Submit the change form as the browser shows it, with `changes` typed in."""
    data = {**change_form_post(client.get(url)), **changes}
    return client.post(url, data)


def test_saving_the_filled_form_accepts_it_and_the_change_cites_the_report(
    adviser_client, adviser, programme
):
    suggestion = sent(programme)
    url = adviser_client.post(f"{INBOX}{suggestion.pk}/accept/")["Location"]

    saved = save_change_form(adviser_client, url)

    assert saved.status_code == 302 and saved["Location"] == INBOX
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.decided_by) == ("accepted", adviser)
    programme.refresh_from_db()
    report = Source.objects.exclude(pk=programme.application_url_source_id).get()
    assert programme.source == report and suggestion.source == report
    dated = DatedDeadline.objects.get(programme=programme)
    assert (dated.date, dated.source, dated.recorded_by) == (
        datetime.date(2027, 3, 15),
        report,
        adviser,
    )
    assert programme.history.latest().history_user == adviser

    public = adviser_client.get(programme.get_absolute_url()).content.decode()
    words = (
        "from a reader's report of 7 December 2026 citing www.example.org, checked by an adviser"
    )
    assert escape(words) in public
    accepted = timezone.localdate(suggestion.decided_at)  # the day the adviser saved it
    assert (
        f'Updated on <time datetime="{accepted.isoformat()}">{long_date(accepted)}</time> '
        "after a reader's report, checked by an adviser." in public
    )
    calendar = adviser_client.get(f"/programmes/{programme.slug}/calendar.ics").content.decode()
    assert "DTSTART;VALUE=DATE:20270315" in calendar
    assert "reader's report" in calendar.replace("\r\n ", "")
    export = adviser_client.get("/programmes.json")
    rows = json.loads(b"".join(export.streaming_content))["programmes"]
    row = next(r for r in rows if r["slug"] == programme.slug)
    assert (row["next_deadline"], row["deadline_confirmed"]) == ("2027-03-15", True)
    assert row["source"] == words


def test_rejecting_needs_a_reason_and_closes_the_duplicates_too(adviser_client, adviser, programme):
    first = sent(programme, proposed="Closes 15 March 2027")
    again = sent(programme, proposed="Closes 15 March 2027")

    refused = adviser_client.post(f"{INBOX}{first.pk}/reject/", {"reason": ""})
    assert refused.status_code == 400 and "This field is required" in refused.content.decode()
    done = adviser_client.post(
        f"{INBOX}{first.pk}/reject/", {"reason": "The official page still says 21 February."}
    )

    assert done.status_code == 302
    for suggestion in (first, again):
        suggestion.refresh_from_db()
        assert (suggestion.status, suggestion.decided_by, suggestion.reason) == (
            "rejected",
            adviser,
            "The official page still says 21 February.",
        )


def test_a_proposal_becomes_a_draft_citing_it(adviser_client, adviser, client):
    organisation = make_organisation(name="Lakeside Children's Hospital")
    with_token(client, "/suggestions/propose/", proposal())
    suggestion = Suggestion.objects.get()

    form = page(adviser_client, suggestion)
    assert f'<option value="{organisation.pk}" selected>' in form
    made = adviser_client.post(
        f"{INBOX}{suggestion.pk}/draft/",
        {
            "title": "Lakeside Paediatrics Elective",
            "slug": "lakeside-paediatrics-elective",
            "organisation": organisation.pk,
            "programme_type": "clinical_rotation",
            "summary": "A paediatrics elective in Kampala.",
        },
    )

    draft = Programme.objects.get(slug="lakeside-paediatrics-elective")
    assert made["Location"] == reverse("admin:programs_programme_change", args=[draft.pk])
    assert (draft.status, draft.location_note, draft.source.kind) == (
        "draft",
        "Kampala, Uganda",
        "provider_report",
    )
    assert draft.source.in_words().startswith("from the provider's report of")
    suggestion.refresh_from_db()
    assert (suggestion.status, suggestion.programme, suggestion.decided_by) == (
        "accepted",
        draft,
        adviser,
    )
    assert suggestion.contact == ""  # the provider's contact went with the decision
    assert Client().get(draft.get_absolute_url()).status_code == 404  # a draft is not public


def test_the_review_queue_counts_open_suggestions_per_programme(adviser_client, programme, today):
    quiet = make_programme(title="Quiet programme")
    sent(programme, proposed="Closes 15 March 2027")
    sent(programme, fact="pay", proposed="Unpaid", proposed_date="")

    counted = Programme.objects.with_open_suggestions().get(pk=programme.pk)
    assert counted.open_suggestions == 2
    assert Programme.objects.with_open_suggestions().get(pk=quiet.pk).open_suggestions == 0
    queue = Programme.objects.needs_review(today).filter(review_suggested=True)
    assert list(queue) == [programme]
    listing = adviser_client.get("/admin/programs/programme/").content.decode()
    assert f'<a href="{INBOX}?programme__id__exact={programme.pk}">2</a>' in listing
    assert (
        "Open suggestions from readers or providers"
        in adviser_client.get("/admin/").content.decode()
    )


@pytest.fixture
def today():
    return DAY


def test_a_student_cannot_open_the_inbox(client, programme):
    sent(programme)

    assert client.get(INBOX).status_code == 302  # to the login page
    assert client.post(f"{INBOX}1/accept/").status_code == 302
    assert not Source.objects.exclude(pk=programme.application_url_source_id).exists()


def test_the_correction_form_is_reachable_from_the_programme_page(client, programme):
    assert suggest_url(programme) in client.get(programme.get_absolute_url()).content.decode()


def test_hostile_text_accepted_into_a_programme_is_escaped_on_its_public_page(
    adviser_client, programme
):
    hostile_page = "https://evil.example.org/<script>alert(1)</script>"
    suggestion = sent(
        programme, fact="pay", proposed=HOSTILE, proposed_date="", evidence_url=hostile_page
    )
    url = adviser_client.post(f"{INBOX}{suggestion.pk}/accept/")["Location"]

    saved = save_change_form(adviser_client, url)

    assert saved.status_code == 302
    public = Client().get(programme.get_absolute_url()).content.decode()
    assert "<script>alert" not in public and "<img src=x" not in public
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in public  # the pay note
    assert 'href="https://evil.example.org/&lt;script&gt;alert(1)&lt;/script&gt;"' in public
