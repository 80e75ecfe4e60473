"""The admin: every model is editable, the programme form keeps the data true, nothing 500s."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.admin.base import format_amount
from programs.admin.programmes import deadline_summary
from programs.core import clock
from programs.models import Cost, EligibilityRule, Programme, SearchSynonym
from tests.factories import (
    make_city,
    make_cost,
    make_cost_benchmark,
    make_country,
    make_dated_deadline,
    make_destination_note,
    make_discipline,
    make_exchange_rate,
    make_guide_item,
    make_guide_topic,
    make_legitimacy_signal,
    make_organisation,
    make_programme,
    make_region,
    make_rule,
    make_speciality,
    make_study_level,
    make_suggestion,
    make_timeline_stage,
)

PROGRAMS_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label == "programs"),
    key=lambda model: model._meta.label_lower,
)
MODEL_NAMES = [model._meta.model_name for model in PROGRAMS_MODELS]
# Suggestions come from the public forms only (issue 21): the admin has no add form for them.
ADDABLE = [name for name in MODEL_NAMES if name != "suggestion"]


def admin_url(model_name: str, view: str, *args) -> str:
    return reverse(f"admin:programs_{model_name}_{view}", args=args)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def directory(db):
    """At least one record of every model, built with the factories."""
    europe = make_region(slug="europe", name="Europe")
    uk = make_country("GB", name="United Kingdom", region=europe)
    city = make_city(country=uk, name="London", slug="london")
    level = make_study_level()
    programme = make_programme(
        title="Summer Surgery Elective",
        organisation=make_organisation(name="Royal Example Hospital", country=uk, city=city),
        countries=[uk],
        specialities=[make_speciality()],
        study_levels=[level],
        duration_min_weeks=2,
        duration_max_weeks=4,
        deadline_kind=Programme.DeadlineKind.FIXED,
        deadline_month=3,
        deadline_day=15,
        last_verified=datetime.date(2026, 1, 5),
    )
    programme.cities.set([city])
    programme.disciplines.set([make_discipline()])
    rule = make_rule(programme, kind="study_level", text="Medical students only.")
    rule.study_levels.set([level])
    make_cost(programme, amount_min=Decimal("1200"), amount_max=Decimal("1500"))
    make_dated_deadline(programme)
    make_destination_note(region=europe, country=uk)
    stage = make_timeline_stage(months_before_min=6, months_before_max=12)
    make_guide_item(stage=stage, study_level=level)
    make_cost_benchmark(amount_min=Decimal("400"), amount_max=Decimal("900"))
    make_exchange_rate()
    legitimacy = make_guide_topic(slug="legitimacy")
    make_legitimacy_signal(programme, make_guide_item(topic=legitimacy, kind="check"))
    SearchSynonym.objects.create(term="OB/GYN", means="obstetrics and gynaecology")
    make_suggestion(programme)
    return programme


def form_values(form) -> dict:
    """What the browser would post back for a form as rendered."""
    values: dict[str, str | list[str]] = {}
    for bound in form:
        value = bound.value()
        if value is None or value is False:
            continue
        if value is True:
            values[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            values[bound.html_name] = [str(getattr(item, "pk", item)) for item in value]
        else:
            values[bound.html_name] = str(getattr(value, "pk", value))
    return values


def change_form_post(response) -> dict:
    """The POST data of a rendered admin change form, its inline formsets included."""
    data = form_values(response.context["adminform"].form)
    if response.context.get("edit_state"):
        # What the form was loaded with (a hidden input of the template, admin/concurrency.py).
        data[response.context["edit_state_field"]] = response.context["edit_state"]
    for inline in response.context["inline_admin_formsets"]:
        data.update(form_values(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(form_values(form))
    return data


def inline_formset(response, prefix: str):
    return next(
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    )


def changelist_titles(response) -> set[str]:
    return {programme.title for programme in response.context["cl"].result_list}


# Every model is there, and every page opens.


def test_every_programs_model_is_registered_in_the_admin():
    # History tables are shown through their model's admin ("History" on each change form).
    models = {
        model
        for model in apps.get_app_config("programs").get_models()
        if not model.__name__.startswith("Historical")
        # load_directory's own bookkeeping (what it last wrote) and large imports' work records
        # (listed on the import page, each with its progress page): not data an adviser edits.
        # Who has a change form open (admin/presence.py): kept by the form's script, not edited.
        # Students' alerts (an address and a query, programs/alerts/): theirs to manage through
        # signed links, not an adviser's to read or edit. "Did you mean"'s words: derived.
        and model.__name__
        not in {
            "FixtureRecord",
            "ImportJob",
            "EditingSession",
            "Alert",
            "AlertMessage",
            "SearchWord",
        }
    }

    assert models == set(PROGRAMS_MODELS)


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_staff_can_open_every_admin_changelist(staff_client, directory, model_name):
    response = staff_client.get(admin_url(model_name, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model_name", ADDABLE)
def test_staff_can_open_every_admin_add_form(staff_client, db, model_name):
    response = staff_client.get(admin_url(model_name, "add"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", PROGRAMS_MODELS, ids=MODEL_NAMES)
def test_staff_can_open_every_admin_change_form(staff_client, directory, model):
    obj = model._default_manager.first()

    response = staff_client.get(admin_url(model._meta.model_name, "change", obj.pk))

    assert response.status_code == 200


def test_staff_can_open_the_change_form_of_every_seeded_programme(seeded, staff_client):
    programmes = list(Programme.objects.all())
    assert programmes

    for programme in programmes:
        response = staff_client.get(admin_url("programme", "change", programme.pk))
        assert response.status_code == 200, programme.slug


@pytest.mark.parametrize("view", ["changelist", "add"])
def test_anonymous_users_are_redirected_to_login(client, db, view):
    response = client.get(admin_url("programme", view))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_every_programme_field_is_in_a_fieldset():
    fieldsets = admin.site._registry[Programme].fieldsets
    assert fieldsets is not None
    in_fieldsets: set[str] = set()
    for _name, options in fieldsets:
        for entry in options["fields"]:
            in_fieldsets.update([entry] if isinstance(entry, str) else entry)
    editable = {
        field.name
        for field in [*Programme._meta.concrete_fields, *Programme._meta.many_to_many]
        if field.editable and not field.primary_key
    } | {"created_at", "updated_at", "checked_today"}  # the form's verification box (issue 16)

    assert editable == in_fieldsets


# Finding programmes.


def test_search_finds_a_programme_by_organisation_name(staff_client, db):
    make_programme(title="Cardiology Observership", organisation=make_organisation(name="Mayo"))
    make_programme(title="Rural Elective", organisation=make_organisation(name="Elsewhere"))

    response = staff_client.get(admin_url("programme", "changelist"), {"q": "mayo"})

    assert changelist_titles(response) == {"Cardiology Observership"}


def test_region_filter_narrows_programmes_to_that_regions_countries(staff_client, db):
    asia, africa = make_region(slug="asia", name="Asia"), make_region(slug="africa")
    japan, india = make_country("JP", region=asia), make_country("IN", region=asia)
    kenya = make_country("KE", region=africa)
    make_programme(title="Tokyo and Delhi", countries=[japan, india])
    make_programme(title="Nairobi", countries=[kenya])
    make_programme(title="Virtual")

    url = admin_url("programme", "changelist")
    assert changelist_titles(staff_client.get(url, {"region": "asia"})) == {"Tokyo and Delhi"}
    assert changelist_titles(staff_client.get(url, {"region": "none"})) == {"Virtual"}


def test_pay_and_status_filters_narrow_the_changelist(staff_client, db):
    make_programme(title="Paid draft", pay=Programme.Pay.PAID, status=Programme.Status.DRAFT)
    make_programme(title="Paid live", pay=Programme.Pay.PAID)
    make_programme(title="Unpaid live", pay=Programme.Pay.UNPAID)

    url = admin_url("programme", "changelist")
    assert changelist_titles(staff_client.get(url, {"pay__exact": "paid"})) == {
        "Paid draft",
        "Paid live",
    }
    assert changelist_titles(
        staff_client.get(url, {"pay__exact": "paid", "status__exact": "published"})
    ) == {"Paid live"}


def test_organisation_autocomplete_finds_by_name_and_ignores_nul_bytes(staff_client, db):
    make_organisation(name="Johns Hopkins")
    make_organisation(name="Karolinska")
    url = reverse("admin:autocomplete")
    params = {"app_label": "programs", "model_name": "programme", "field_name": "organisation"}

    found = staff_client.get(url, {**params, "term": "hopkins"}).json()["results"]
    with_nul = staff_client.get(url, {**params, "term": "hop\x00kins"})

    assert [result["text"] for result in found] == ["Johns Hopkins"]
    assert with_nul.status_code == 200


# Odd query strings.


@pytest.mark.parametrize(
    "params",
    [
        {"status__exact": "\x00"},
        {"q": "\x00"},
        {"region": "\x00"},
        {"pay__exact": "paid\x00"},
        {"title": "\x00"},
        {"o": "\x00"},
        {"p": "\x00"},
        {"\x00": "1"},
    ],
    ids=repr,
)
def test_nul_bytes_in_the_programme_changelist_query_redirect_instead_of_failing(
    staff_client, directory, params
):
    response = staff_client.get(admin_url("programme", "changelist"), params)

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


@pytest.mark.parametrize(
    "params",
    [
        {"region": "atlantis"},
        {"status__exact": "nonsense"},
        {"o": "99.-1.x"},
        {"p": "9999"},
        {"q": "x" * 5000},
        {"countries__region__slug": "europe"},
        {"organisation__secret": "1"},
        {"e": "1"},
    ],
    ids=lambda params: next(iter(params)),
)
def test_odd_programme_changelist_parameters_never_500(staff_client, directory, params):
    response = staff_client.get(admin_url("programme", "changelist"), params)

    assert response.status_code in (200, 302, 400)


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_a_nul_byte_search_never_500s_any_changelist(staff_client, db, model_name):
    response = staff_client.get(admin_url(model_name, "changelist"), {"q": "\x00"})

    assert response.status_code == 302


# The form keeps the data true: the models' clean() twins of the constraints show as form errors.


def test_staff_can_save_a_programme_edited_in_the_change_form(staff_client, directory):
    url = admin_url("programme", "change", directory.pk)
    data = change_form_post(staff_client.get(url))
    data["title"] = "Summer Surgery Elective (renamed)"

    response = staff_client.post(url, data)

    assert response.status_code == 302
    directory.refresh_from_db()
    assert directory.title == "Summer Surgery Elective (renamed)"
    assert directory.eligibility_rules.get().study_levels.count() == 1
    assert directory.costs.get().amount_max == Decimal("1500")


def test_saving_a_programme_with_duration_min_above_max_shows_the_error_and_changes_nothing(
    staff_client, directory
):
    url = admin_url("programme", "change", directory.pk)
    data = change_form_post(staff_client.get(url))
    data.update(title="Changed", duration_min_weeks="8", duration_max_weeks="4")

    response = staff_client.post(url, data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "below the minimum" in errors["duration_max_weeks"][0]
    assert "below the minimum" in response.content.decode()
    directory.refresh_from_db()
    assert (directory.title, directory.duration_min_weeks) == ("Summer Surgery Elective", 2)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"deadline_kind": "fixed", "deadline_day": ""}, "deadline_day", "needs both"),
        ({"deadline_kind": "rolling"}, "deadline_lead_weeks", "lead time"),
        (
            {"deadline_kind": "varies", "deadline_month": ""},
            "deadline_month",
            "needs its month",
        ),
        ({"deadline_month": "2", "deadline_day": "30"}, "deadline_day", "February has no day"),
    ],
    ids=["fixed-without-day", "rolling-without-lead", "day-without-month", "no-30-february"],
)
def test_deadline_rules_show_as_errors_on_the_field(
    staff_client, directory, changes, field, message
):
    url = admin_url("programme", "change", directory.pk)
    data = {**change_form_post(staff_client.get(url)), **changes}

    response = staff_client.post(url, data)

    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field][0]
    directory.refresh_from_db()
    assert (directory.deadline_kind, directory.deadline_day) == ("fixed", 15)


@pytest.mark.parametrize(
    ("rule", "field", "message"),
    [
        ({"kind": "min_age", "text": "Over 18."}, "min_age", "needs the age"),
        ({"kind": "language", "text": "English."}, "language_test", "test's name"),
        (
            {
                "kind": "language",
                "text": "IELTS.",
                "language_test": "IELTS",
                "language_score_min": "7.5",
                "language_score_max": "6.5",
            },
            "language_score_max",
            "below the minimum",
        ),
    ],
    ids=["min-age-without-age", "language-without-test", "scores-reversed"],
)
def test_an_invalid_inline_eligibility_rule_shows_the_error_and_saves_nothing(
    staff_client, directory, rule, field, message
):
    url = admin_url("programme", "change", directory.pk)
    response = staff_client.get(url)
    data = change_form_post(response)
    prefix = inline_formset(response, "eligibility_rules").prefix
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    new_row = {"key": "new-rule", "applies_to": "all", "position": "1", **rule}
    data.update({f"{prefix}-{index}-{name}": value for name, value in new_row.items()})
    data["title"] = "Changed"

    response = staff_client.post(url, data)

    assert response.status_code == 200
    errors = inline_formset(response, "eligibility_rules").forms[index].errors
    assert message in errors[field][0]
    assert not EligibilityRule.objects.filter(key="new-rule").exists()
    directory.refresh_from_db()
    assert directory.title == "Summer Surgery Elective"


def test_an_inline_cost_with_a_maximum_but_no_minimum_shows_the_error(staff_client, directory):
    url = admin_url("programme", "change", directory.pk)
    data = change_form_post(staff_client.get(url))
    data.update({"costs-0-amount_min": "", "costs-0-amount_max": "500"})

    response = staff_client.post(url, data)

    assert response.status_code == 200
    errors = inline_formset(response, "costs").forms[0].errors
    assert "single figure" in errors["amount_min"][0]
    assert directory.costs.get().amount_min == Decimal("1200")


def test_a_new_programme_gets_its_slug_made_from_the_title_and_a_change_form_suggests_it(
    staff_client, db
):
    # Issue 23: the add page asks no slug (it is made from the title on save, tests/
    # test_adding_a_programme.py); the change form still suggests one from an edited title.
    adding = staff_client.get(admin_url("programme", "add"))
    changing = staff_client.get(admin_url("programme", "change", make_programme().pk))

    assert 'name="slug"' not in adding.content.decode()
    assert '"id": "#id_slug"' in changing.context["prepopulated_fields_json"]


# Links and actions.


def test_view_on_site_is_offered_for_drafts_too_because_staff_can_preview_them(staff_client, db):
    published = make_programme()
    draft = make_programme(status=Programme.Status.DRAFT)

    published_form = staff_client.get(admin_url("programme", "change", published.pk))
    draft_form = staff_client.get(admin_url("programme", "change", draft.pk))

    assert published_form.context["has_absolute_url"]
    assert draft_form.context["has_absolute_url"]


def test_the_publish_action_publishes_selected_drafts_and_logs_it(staff_client, db):
    # Ready to publish: a destination and who may apply (issue 23).
    ready = {"countries": [make_country()], "study_levels": [make_study_level()]}
    draft = make_programme(status=Programme.Status.DRAFT, **ready)
    other = make_programme(status=Programme.Status.DRAFT, **ready)

    response = staff_client.post(
        admin_url("programme", "changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    other.refresh_from_db()
    assert draft.status == Programme.Status.PUBLISHED
    assert other.status == Programme.Status.DRAFT
    assert LogEntry.objects.get().object_id == str(draft.pk)


def test_a_programme_can_be_marked_verified_today_from_its_change_form(staff_client, db):
    # Issue 16: by ticking "Checked against its source today" and saving (no action bar).
    programme = make_programme(last_verified=datetime.date(2025, 1, 1))
    url = admin_url("programme", "change", programme.pk)
    data = change_form_post(staff_client.get(url))

    response = staff_client.post(url, {**data, "checked_today": "on"})

    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.last_verified == clock.today()


# Query counts.


def test_the_programme_changelist_query_count_does_not_grow_with_programmes(
    staff_client, db, django_assert_num_queries
):
    url = admin_url("programme", "changelist")
    region = make_region()

    def add_programmes(count: int) -> None:
        for _ in range(count):
            make_programme(countries=[make_country(region=region)])

    add_programmes(5)
    staff_client.get(url)  # warms the per-process content-type cache
    with CaptureQueriesContext(connection) as five:
        assert staff_client.get(url).status_code == 200
    add_programmes(25)

    with django_assert_num_queries(len(five)):
        response = staff_client.get(url)

    assert response.context["cl"].result_count == 30


# Small display helpers.


@pytest.mark.parametrize(
    ("fields", "summary"),
    [
        ({"deadline_kind": "fixed", "deadline_month": 3, "deadline_day": 15}, "15 March"),
        ({"deadline_kind": "approximate", "deadline_month": 11}, "Around November"),
        ({"deadline_kind": "approximate"}, "Approximate"),
        ({"deadline_kind": "rolling", "deadline_lead_weeks": 8}, "Rolling, 8 weeks ahead"),
        ({"deadline_kind": "varies"}, "Varies"),
        ({"deadline_kind": "unknown"}, "Not stated in source"),
    ],
)
def test_the_deadline_column_says_the_deadline_in_a_few_words(fields, summary):
    assert deadline_summary(Programme(**fields)) == summary


@pytest.mark.parametrize(
    ("fields", "text"),
    [
        ({"amount_min": Decimal("1200"), "amount_max": Decimal("1500")}, "US$1,200–1,500"),
        ({"amount_min": Decimal("3000"), "open_ended": True}, "US$3,000+"),
        (
            {"amount_min": Decimal("12.50"), "approximate": True, "period": "per_hour"},
            "~US$12.50 per hour",
        ),
        ({}, "—"),
    ],
)
def test_amounts_read_as_the_guide_writes_them(fields, text):
    assert format_amount(Cost(currency="USD", **fields)) == text


def test_months_are_picked_by_name_in_the_programme_form(staff_client, directory):
    response = staff_client.get(admin_url("programme", "change", directory.pk))

    assert '<option value="3" selected>March</option>' in response.content.decode()


def test_the_guide_topic_form_query_count_does_not_grow_with_its_items(
    staff_client, db, django_assert_num_queries
):
    topic = make_guide_item().topic
    stage, level = make_timeline_stage(), make_study_level()
    url = admin_url("guidetopic", "change", topic.pk)
    staff_client.get(url)  # warms the per-process content-type cache
    with CaptureQueriesContext(connection) as one_item:
        assert staff_client.get(url).status_code == 200
    for _ in range(10):
        make_guide_item(topic=topic, stage=stage, study_level=level)

    with django_assert_num_queries(len(one_item)):
        response = staff_client.get(url)

    assert len(inline_formset(response, "items").forms) == 11
