"""Reloading the fixtures never overwrites an adviser's edit: it creates what is missing, updates
rows still as the fixtures left them, and lists every conflict."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from programs.catalogue.loading import load_directory
from programs.models import FixtureRecord, Organisation, Programme
from tests.test_loading import copy_fixtures, replace_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(seeded, tmp_path) -> Path:
    """A copy of the fixtures, as loaded: `seeded` loaded the same files once for all these tests
    (the fingerprints hold values, not where the files were)."""
    return copy_fixtures(tmp_path)


def first_published() -> Programme:
    return Programme.objects.published().order_by("slug")[0]


def test_a_reload_keeps_an_advisers_edit_and_reports_it_as_a_conflict(loaded):
    programme = first_published()
    programme.title = "Edited by an adviser"
    programme.save()
    organisation = Organisation.objects.order_by("slug").first()
    organisation.name = "Renamed by an adviser"
    organisation.save()

    report = load_directory(loaded)

    assert Programme.objects.get(pk=programme.pk).title == "Edited by an adviser"
    assert Organisation.objects.get(pk=organisation.pk).name == "Renamed by an adviser"
    assert len(report.conflicts) == 2
    assert any("title" in c.fields and programme.slug in c.where for c in report.conflicts)
    assert any("name" in c.fields and organisation.slug in c.where for c in report.conflicts)


def test_the_command_lists_conflicts_and_exits_non_zero(loaded):
    programme = first_published()
    programme.title = "Edited by an adviser"
    programme.save()
    errors = io.StringIO()

    with pytest.raises(CommandError, match="edited since the fixtures last wrote them"):
        call_command("load_directory", fixtures=loaded, stderr=errors)

    assert programme.slug in errors.getvalue()
    assert "title" in errors.getvalue()
    assert Programme.objects.get(pk=programme.pk).title == "Edited by an adviser"


def test_overwrite_replaces_the_edit_with_the_fixtures_value(loaded):
    programme = first_published()
    fixture_title = programme.title
    programme.title = "Edited by an adviser"
    programme.save()

    report = load_directory(loaded, overwrite=True)

    assert report.overwritten == 1
    assert Programme.objects.get(pk=programme.pk).title == fixture_title


def test_a_fixture_change_reaches_rows_nobody_edited(loaded):
    programme = first_published()
    replace_in(
        loaded / "programmes.yaml", f"title: {programme.title}", "title: Fixed in the fixtures"
    )

    report = load_directory(loaded)

    assert report.conflicts == []
    assert report.updated == 1
    assert Programme.objects.get(pk=programme.pk).title == "Fixed in the fixtures"


def test_a_fixture_change_to_an_edited_row_is_a_conflict_and_the_edit_stays(loaded):
    programme = first_published()
    replace_in(
        loaded / "programmes.yaml", f"title: {programme.title}", "title: Fixed in the fixtures"
    )
    programme.pay_note = "Checked with the provider"
    programme.save()

    report = load_directory(loaded)

    assert [c.fields for c in report.conflicts] == [("title", "pay_note")]
    stored = Programme.objects.get(pk=programme.pk)
    assert stored.pay_note == "Checked with the provider"
    assert stored.title == programme.title


def test_a_deleted_row_is_created_again(loaded):
    programme = first_published()
    slug = programme.slug
    programme.delete()

    report = load_directory(loaded)

    assert report.created >= 1
    assert Programme.objects.filter(slug=slug).exists()


def test_a_dry_run_reports_and_saves_nothing(loaded):
    programme = first_published()
    replace_in(
        loaded / "programmes.yaml", f"title: {programme.title}", "title: Fixed in the fixtures"
    )
    records = FixtureRecord.objects.count()

    report = load_directory(loaded, dry_run=True)

    assert report.updated == 1 and report.dry_run
    assert Programme.objects.get(pk=programme.pk).title == programme.title
    assert FixtureRecord.objects.count() == records


def test_only_if_empty_seeds_once(loaded):
    programme = first_published()
    programme.title = "Edited by an adviser"
    programme.save()
    out = io.StringIO()

    call_command("load_directory", fixtures=loaded, only_if_empty=True, stdout=out)

    assert "nothing to do" in out.getvalue()
    assert Programme.objects.get(pk=programme.pk).title == "Edited by an adviser"
