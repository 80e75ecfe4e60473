"""Issue 23: adding a programme in five minutes. The add page asks for what publishing needs, in an
adviser's words, with the confirmed deadline, rules and costs on the same page; a new organisation
and the source are named on the page (no popups); a draft saves incomplete and the review queue
says what it lacks; publishing refuses what a student could not use; the save is one write."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from programs.models import Organisation, Programme, Source
from programs.models.review import REASONS, review_reasons
from tests.factories import make_country, make_organisation, make_programme, make_study_level

ADD = reverse("admin:programs_programme_add")
TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def on_the_day(pin_today):
    pin_today(TODAY)


@pytest.fixture
def adviser_client(client, adviser):
    client.force_login(adviser)
    return client


@pytest.fixture
def germany(db):
    return make_country("DE", name="Germany")


@pytest.fixture
def medical_student(db):
    return make_study_level(slug="medical-student", name="Medical student")


def empty_inlines() -> dict[str, str]:
    data: dict[str, str] = {}
    for prefix in ("dated_deadlines", "eligibility_rules", "costs"):
        data |= {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data | {"costs-0-period": "one_off"}  # as the browser posts the select's default


def germany_example(germany, medical_student, **changes) -> dict:
    """The issue's example: a 6-week paid surgical research placement in Germany."""
    data = {
        **empty_inlines(),
        "title": "Surgical research placement (Famulatur)",
        "new_organisation": "Universitätsklinikum Example",
        "new_organisation_kind": "hospital",
        "programme_type": "research",
        "summary": "Six weeks in a surgical research group, paid as a student assistant.",
        "delivery": "in_person",
        "countries": [str(germany.pk)],
        "study_levels": [str(medical_student.pk)],
        "duration_min_weeks": "6",
        "duration_max_weeks": "6",
        "pay": "paid",
        "deadline_kind": "fixed",
        "deadline_month": "3",
        "deadline_day": "31",
        "application_url": "https://www.uniklinik-example.de/famulatur/apply",
        "source_kind": "website",
        "source_date": "2026-12-07",
        "source_url": "https://www.uniklinik-example.de/famulatur",
        "status": "published",
        "dated_deadlines-0-cycle": "2027",
        "dated_deadlines-0-date": "2027-03-31",
        "eligibility_rules-0-kind": "study_level",
        "eligibility_rules-0-text": "Medical students after their first state exam.",
        "eligibility_rules-0-applies_to": "all",
        "costs-0-kind": "salary",
        "costs-0-amount_min": "1200",
        "costs-0-currency": "EUR",
        "costs-0-period": "per_month",
    }
    return {**data, **changes}


def test_the_add_page_asks_in_an_advisers_words_with_deadline_rules_and_costs_and_no_popups(
    adviser_client,
):
    page = adviser_client.get(ADD).content.decode()
    words_on_page = page.lower()

    for words in (
        "Name of the programme",
        "Organisation that runs it",
        "Or a new organisation&#x27;s name",
        "Who may apply",
        "Where these facts come from",
        "Publish now, or keep as a draft",
        "confirmed deadline",
        "costs and pay",
    ):
        assert words.lower() in words_on_page, words
    assert "As the guide says it" not in page
    assert "only when a guide names it" not in page
    assert "related-widget-wrapper-link" not in page  # the links that open popup windows
    assert 'name="slug"' not in page


def test_the_germany_example_is_created_and_published_in_one_save(
    adviser_client, adviser, germany, medical_student
):
    response = adviser_client.post(ADD, germany_example(germany, medical_student))

    assert response.status_code == 302, response.context["adminform"].form.errors
    programme = Programme.objects.get(title="Surgical research placement (Famulatur)")
    assert programme.slug == "surgical-research-placement-famulatur"
    assert programme.status == "published" and programme.version == 2  # one write
    source = programme.source
    assert (source.kind, source.url, source.recorded_by) == (
        "website",
        "https://www.uniklinik-example.de/famulatur",
        adviser,
    )
    organisation = programme.organisation
    assert (organisation.name, organisation.kind, organisation.country) == (
        "Universitätsklinikum Example",
        "hospital",
        germany,
    )
    assert organisation.source == source
    assert programme.dated_deadlines.get().source == source
    assert programme.eligibility_rules.get().key == "study_level"
    salary = programme.costs.get()
    assert (salary.key, salary.amount_min, salary.period) == (
        "salary",
        Decimal("1200"),
        "per_month",
    )
    page = adviser_client.get(programme.get_absolute_url()).content.decode()
    assert "from the provider&#x27;s website, read on 7 December 2026" in page


