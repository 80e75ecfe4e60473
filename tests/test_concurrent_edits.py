"""Two advisers edit the same record (issue 23, "one version for the whole record"): a save from a
stale form, whichever part went stale (its fields, or any rule, cost or dated deadline, added,
changed or removed), is refused and shows per field and per row what each adviser changed and
what is stored now; saving again keeps the other adviser's changes to everything this adviser
did not touch."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from programs.models import Cost, DatedDeadline, EligibilityRule, Organisation, Programme
from tests.factories import (
    make_cost,
    make_dated_deadline,
    make_destination_note,
    make_organisation,
    make_programme,
    make_region,
    make_rule,
)
from tests.test_admin import admin_url, change_form_post

pytestmark = pytest.mark.django_db


def row_index(form: dict, prefix: str, pk: int) -> int:
    return next(
        int(key.split("-")[-2])
        for key, value in form.items()
        if key.startswith(f"{prefix}-") and key.endswith("-id") and value == str(pk)
    )


def refused(response) -> str:
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert 'id="stale-refusal"' in html, html[:3000]
    return html


def test_a_stale_save_is_refused_and_names_who_and_what_changed(amina, ben):
    programme = make_programme(title="Surgery elective", pay="unknown")
    url = admin_url("programme", "change", programme.pk)
    amina_form = change_form_post(amina.get(url))
    ben_form = change_form_post(ben.get(url))

    amina_form["title"] = "Surgery elective (Cape Town)"
    assert amina.post(url, amina_form).status_code == 302
    ben_form["pay_note"] = "Unpaid, as the guide says."
    html = refused(ben.post(url, ben_form))

    assert "Saved by Amina at" in html
    assert "Surgery elective (Cape Town)" in html  # what she changed, stored now
    assert "Unpaid, as the guide says." in html  # what he changed, still in his form
    programme.refresh_from_db()
    assert programme.title == "Surgery elective (Cape Town)"
    assert programme.pay_note == ""


def test_saving_again_keeps_her_pay_note_and_his_title(amina, ben):
    programme = make_programme(title="Surgery elective")
    url = admin_url("programme", "change", programme.pk)
    amina_form = change_form_post(amina.get(url))
    ben_form = change_form_post(ben.get(url))
    amina_form["pay_note"] = "Unpaid; meals provided."
    amina.post(url, amina_form)
    ben_form["title"] = "Ben's title"

    response = ben.post(url, ben_form)
    refused(response)
    again = ben.post(url, change_form_post(response))

    assert again.status_code == 302
    programme.refresh_from_db()
    assert (programme.title, programme.pay_note) == ("Ben's title", "Unpaid; meals provided.")


def test_where_both_changed_a_field_the_refusal_says_so_and_saving_again_keeps_yours(amina, ben):
    programme = make_programme(title="Surgery elective")
    url = admin_url("programme", "change", programme.pk)
    amina_form = change_form_post(amina.get(url))
    ben_form = change_form_post(ben.get(url))
    amina_form["title"] = "Amina's title"
    amina.post(url, amina_form)
    ben_form["title"] = "Ben's title"

    response = ben.post(url, ben_form)
    assert "both changed: the form keeps yours" in refused(response)
    again = ben.post(url, change_form_post(response))

    assert again.status_code == 302
    assert Programme.objects.get(pk=programme.pk).title == "Ben's title"


def test_a_stale_save_never_puts_back_the_other_advisers_costs(amina, ben):
    programme = make_programme()
    fee = make_cost(programme, key="fee", amount_min=Decimal("1200"), period="per_week")
    url = admin_url("programme", "change", programme.pk)
    amina_form = change_form_post(amina.get(url))
    ben_form = change_form_post(ben.get(url))
    index = row_index(amina_form, "costs", fee.pk)
    amina_form[f"costs-{index}-amount_min"] = "1500"
    assert amina.post(url, amina_form).status_code == 302
    ben_form["title"] = "Renamed by Ben"

    response = ben.post(url, ben_form)
    html = refused(response)
    assert "Cost “Programme fee (fee)”" in html
    assert "Changed by the other adviser: the form now shows the stored values." in html
    assert ben.post(url, change_form_post(response)).status_code == 302

    fee.refresh_from_db()
    assert fee.amount_min == Decimal("1500")
    assert Programme.objects.get(pk=programme.pk).title == "Renamed by Ben"


def test_rows_added_and_removed_by_the_other_adviser_stay_so(amina, ben):
    programme = make_programme()
    kept = make_rule(programme, key="kept", text="Medical students only.")
    removed = make_rule(programme, key="removed", text="Aged 18 or over.")
    url = admin_url("programme", "change", programme.pk)
    ben_form = change_form_post(ben.get(url))
    # Amina, meanwhile: removes one rule and adds another (as a form of hers would).
    removed.delete()
    make_rule(programme, key="added", text="English at IELTS 6.")
    ben_form[f"eligibility_rules-{row_index(ben_form, 'eligibility_rules', kept.pk)}-text"] = (
        "Medical students in their final two years."
    )

    response = ben.post(url, ben_form)
    html = refused(response)
    assert "Removed by the other adviser: gone." in html
    assert "Added by the other adviser: now in the form." in html
    assert ben.post(url, change_form_post(response)).status_code == 302

    texts = set(EligibilityRule.objects.filter(programme=programme).values_list("text", flat=True))
    assert texts == {"Medical students in their final two years.", "English at IELTS 6."}


def test_a_row_you_changed_that_she_removed_comes_back_only_as_a_new_row_you_see(amina, ben):
    programme = make_programme()
    rule = make_rule(programme, key="age", text="Aged 18 or over.")
    url = admin_url("programme", "change", programme.pk)
    ben_form = change_form_post(ben.get(url))
    index = row_index(ben_form, "eligibility_rules", rule.pk)
    rule.delete()
    ben_form[f"eligibility_rules-{index}-text"] = "Aged 21 or over."

    response = ben.post(url, ben_form)
    assert "the form has it again as a new row with your values" in refused(response)
    assert not EligibilityRule.objects.filter(programme=programme).exists()
    assert ben.post(url, change_form_post(response)).status_code == 302
    assert list(
        EligibilityRule.objects.filter(programme=programme).values_list("text", flat=True)
    ) == ["Aged 21 or over."]


def test_a_dated_deadline_she_added_is_kept_when_he_saves_again(amina, ben):
    programme = make_programme()
    url = admin_url("programme", "change", programme.pk)
    ben_form = change_form_post(ben.get(url))
    make_dated_deadline(programme, cycle=2027, date=datetime.date(2027, 2, 21))
    ben_form["pay_note"] = "Unpaid."

    response = ben.post(url, ben_form)
    assert "Dated deadline" in refused(response)
    assert ben.post(url, change_form_post(response)).status_code == 302
    assert DatedDeadline.objects.filter(programme=programme, cycle=2027).count() == 1
    assert Programme.objects.get(pk=programme.pk).pay_note == "Unpaid."


def test_a_form_sent_back_for_a_mistake_still_finds_what_was_saved_meanwhile(amina, ben):
    programme = make_programme(title="Surgery elective")
    url = admin_url("programme", "change", programme.pk)
    ben_form = change_form_post(ben.get(url))
    ben_form["duration_min_weeks"] = "500"  # a mistake: sent back with a message
    mistaken = ben.post(url, ben_form)
    assert mistaken.status_code == 200
    amina_form = change_form_post(amina.get(url))
    amina_form["pay_note"] = "Unpaid."
    amina.post(url, amina_form)
    corrected = change_form_post(mistaken)
    corrected["duration_min_weeks"] = "5"

    response = ben.post(url, corrected)
    refused(response)
    assert ben.post(url, change_form_post(response)).status_code == 302
    programme.refresh_from_db()
    assert (programme.duration_min_weeks, programme.pay_note) == (5, "Unpaid.")


def test_a_form_that_is_not_stale_saves_as_usual_and_moves_the_version_once(amina):
    programme = make_programme(title="Surgery elective")
    make_cost(programme, key="fee", amount_min=Decimal("100"))
    before = Programme.objects.get(pk=programme.pk).version
    url = admin_url("programme", "change", programme.pk)
    form = change_form_post(amina.get(url))
    form["title"] = "Renamed"
    form["costs-0-amount_min"] = "200"

    assert amina.post(url, form).status_code == 302
    programme.refresh_from_db()
    assert (programme.title, programme.version) == ("Renamed", before + 1)
    assert Cost.objects.get(programme=programme).amount_min == Decimal("200")


def test_a_save_that_changes_nothing_keeps_the_version(amina):
    programme = make_programme()
    url = admin_url("programme", "change", programme.pk)
    assert amina.post(url, change_form_post(amina.get(url))).status_code == 302
    assert Programme.objects.get(pk=programme.pk).version == 1


def test_organisations_are_guarded_too(amina, ben):
    organisation = make_organisation(name="Groote Schuur")
    url = admin_url("organisation", "change", organisation.pk)
    amina_form = change_form_post(amina.get(url))
    ben_form = change_form_post(ben.get(url))
    amina_form["name"] = "Groote Schuur Hospital"
    amina.post(url, amina_form)

    assert "Groote Schuur Hospital" in refused(ben.post(url, ben_form))
    assert Organisation.objects.get(pk=organisation.pk).name == "Groote Schuur Hospital"


def test_a_regions_notes_are_guarded_like_a_programmes_rows(amina, ben):
    region = make_region(name="Europe")
    note = make_destination_note(region=region, text="Summer is busy.")
    url = admin_url("region", "change", region.pk)
    ben_form = change_form_post(ben.get(url))
    amina_form = change_form_post(amina.get(url))
    amina_form[f"notes-{row_index(amina_form, 'notes', note.pk)}-text"] = "Summer is very busy."
    amina.post(url, amina_form)
    ben_form["summary"] = "Placements across Europe."

    response = ben.post(url, ben_form)
    refused(response)
    assert ben.post(url, change_form_post(response)).status_code == 302
    note.refresh_from_db()
    region.refresh_from_db()
    assert (note.text, region.summary) == ("Summer is very busy.", "Placements across Europe.")
