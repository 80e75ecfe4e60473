"""load_directory: validates every record, all or nothing, and re-runs without changes."""

import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from programs.catalogue.loading import FIXTURE_FILES, FixtureError, fixtures_dir, load_directory
from programs.models import Cost, EligibilityRule, Guide, Organisation, Programme, Region

pytestmark = pytest.mark.django_db
# A test that needs the fixtures loaded before it acts asks for `seeded` (loaded once for the run,
# tests/conftest.py) instead of loading them again (about 7 s each).


def copy_fixtures(tmp_path: Path) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(fixtures_dir(), target)
    return target


def table_counts() -> dict[str, int]:
    models = (Guide, Region, Organisation, Programme, EligibilityRule, Cost)
    return {model.__name__: model.objects.count() for model in models}


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_fixture_file_loads_and_validates():
    report = load_directory()

    assert report.files == list(FIXTURE_FILES)
    assert report.created > 0
    assert Programme.objects.published().count() >= 10


def test_loading_twice_changes_nothing(seeded):
    first = table_counts()
    stamps = dict(Programme.objects.values_list("slug", "updated_at"))

    report = load_directory()

    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged > 0
    assert table_counts() == first
    assert dict(Programme.objects.values_list("slug", "updated_at")) == stamps


def test_editing_a_fixture_and_reloading_updates_the_row(seeded, tmp_path):
    directory = copy_fixtures(tmp_path)
    programme = Programme.objects.order_by("slug").first()
    assert programme is not None
    replace_in(
        directory / "programmes.yaml", f"title: {programme.title}", "title: A renamed programme"
    )

    report = load_directory(directory)

    assert report.updated == 1
    assert report.created == 0
    programme.refresh_from_db()
    assert programme.title == "A renamed programme"


def test_a_bad_record_loads_nothing_and_names_file_record_and_field(tmp_path):
    directory = copy_fixtures(tmp_path)
    bad = directory / "programmes.yaml"
    bad.write_text(
        bad.read_text(encoding="utf-8")
        + """
- model: programs.programme
  fields:
    slug: broken-programme
    title: Broken
    organisation: [ucl]
    summary: Broken on purpose.
    programme_type: research
    duration_min_weeks: 9
    duration_max_weeks: 2
    source_guide: [best-medical-internships-2025-2026]
    source_section: Nowhere
""",
        encoding="utf-8",
    )

    with pytest.raises(FixtureError) as excinfo:
        load_directory(directory)

    message = str(excinfo.value)
    assert "programmes.yaml" in message
    assert "broken-programme" in message
    assert "duration_max_weeks" in message
    assert table_counts() == dict.fromkeys(table_counts(), 0)


def test_a_bad_record_leaves_earlier_data_untouched(seeded, tmp_path):
    before = table_counts()
    directory = copy_fixtures(tmp_path)
    replace_in(directory / "destinations.yaml", "code: GB", "code: gb")

    with pytest.raises(FixtureError, match=r"destinations\.yaml"):
        load_directory(directory)

    assert table_counts() == before


def test_a_reference_to_a_missing_record_is_reported(tmp_path):
    directory = copy_fixtures(tmp_path)
    replace_in(directory / "programmes.yaml", "organisation: [", "organisation: [no-such-org-")

    with pytest.raises(FixtureError, match=r"programmes\.yaml"):
        load_directory(directory)
    assert Programme.objects.count() == 0


def test_the_command_exits_non_zero_with_the_reason(tmp_path):
    directory = copy_fixtures(tmp_path)
    (directory / "organisations.yaml").unlink()

    with pytest.raises(CommandError, match=r"Nothing was loaded\..*organisations.yaml"):
        call_command("load_directory", fixtures=directory)


def test_the_command_reports_what_it_did(seeded, capsys):
    call_command("load_directory")

    out = capsys.readouterr().out
    assert "0 created, 0 updated" in out.splitlines()[-1]
