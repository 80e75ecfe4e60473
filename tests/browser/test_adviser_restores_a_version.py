"""Issue 16, in Chromium as an adviser: a colleague's save removed a rule and cut a stipend, and the
programme was archived since; the adviser finds the version before that save in the history,
sees every change the restore makes, confirms, and gets the rule and the stipend back with the
programme still archived."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from programs.catalogue.roles import create_staff_user
from programs.models import Cost, EligibilityRule, Programme
from programs.models.revisions import one_revision

pytestmark = pytest.mark.browser

SLUG = "stanford-pediatrics-internship-program"
RULE = "Must live in Northern California."
PASSWORD = "a-long-adviser-password"  # noqa: S105 (a test login)


def a_colleague_removes_a_rule_and_cuts_the_stipend() -> Programme:
    colleague = create_staff_user("colleague", "colleague@example.org", PASSWORD)
    programme = Programme.objects.get(slug=SLUG)
    with one_revision():
        rule = EligibilityRule.objects.get(programme=programme, text=RULE)
        rule._history_user = colleague  # type: ignore[attr-defined]
        rule.delete()
        stipend = Cost.objects.get(programme=programme, key="need-based-stipend")
        stipend.amount_min = Decimal("300")
        stipend._history_user = colleague  # type: ignore[attr-defined]
        stipend.save()
    programme.set_status(Programme.Status.ARCHIVED)
    return programme


def test_adviser_restores_the_rules_and_costs_a_colleague_changed(
    page: Page, seeded_server, screenshot
):
    programme = a_colleague_removes_a_rule_and_cuts_the_stipend()
    create_staff_user("amina", "amina@example.org", PASSWORD)
    page.goto(f"{seeded_server.url}/admin/programs/programme/{programme.pk}/change/")
    page.get_by_label("Username").fill("amina")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="History").click()
    bad_save = page.locator("#change-history tbody tr", has_text="rule removed")
    expect(bad_save).to_contain_text("colleague")
    expect(bad_save).to_contain_text("cost changed: need-based-stipend")
    screenshot("admin-programme-history")
    before_it = bad_save.locator("xpath=following-sibling::tr[1]")
    before_it.get_by_role("link", name="Preview restoring this version").click()

    # The preview names every change, status included, before anything is written.
    expect(page.get_by_text(f"Added: {RULE}")).to_be_visible()
    expect(page.get_by_text("Amount min: 300.00 → 3000.00")).to_be_visible()
    expect(page.locator("#status-outcome")).to_contain_text("stays archived")
    expect(page.locator("#status-outcome")).to_contain_text("the version was published")
    expect(page.get_by_label("Also restore its status: make it published")).not_to_be_checked()
    screenshot("admin-programme-restore-preview")
    assert not EligibilityRule.objects.filter(programme=programme, text=RULE).exists()

    page.get_by_role("button", name="Restore this version").click()

    expect(page.locator(".messagelist")).to_contain_text("is archived")
    programme.refresh_from_db()
    assert programme.status == Programme.Status.ARCHIVED
    assert EligibilityRule.objects.filter(programme=programme, text=RULE).exists()
    stipend = Cost.objects.get(programme=programme, key="need-based-stipend")
    assert stipend.amount_min == Decimal("3000")
    screenshot("admin-programme-restored")
