"""Issue 21, the public side: anyone may suggest a correction or propose a programme; what they
send goes to the advisers' inbox, never to a page; the forms are guarded (CSRF, a honeypot, a
per-address limit with a clear 429 that keeps their text, caps, no control characters) and never
cached for another visitor."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client

from programs.caching.generation import LISTING_KEY, programme_key
from programs.models import Suggestion
from programs.suggestions.forms import CorrectionForm, ProposalForm
from tests.factories import make_programme
from tests.suggesting import correction, proposal, suggest_url, with_token

pytestmark = pytest.mark.django_db
PROPOSE = "/suggestions/propose/"


@pytest.fixture
def programme():
    return make_programme(title="Summer School in Surgery")


def test_every_programme_page_links_to_its_correction_form_and_carries_no_form_token(
    client, programme
):
    page = client.get(programme.get_absolute_url())

    assert f'href="{suggest_url(programme)}"' in page.text
    assert "csrfmiddlewaretoken" not in page.text and "csrftoken" not in page.cookies
    assert client.get(programme.get_absolute_url())["X-Page-Cache"] == "hit"


def test_a_correction_goes_to_the_inbox_and_changes_nothing_public(client, programme):
    before = client.get(programme.get_absolute_url()).text

    response = with_token(client, suggest_url(programme), correction())

    assert response.status_code == 302
    assert response["Location"] == f"/suggestions/sent/?to={programme.slug}"
    stored = Suggestion.objects.get()
    assert (stored.programme, stored.fact, stored.status) == (programme, "deadline", "open")
    assert str(stored.proposed_date) == "2027-03-15"
    after = client.get(programme.get_absolute_url())
    assert after["X-Page-Cache"] == "hit" and after.text == before
    assert "15 March 2027" not in after.text


def test_saving_suggestions_leaves_every_cached_page_cached(client, programme):
    client.get(programme.get_absolute_url())
    versions = cache.get_many([LISTING_KEY, programme_key(programme.slug)])

    for _ in range(3):
        with_token(client, suggest_url(programme), correction())

    assert cache.get_many([LISTING_KEY, programme_key(programme.slug)]) == versions


def test_the_same_form_sent_twice_is_stored_once(client, programme):
    data = correction()

    first = with_token(client, suggest_url(programme), data)
    again = with_token(client, suggest_url(programme), data)

    assert first.status_code == again.status_code == 302
    assert Suggestion.objects.count() == 1


def test_a_robot_that_fills_the_hidden_field_is_thanked_and_nothing_is_stored(client, programme):
    page = client.get(suggest_url(programme)).text
    assert '<div class="honeypot" aria-hidden="true">' in page

    response = with_token(client, suggest_url(programme), correction(website="http://spam.example"))

    assert response.status_code == 302 and not Suggestion.objects.exists()


def test_a_post_without_the_csrf_token_is_refused(programme):
    response = Client(enforce_csrf_checks=True).post(suggest_url(programme), correction())

    assert response.status_code == 403 and not Suggestion.objects.exists()


def test_the_sixth_suggestion_in_an_hour_gets_a_429_that_keeps_what_was_typed(
    client, programme, settings
):
    settings.SUGGESTIONS_PER_HOUR = 5
    for n in range(5):
        assert (
            with_token(client, suggest_url(programme), correction(proposed=f"No. {n}")).status_code
            == 302
        )

    refused = with_token(
        client, suggest_url(programme), correction(proposed="Closes 15 March <b>2027</b>")
    )

    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert "Too many suggestions from your address" in refused.text
    assert "Closes 15 March &lt;b&gt;2027&lt;/b&gt;</textarea>" in refused.text
    assert 'value="https://www.example.org/summer-school/dates"' in refused.text
    assert Suggestion.objects.count() == 5
    assert "private" in refused["Cache-Control"] and "no-store" in refused["Cache-Control"]


def test_mistakes_in_a_form_do_not_count_against_the_limit(client, programme, settings):
    settings.SUGGESTIONS_PER_HOUR = 1
    for _ in range(3):
        bad = with_token(client, suggest_url(programme), correction(evidence_url=""))
        assert bad.status_code == 400

    assert with_token(client, suggest_url(programme), correction()).status_code == 302


def test_the_limit_is_per_address(client, programme, settings):
    settings.SUGGESTIONS_PER_HOUR = 1
    with_token(client, suggest_url(programme), correction())

    other = Client(REMOTE_ADDR="198.51.100.7")

    assert with_token(other, suggest_url(programme), correction()).status_code == 302
    assert with_token(client, suggest_url(programme), correction()).status_code == 429


@pytest.mark.parametrize("url", ["programme", PROPOSE])
def test_form_pages_are_never_cached_for_another_visitor(client, programme, url):
    url = suggest_url(programme) if url == "programme" else url

    first, second = client.get(url), Client().get(url)

    for response in (first, second):
        assert response.status_code == 200
        assert "X-Page-Cache" not in response and "X-Accel-Expires" not in response
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert "csrftoken" in response.cookies
    assert first.text != second.text  # each visitor's own token (and submission id)


def test_an_unpublished_programme_takes_no_suggestion(client):
    draft = make_programme(status="draft")

    assert client.get(suggest_url(draft)).status_code == 404
    assert with_token_or_404(client, draft) == 404


def with_token_or_404(client, programme) -> int:
    return client.post(suggest_url(programme), correction()).status_code


def test_evidence_is_a_web_page_or_the_providers_own_word_with_a_contact(client, programme):
    no_page = with_token(client, suggest_url(programme), correction(evidence_url=""))
    no_contact = with_token(
        client, suggest_url(programme), correction(evidence="runs_programme", evidence_url="")
    )
    javascript = with_token(
        client, suggest_url(programme), correction(evidence_url="javascript:alert(1)")
    )

    assert "Give the address of the page that shows it" in no_page.text
    assert "Say how an adviser can reach you to check" in no_contact.text
    assert javascript.status_code == 400
    assert not Suggestion.objects.exists()


def test_a_date_is_only_for_a_deadline_and_within_reach(client, programme):
    fee_with_date = with_token(client, suggest_url(programme), correction(fact="fee"))
    far_future = with_token(client, suggest_url(programme), correction(proposed_date="2099-01-01"))

    assert "A date belongs to a deadline" in fee_with_date.text
    assert "Give a date between" in far_future.text
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize("form", [CorrectionForm, ProposalForm])
def test_every_text_field_of_the_public_forms_has_a_cap(form):
    for name, field in form.base_fields.items():
        if hasattr(field, "max_length") and name != "submission":
            assert field.max_length, name


def text_fields(data: dict[str, str], form) -> list[str]:
    skip = {"fact", "evidence", "submission", "proposed_date", "website", "email"}
    return [name for name in data if name not in skip and name in form.base_fields]


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x07", "\u202e", "\u202a", "\u2066"])
def test_control_characters_are_refused_in_every_field(client, programme, char):
    for name in text_fields(correction(), CorrectionForm):
        bad = {**correction(evidence="runs_programme", contact="Dr A"), name: f"Bad{char}text"}
        response = with_token(client, suggest_url(programme), bad)
        assert response.status_code == 400, name
    for name in text_fields(proposal(), ProposalForm):
        response = with_token(client, PROPOSE, proposal(**{name: f"Bad{char}text"}))
        assert response.status_code == 400, name
    assert not Suggestion.objects.exists()


def test_line_breaks_are_kept_only_where_a_field_has_several_lines(client, programme):
    one_line = with_token(client, PROPOSE, proposal(title="Lakeside\nElective"))
    several = with_token(client, PROPOSE, proposal(eligibility="Final-year students.\nIELTS 6.5"))

    assert one_line.status_code == 400 and "Write this on one line" in one_line.text
    assert several.status_code == 302
    assert Suggestion.objects.get().eligibility == "Final-year students.\nIELTS 6.5"


def test_a_provider_proposes_a_programme(client):
    response = with_token(client, PROPOSE, proposal())

    assert response.status_code == 302 and response["Location"] == "/suggestions/sent/"
    stored = Suggestion.objects.get()
    assert (stored.kind, stored.title, stored.evidence) == (
        "programme",
        "Lakeside Paediatrics Elective",
        "runs_programme",
    )
    assert stored.programme is None


def test_the_same_words_sent_again_are_grouped_with_the_open_suggestion(client, programme):
    with_token(client, suggest_url(programme), correction(proposed="Closes 15 March 2027"))
    with_token(client, suggest_url(programme), correction(proposed="  closes 15 MARCH 2027 "))
    with_token(client, suggest_url(programme), correction(proposed="Closes 16 March 2027"))

    first, same, other = Suggestion.objects.order_by("id")
    assert same.duplicate_of == first and other.duplicate_of is None


def test_other_public_pages_still_refuse_posts(client, programme):
    assert client.post(programme.get_absolute_url(), correction()).status_code == 405
    assert client.post("/privacy/").status_code == 405


def test_the_privacy_page_says_when_addresses_are_deleted_and_the_footer_links_it(client):
    page = client.get("/privacy/").text

    assert "deleted" in page and "90 days" in page
    assert 'href="/privacy/"' in client.get("/").text


def test_an_address_posting_far_past_the_limit_gets_a_short_answer_that_renders_no_page(
    client, programme, settings
):
    settings.SUGGESTIONS_PER_HOUR = 2
    answers = [
        with_token(client, suggest_url(programme), correction(proposed=f"No. {n}")).status_code
        for n in range(10)
    ]

    assert answers[:2] == [302, 302] and set(answers[2:]) == {429}
    flood = with_token(client, suggest_url(programme), correction())
    assert flood.status_code == 429 and flood["Content-Type"].startswith("text/plain")
    assert "Too many requests from your address" in flood.text
    assert Suggestion.objects.count() == 2