def test_an_existing_organisation_and_source_are_picked_instead(
    adviser_client, adviser, germany, medical_student
):
    organisation = make_organisation(name="Charité Example")
    email = Source.objects.create(kind="email", date=TODAY, recorded_by=adviser)
    data = germany_example(
        germany, medical_student, organisation=str(organisation.pk), source=str(email.pk)
    )
    del data["new_organisation"], data["new_organisation_kind"], data["source_url"]

    response = adviser_client.post(ADD, data)

    assert response.status_code == 302
    programme = Programme.objects.get()
    assert (programme.organisation, programme.source) == (organisation, email)
    assert Source.objects.count() == 1


def test_a_draft_saves_incomplete_and_the_review_queue_says_what_is_missing(
    adviser_client, germany, medical_student
):
    data = {
        **empty_inlines(),
        "title": "Famulatur in Kiel",
        "new_organisation": "Kiel Example Hospital",
        "new_organisation_kind": "hospital",
        "source_kind": "website",
        "source_date": "2026-12-07",
        "source_url": "https://kiel.example.org/famulatur",
        "status": "draft",
        "delivery": "in_person",
        "pay": "unknown",
        "deadline_kind": "unknown",
    }

    response = adviser_client.post(ADD, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    draft = Programme.objects.with_review_flags(TODAY).get(title="Famulatur in Kiel")
    assert draft.status == "draft"
    reasons = review_reasons(draft)
    assert f"{REASONS['incomplete']}: missing summary, type, destination, study levels" in reasons
    listing = adviser_client.get(reverse("admin:programs_programme_changelist")).content.decode()
    assert "missing summary, type, destination, study levels" in listing


def test_publishing_what_a_student_could_not_use_is_refused_with_the_page_as_typed(
    adviser_client, germany, medical_student
):
    data = germany_example(germany, medical_student, summary="", countries=[], study_levels=[])

    response = adviser_client.post(ADD, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "summary" in errors and "countries" in errors and "study_levels" in errors
    assert "draft" in str(errors["countries"])
    # Nothing was written, not even the new source or organisation.
    assert not Programme.objects.exists()
    assert not Source.objects.exists() and not Organisation.objects.exists()
    assert 'value="Universitätsklinikum Example"' in response.content.decode()


def test_a_new_organisation_already_recorded_is_refused_by_name(
    adviser_client, germany, medical_student
):
    make_organisation(name="Universitätsklinikum Example")

    response = adviser_client.post(ADD, germany_example(germany, medical_student))

    assert response.status_code == 200
    assert "already recorded" in str(response.context["adminform"].form.errors)


def test_a_website_source_needs_its_address(adviser_client, germany, medical_student):
    response = adviser_client.post(ADD, germany_example(germany, medical_student, source_url=""))

    assert response.status_code == 200
    assert "source_url" in response.context["adminform"].form.errors
    assert not Programme.objects.exists()


def test_the_list_does_not_publish_an_incomplete_draft(adviser_client):
    ready = make_programme(
        status="draft", countries=[make_country()], study_levels=[make_study_level()]
    )
    bare = make_programme(status="draft", title="Bare draft")

    response = adviser_client.post(
        reverse("admin:programs_programme_changelist"),
        {"action": "publish", "_selected_action": [ready.pk, bare.pk]},
        follow=True,
    )

    ready.refresh_from_db()
    bare.refresh_from_db()
    assert (ready.status, bare.status) == ("published", "draft")
    assert "Bare draft" in str([str(m) for m in response.context["messages"]])


def test_a_published_programme_needs_a_summary_and_a_type_in_the_database(db):
    programme = make_programme()
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(summary="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.filter(pk=programme.pk).update(programme_type="")
    Programme.objects.filter(pk=programme.pk).update(status="draft", summary="")  # a draft may
