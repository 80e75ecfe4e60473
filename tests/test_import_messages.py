"""Issue 23, "Imports": every bad value is a plain message, all of a file's problems come at once
in the spreadsheet's own row numbers, the preview shows each change as stored value → file's value,
text that differs only in line endings or trailing spaces is no change, and an adviser may import
the clean rows and leave the conflicting ones, listed. Through the admin over HTTP."""

from __future__ import annotations

import pytest

from programs.catalogue.import_summary import summarise
from programs.models import Programme
from tests.test_import_export import (  # noqa: F401 (fixtures)
    PROCESS,
    adviser_client,
    edit,
    exported,
    row_index,
    two_programmes,
)
from tests.test_import_safety import preview

pytestmark = pytest.mark.django_db


def test_every_bad_value_is_a_plain_message_and_all_come_at_once_in_the_sheets_rows(
    adviser_client,  # noqa: F811
    two_programmes,  # noqa: F811
):
    dataset = edit(
        exported(), "first", duration_min_weeks="abc", deadline_day="12.5", pay="sometimes"
    )
    dataset = edit(dataset, "second", duration_max_weeks="six", countries="GB|ZZ")

    response = preview(adviser_client, dataset)

    summary = summarise(response.context["result"])
    problems = {outcome.row: " ".join(outcome.problems) for outcome in summary.invalid}
    first, second = row_index(dataset, "first") + 2, row_index(dataset, "second") + 2
    assert set(problems) == {first, second}
    assert "“abc” is not a number" in problems[first]
    assert "“12.5” is not a whole number" in problems[first]
    assert "Choose one of: paid" in problems[first]
    assert "“six” is not a number" in problems[second]
    assert "No countries with code ZZ." in problems[second]
    assert "decimal" not in response.text and "ConversionSyntax" not in response.text
    assert "Line number" not in response.text
    assert "confirm_form" not in response.context


def test_the_preview_shows_each_change_as_the_stored_value_and_the_files_value(
    adviser_client,  # noqa: F811
    two_programmes,  # noqa: F811
):
    dataset = edit(exported(), "first", title="First, renamed", duration_min_weeks="3")

    response = preview(adviser_client, dataset)

    (changed,) = summarise(response.context["result"]).changed
    assert changed.changes == (
        ("title", "First", "First, renamed"),
        ("duration_min_weeks", "2", "3"),
    )
    assert "<del>First</del> → <ins>First, renamed</ins>" in response.text
    assert "updated_at" not in changed.columns


def test_line_endings_and_trailing_spaces_nobody_changed_write_nothing(
    adviser_client,  # noqa: F811
    two_programmes,  # noqa: F811
):
    first = Programme.objects.get(slug="first")
    first.summary = "A placement.\r\nIn two lines."  # as a browser's textarea sends it
    first.save()
    history = first.history.count()
    dataset = edit(exported(), "first", summary="A placement.  \nIn two lines.\n")

    response = preview(adviser_client, dataset)
    summary = summarise(response.context["result"])
    assert (len(summary.changed), len(summary.unchanged)) == (0, 2)
    adviser_client.post(PROCESS, response.context["confirm_form"].initial)

    first.refresh_from_db()
    assert first.summary == "A placement.\r\nIn two lines."
    assert first.history.count() == history


def test_a_real_text_change_is_stored_with_one_kind_of_line_ending(
    adviser_client,  # noqa: F811
    two_programmes,  # noqa: F811
):
    dataset = edit(exported(), "first", summary="New words.\r\nSecond line.  ")

    response = preview(adviser_client, dataset)
    adviser_client.post(PROCESS, response.context["confirm_form"].initial)

    assert Programme.objects.get(slug="first").summary == "New words.\nSecond line."


def test_an_adviser_may_import_the_clean_rows_and_leave_the_conflicting_ones_listed(
    adviser_client,  # noqa: F811
    two_programmes,  # noqa: F811
):
    old_file = edit(exported(), "first", title="First, from the old file")
    old_file = edit(old_file, "second", title="Second, from the old file")
    first = Programme.objects.get(slug="first")
    first.summary = "Newer work by another adviser."
    first.save()

    refused = preview(adviser_client, old_file)
    assert "confirm_form" not in refused.context
    response = preview(adviser_client, old_file, leave_conflicts="on")

    summary = summarise(response.context["result"])
    assert [(o.row, o.slug) for o in summary.left] == [(row_index(old_file, "first") + 2, "first")]
    assert "Conflicts left as they are" in response.text
    confirmed = adviser_client.post(PROCESS, response.context["confirm_form"].initial, follow=True)

    first.refresh_from_db()
    assert (first.title, first.summary) == ("First", "Newer work by another adviser.")
    assert Programme.objects.get(slug="second").title == "Second, from the old file"
    assert f"row {row_index(old_file, 'first') + 2} (first)" in confirmed.text


def test_an_imported_change_goes_through_the_write_path_and_moves_the_version_once(
    adviser_client,  # noqa: F811
    two_programmes,  # noqa: F811
):
    first = Programme.objects.get(slug="first")
    dataset = edit(exported(), "first", title="First, renamed", countries="")

    response = preview(adviser_client, dataset)
    adviser_client.post(PROCESS, response.context["confirm_form"].initial)

    stored = Programme.objects.get(slug="first")
    assert stored.version == first.version + 1
    assert stored.updated_at > first.updated_at
    assert (stored.title, list(stored.countries.all())) == ("First, renamed", [])
    assert Programme.objects.get(slug="second").version == two_programmes[1].version
