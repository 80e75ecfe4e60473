"""Reloading the fixtures never overwrites an adviser's edit: it creates what is missing, updates
rows still as the fixtures left them, and lists every conflict. It never brings back what an editor
deleted, and loads only the directory's own models (issues 23 and 24)."""

import io
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from programs.catalogue.loading import FixtureError, load_directory
from programs.models import Cost, EligibilityRule, FixtureRecord, Organisation, Programme
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

    with pytest.raises(CommandError, match="edited or deleted since the fixtures last wrote"):
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


def test_a_programme_an_editor_deleted_stays_deleted_with_its_rules_and_costs(loaded):
    programme = Programme.objects.filter(costs__isnull=False).order_by("slug")[0]
    slug = programme.slug
    programme.delete()

    report = load_directory(loaded)

    assert not Programme.objects.filter(slug=slug).exists()
    assert not Cost.objects.filter(programme__slug=slug).exists()
    assert [d.key for d in report.deletions] == [f"programs.programme:{slug}"]
    assert report.deleted_with_parent >= 1
    assert report.created == 0
    assert "deleted rows left deleted" in str(report)


def test_the_command_exits_non_zero_for_a_deleted_row_and_keep_edits_warns_instead(loaded):
    programme = first_published()
    programme.delete()
    errors = io.StringIO()

    with pytest.raises(CommandError, match="edited or deleted"):
        call_command("load_directory", fixtures=loaded, stderr=errors)
    assert f"[programs.programme:{programme.slug}]" in errors.getvalue()

    errors = io.StringIO()
    call_command("load_directory", fixtures=loaded, keep_edits=True, stderr=errors)
    assert "Kept: programmes.yaml, record" in errors.getvalue()
    assert f"[programs.programme:{programme.slug}]" in errors.getvalue()
    assert not Programme.objects.filter(slug=programme.slug).exists()


def test_a_single_cost_an_editor_deleted_stays_deleted(loaded):
    cost = Cost.objects.select_related("programme").order_by("pk")[0]
    slug, key = cost.programme.slug, cost.key
    cost.delete()

    report = load_directory(loaded)

    assert not Cost.objects.filter(programme__slug=slug, key=key).exists()
    assert [d.key for d in report.deletions] == [f"programs.cost:{slug}/{key}"]


def test_naming_a_deleted_programme_creates_it_again_with_its_rules_and_costs(loaded):
    programme = Programme.objects.filter(costs__isnull=False).order_by("slug")[0]
    slug = programme.slug
    costs = Cost.objects.filter(programme=programme).count()
    rules = EligibilityRule.objects.filter(programme=programme).count()
    programme.delete()

    report = load_directory(loaded, overwrite={f"programs.programme:{slug}"})

    assert report.recreated >= 1 and report.deletions == []
    assert Cost.objects.filter(programme__slug=slug).count() == costs
    assert EligibilityRule.objects.filter(programme__slug=slug).count() == rules
    assert not FixtureRecord.objects.filter(deleted_at__isnull=False).exists()
    assert load_directory(loaded).kept == []


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


def test_keep_edits_lists_the_edited_row_as_a_warning_and_exits_zero(loaded):
    programme = first_published()
    programme.title = "Edited by an adviser"
    programme.save()
    out, errors = io.StringIO(), io.StringIO()

    call_command("load_directory", fixtures=loaded, keep_edits=True, stdout=out, stderr=errors)

    assert f"[programs.programme:{programme.slug}]" in errors.getvalue()
    assert "kept as they are" in errors.getvalue()
    assert "1 edited rows kept" in out.getvalue()
    assert Programme.objects.get(pk=programme.pk).title == "Edited by an adviser"


def edited_title_and_organisation(loaded) -> tuple[Programme, Organisation]:
    programme = first_published()
    programme.title = "Edited by an adviser"
    programme.save()
    organisation = Organisation.objects.order_by("slug")[0]
    organisation.name = "Renamed by an adviser"
    organisation.save()
    return programme, organisation


def test_overwrite_with_named_rows_replaces_only_those(loaded):
    programme, organisation = edited_title_and_organisation(loaded)

    report = load_directory(loaded, overwrite={f"programs.programme:{programme.slug}"})

    assert report.overwritten == 1
    assert Programme.objects.get(pk=programme.pk).title != "Edited by an adviser"
    assert Organisation.objects.get(pk=organisation.pk).name == "Renamed by an adviser"
    assert [c.key for c in report.conflicts] == [f"programs.organisation:{organisation.slug}"]


def test_naming_a_row_nobody_edited_loads_nothing(loaded):
    programme, _ = edited_title_and_organisation(loaded)

    with pytest.raises(FixtureError, match=r"programs\.programme:no-such-programme"):
        load_directory(
            loaded,
            overwrite={
                f"programs.programme:{programme.slug}",
                "programs.programme:no-such-programme",
            },
        )

    assert Programme.objects.get(pk=programme.pk).title == "Edited by an adviser"


@pytest.mark.parametrize("answer", ["no", ""])
def test_a_bare_overwrite_names_every_row_and_replaces_nothing_unless_told_yes(
    loaded, monkeypatch, answer
):
    programme, organisation = edited_title_and_organisation(loaded)
    monkeypatch.setattr("builtins.input", lambda prompt: answer)
    out = io.StringIO()

    with pytest.raises(CommandError, match="Nothing was replaced"):
        call_command("load_directory", fixtures=loaded, overwrite=[], stdout=out)

    assert "will replace these 2 rows" in out.getvalue()
    assert f"programs.programme:{programme.slug}" in out.getvalue()
    assert f"programs.organisation:{organisation.slug}" in out.getvalue()
    assert Programme.objects.get(pk=programme.pk).title == "Edited by an adviser"


def test_a_bare_overwrite_answered_yes_replaces_the_rows_it_named(loaded, monkeypatch):
    programme, organisation = edited_title_and_organisation(loaded)
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")

    call_command("load_directory", fixtures=loaded, overwrite=[], stdout=io.StringIO())

    assert Programme.objects.get(pk=programme.pk).title != "Edited by an adviser"
    assert Organisation.objects.get(pk=organisation.pk).name != "Renamed by an adviser"


def test_a_bare_overwrite_with_no_input_replaces_without_asking(loaded):
    programme, _ = edited_title_and_organisation(loaded)

    call_command(
        "load_directory", fixtures=loaded, overwrite=[], interactive=False, stdout=io.StringIO()
    )

    assert Programme.objects.get(pk=programme.pk).title != "Edited by an adviser"


def test_a_fixture_folder_with_a_user_record_loads_nothing_and_creates_no_login(loaded):
    with (loaded / "programmes.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "- model: auth.user\n  fields:\n    username: intruder\n    password: x\n"
            "    is_superuser: true\n    is_staff: true\n    is_active: true\n"
        )
    programme = first_published()
    programme.delete()  # something the load would otherwise report

    with pytest.raises(FixtureError, match=r"programmes\.yaml, record \d+: auth\.user is not one"):
        load_directory(loaded, overwrite=True)

    assert not get_user_model().objects.filter(username="intruder").exists()
    assert not Programme.objects.filter(slug=programme.slug).exists()
