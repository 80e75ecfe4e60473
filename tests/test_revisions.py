"""Issue 16: a programme's versions hold its fields, linked lists, rules, costs and dated
deadlines; any two compare, and restoring one brings all of it back without publishing."""

from __future__ import annotations

from decimal import Decimal

from programs.catalogue.restoring import Plan, compare, restore
from programs.catalogue.revisions import (
    current_state,
    deleted_programmes,
    state_before_deletion,
    state_of,
    versions,
)
from programs.models import Cost, EligibilityRule, Programme
from programs.models.revisions import one_revision
from tests.factories import (
    make_cost,
    make_programme,
    make_rule,
    make_speciality,
    make_study_level,
)


def a_programme_with_rules_and_costs() -> Programme:
    with one_revision():
        programme = make_programme(title="Right title", specialities=[make_speciality()])
        make_rule(programme, key="age", kind="min_age", min_age=18, text="Be 18 or over.")
        make_cost(programme, key="fee", amount_min=Decimal("100"))
    return programme


def test_one_save_of_a_programme_and_its_rules_is_one_version(db):
    programme = a_programme_with_rules_and_costs()

    assert len(versions(programme.pk)) == 1


def test_any_two_versions_compare_fields_lists_rules_and_costs(db):
    programme = a_programme_with_rules_and_costs()
    surgery = make_speciality(name="Surgery")
    with one_revision():
        programme.title = "Wrong title"
        programme.save()
        programme.specialities.add(surgery)
        EligibilityRule.objects.filter(key="age").delete()
        cost = Cost.objects.get(key="fee")
        cost.amount_min = Decimal("900")
        cost.save()
    with one_revision():
        make_rule(programme, key="nominated", text="Nominated by the school.")
    first, _, third = versions(programme.pk)

    comparison = compare(state_of(first), state_of(third))

    changes = {change.label: (change.before, change.after) for change in comparison.fields}
    assert changes["Title"] == ("Right title", "Wrong title")
    assert "Surgery" in changes["Specialities"][1]
    rules = {(c.what, c.label) for c in comparison.children["Eligibility rules"]}
    assert rules == {("Removed", "Be 18 or over."), ("Added", "Nominated by the school.")}
    (cost_change,) = comparison.children["Costs"]
    assert cost_change.what == "Changed"
    assert [(f.before, f.after) for f in cost_change.fields] == [("100.00", "900.00")]


def test_restoring_brings_back_rules_costs_and_rule_levels(db):
    programme = a_programme_with_rules_and_costs()
    level = make_study_level()
    with one_revision():
        rule = EligibilityRule.objects.get(key="age")
        rule.study_levels.add(level)
    wanted = versions(programme.pk)[-1]
    with one_revision():
        EligibilityRule.objects.filter(key="age").delete()
        Cost.objects.filter(key="fee").update(amount_min=Decimal("5"))  # outside history
        make_cost(programme, key="travel", kind="flights")

    restore(Plan(current_state(programme.pk), state_of(wanted), restore_status=False))

    rule = EligibilityRule.objects.get(key="age")
    assert (rule.min_age, list(rule.study_levels.all())) == (18, [level])
    assert list(Cost.objects.values_list("key", "amount_min")) == [("fee", Decimal("100"))]


def test_restoring_a_published_version_keeps_an_archived_programme_archived(db):
    programme = a_programme_with_rules_and_costs()
    published = versions(programme.pk)[-1]
    programme.title = "Wrong title"
    programme.save()
    programme.set_status(Programme.Status.ARCHIVED)
    plan = Plan(current_state(programme.pk), state_of(published), restore_status=False)

    restore(plan)

    programme.refresh_from_db()
    assert (programme.title, programme.status) == ("Right title", Programme.Status.ARCHIVED)
    assert plan.keeps_status


def test_restoring_the_status_too_is_the_advisers_explicit_choice(db):
    programme = a_programme_with_rules_and_costs()
    published = versions(programme.pk)[-1]
    programme.set_status(Programme.Status.ARCHIVED)

    restore(Plan(current_state(programme.pk), state_of(published), restore_status=True))

    programme.refresh_from_db()
    assert programme.status == Programme.Status.PUBLISHED


def test_restoring_the_current_version_writes_nothing(db):
    programme = a_programme_with_rules_and_costs()
    before = len(versions(programme.pk))

    restore(Plan(current_state(programme.pk), state_of(versions(programme.pk)[-1]), False))

    assert len(versions(programme.pk)) == before


def test_a_deleted_programme_comes_back_as_a_draft_with_its_rules_and_costs(db):
    programme = a_programme_with_rules_and_costs()
    pk = programme.pk
    with one_revision():
        programme.delete()
    (deleted,) = deleted_programmes()
    assert (deleted.id, deleted.title) == (pk, "Right title")

    restore(Plan(current_state(pk), state_before_deletion(pk), restore_status=False))

    recovered = Programme.objects.get(pk=pk)
    assert recovered.status == Programme.Status.DRAFT
    assert recovered.specialities.count() == 1
    assert list(recovered.eligibility_rules.values_list("key", flat=True)) == ["age"]
    assert list(recovered.costs.values_list("key", flat=True)) == ["fee"]
    assert deleted_programmes() == []


def test_a_programme_deleted_outside_a_request_is_recovered_whole_too(db):
    # Without a revision each deletion row is a version of its own; the rules go first.
    programme = a_programme_with_rules_and_costs()
    pk = programme.pk
    programme.delete()

    state = state_before_deletion(pk)

    assert state.programme is not None
    assert len(state.children["r"]) == len(state.children["c"]) == 1


def test_a_rule_whose_key_was_reused_since_comes_back_in_place_of_the_new_one(db):
    programme = a_programme_with_rules_and_costs()
    wanted = versions(programme.pk)[-1]
    with one_revision():
        EligibilityRule.objects.filter(key="age").delete()
        make_rule(programme, key="age", kind="other", text="A different rule.")

    restore(Plan(current_state(programme.pk), state_of(wanted), restore_status=False))

    assert list(EligibilityRule.objects.values_list("key", "text")) == [("age", "Be 18 or over.")]
