"""What an admin import will do, row by row, in the spreadsheet's own row numbers.

django-import-export numbers data rows from 1; a spreadsheet shows the header on row 1 and the
first data row on row 2, so every number here is the spreadsheet's. The summary groups rows into
new, changed (with the columns that change), unchanged, conflicts (the record changed after the
file was exported) and other problems, every one of them at once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS

# The column that says which version of the record a row was exported from.
VERSION_COLUMN = "updated_at"
HEADER_ROWS = 1


def spreadsheet_row(number: int) -> int:
    """django-import-export's 1-based data row number → the row a spreadsheet shows."""
    return number + HEADER_ROWS


@dataclass(frozen=True)
class RowOutcome:
    row: int
    slug: str
    columns: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass
class ImportSummary:
    new: list[RowOutcome] = field(default_factory=list)
    changed: list[RowOutcome] = field(default_factory=list)
    unchanged: list[RowOutcome] = field(default_factory=list)
    conflicts: list[RowOutcome] = field(default_factory=list)
    invalid: list[RowOutcome] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        return bool(self.conflicts or self.invalid)


def _changed_columns(headers: list[str], diff: list[str] | None, new: bool) -> tuple[str, ...]:
    if not diff:
        return ()
    return tuple(
        header
        for header, cell in zip(headers, diff, strict=False)
        if "<ins" in cell or "<del" in cell
        if not new or "<ins" in cell
    )


def _problems(error_dict: dict[str, list[str]]) -> tuple[str, ...]:
    return tuple(
        message if name == NON_FIELD_ERRORS else f"{name}: {message}"
        for name, messages in error_dict.items()
        for message in messages
    )


def summarise(result) -> ImportSummary:
    """Group an import `Result` (dry run or not) into what will happen to each row."""
    summary = ImportSummary()
    headers = list(result.diff_headers)
    for invalid in result.invalid_rows:
        outcome = RowOutcome(
            row=spreadsheet_row(invalid.number),
            slug=str(invalid.values[0] if invalid.values else ""),
            problems=_problems(invalid.error_dict),
        )
        is_conflict = VERSION_COLUMN in invalid.error_dict
        (summary.conflicts if is_conflict else summary.invalid).append(outcome)
    for number, errors in result.row_errors():
        summary.invalid.append(
            RowOutcome(
                row=spreadsheet_row(number),
                slug=str((errors[0].row or {}).get("slug", "")) if errors else "",
                problems=tuple(str(error.error) for error in errors),
            )
        )
    for index, row_result in enumerate(result.rows):
        number = spreadsheet_row(index + 1)
        slug = str(getattr(row_result, "object_repr", "") or "")
        match row_result.import_type:
            case "new":
                columns = _changed_columns(headers, row_result.diff, new=True)
                summary.new.append(RowOutcome(number, slug, columns))
            case "update":
                columns = _changed_columns(headers, row_result.diff, new=False)
                summary.changed.append(RowOutcome(number, slug, columns))
            case "skip":
                summary.unchanged.append(RowOutcome(number, slug))
    return summary
