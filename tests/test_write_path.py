"""One write path per programme (programs/catalogue/writing.py): a write of any part moves the
whole record's version once, a writer that started from another version is refused, a deletion
is one revision, and a recovered programme is exactly as it was when it was deleted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from programs.caching import generation
from programs.catalogue import restoring, revisions, writing
from programs.catalogue.restoring import Plan, RestoreRefused
from programs.models import Cost, EligibilityRule, Programme
from programs.models.revisions import one_revision
from tests.factories import make_cost, make_dated_deadline, make_programme, make_rule

pytestmark = pytest.mark.django_db


def version_of(programme: Programme) -> int:
    return Programme.objects.values_list("version", flat=True).get(pk=programme.pk)


def test_changing_only_a_cost_moves_the_programmes_version_once():
    programme = make_programme()
    cost = make_cost(programme, amount_min=Decimal("100"))
    before = version_of(programme)  # the cost, added outside a write, moved it once already

    with writing.programme_write(programme.pk):
        cost.amount_min = Decimal("150")
        cost.save()
        make_rule(programme, text="Medical students only.")

    assert version_of(programme) == before + 1


def test_a_write_that_changes_nothing_keeps_the_version():
    programme = make_programme()

    with writing.programme_write(programme.pk) as write:
        assert write.version == 1

    assert version_of(programme) == 1


def test_a_writer_that_started_from_an_older_version_is_refused_and_writes_nothing():
    programme = make_programme(title="Before")
    with writing.programme_write(programme.pk):
        Programme.objects.get(pk=programme.pk).set_status(Programme.Status.ARCHIVED)

    with pytest.raises(writing.StaleVersion), writing.programme_write(programme.pk) as write:
        write.require(1)
        Programme.objects.filter(pk=programme.pk).update(title="After")

    assert Programme.objects.get(pk=programme.pk).title == "Before"


def test_everything_one_write_saves_is_one_version_in_the_history():
    programme = make_programme()

    with writing.programme_write(programme.pk):
        make_cost(programme, key="fee")
        make_rule(programme, key="age", text="Aged 18 or over.")
        programme.pay_note = "Unpaid."
        programme.save()

    newest = revisions.versions(programme.pk)[-1]
    assert {event.kind for event in newest.events} == {"p", "c", "r"}


def test_a_write_replaces_the_programmes_cached_pages_once_committed(
    django_capture_on_commit_callbacks,
):
    programme = make_programme()
    before = generation.current([generation.programme_key(programme.slug)])

    with django_capture_on_commit_callbacks(execute=True), writing.programme_write(programme.pk):
        make_cost(programme)

    assert generation.current([generation.programme_key(programme.slug)]) != before


def test_a_deleted_programme_is_recovered_without_a_cost_deleted_before_it():
    """Issue 23: "a deleted programme came back with a cost that had been deleted before it"."""
    programme = make_programme()
    kept = make_cost(programme, key="kept")
    dropped = make_cost(programme, key="dropped")
    make_dated_deadline(programme)
    with writing.programme_write(programme.pk):
        dropped.delete()
    writing.delete_programme(programme.pk)

    target = revisions.state_before_deletion(programme.pk)
    restoring.restore(Plan(revisions.current_state(programme.pk), target, restore_status=False))

    assert set(Cost.objects.filter(programme_id=programme.pk).values_list("key", flat=True)) == {
        kept.key
    }
    assert Programme.objects.get(pk=programme.pk).dated_deadlines.count() == 1


def test_a_deleted_programme_is_recovered_without_a_rule_removed_in_an_earlier_request_block():
    programme = make_programme()
    make_rule(programme, key="kept", text="Medical students only.")
    removed = make_rule(programme, key="removed", text="Aged 18 or over.")
    with one_revision():
        removed.delete()
    with one_revision():
        Programme.objects.get(pk=programme.pk).delete()

    target = revisions.state_before_deletion(programme.pk)

    assert [child.instance.key for child in target.children["r"].values()] == ["kept"]


def test_a_restore_from_a_preview_of_another_state_is_refused_under_the_lock():
    programme = make_programme(title="First")
    with writing.programme_write(programme.pk):
        Programme.objects.filter(pk=programme.pk).update(title="Second")
        programme.refresh_from_db()
        programme.save()
    versions = revisions.versions(programme.pk)
    preview = revisions.seen(programme.pk)
    with writing.programme_write(programme.pk):
        make_rule(programme, text="Added after the preview.")
    plan = Plan(revisions.current_state(programme.pk), revisions.state_of(versions[0]), False)

    with pytest.raises(RestoreRefused, match="changed after this preview"):
        restoring.restore(plan, seen_at_preview=preview)

    assert EligibilityRule.objects.filter(programme=programme).count() == 1


def test_the_admin_deletes_a_programme_through_the_write_path_as_one_revision(client):
    editor = get_user_model().objects.create_superuser(
        "editor", "e@example.org", "a-long-pass-word"
    )
    client.force_login(editor)
    programme = make_programme()
    make_cost(programme)
    make_rule(programme)

    response = client.post(f"/admin/programs/programme/{programme.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    newest = revisions.versions(programme.pk)[-1]
    assert newest.deleted and {event.kind for event in newest.events} == {"p", "c", "r"}
    assert newest.user == editor
