"""What an admin import will do, row by row, in the spreadsheet's own row numbers.

django-import-export numbers data rows from 1; a spreadsheet shows the header on row 1 and the
first data row on row 2, so every number here is the spreadsheet's. The summary groups rows into
new, changed (with each changed column's stored value and the file's value), unchanged, conflicts
(the record changed after the file was exported: refused, or left as they are when the adviser
chose to import the other rows) and other problems, every one of them at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields

from django.core.exceptions import NON_FIELD_ERRORS

# The column that says which version of the record a row was exported from.
VERSION_COLUMN = "updated_at"
HEADER_ROWS = 1
# What the programme resource notes on a row's result (admin/transfer.py): the changes it makes,
# as (column, stored value, file's value), and why a conflicting row was left as it is.
CHANGES = "changes"
LEFT_CONFLICT = "left_conflict"
ROW_SLUG = "row_slug"  # the row's own slug (the library's object_repr is the title)


def spreadsheet_row(number: int) -> int:
    """django-import-export's 1-based data row number → the row a spreadsheet shows."""
    return number + HEADER_ROWS


@dataclass(frozen=True)
class RowOutcome:
    row: int
    slug: str
    columns: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    changes: tuple[tuple[str, str, str], ...] = ()


@dataclass
class ImportSummary:
    new: list[RowOutcome] = field(default_factory=list)
    changed: list[RowOutcome] = field(default_factory=list)
    unchanged: list[RowOutcome] = field(default_factory=list)
    conflicts: list[RowOutcome] = field(default_factory=list)
    invalid: list[RowOutcome] = field(default_factory=list)
    left: list[RowOutcome] = field(default_factory=list)  # conflicts left as they are

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
        if header != VERSION_COLUMN
    )


def _problems(error_dict: dict[str, list[str]]) -> tuple[str, ...]:
    return tuple(
        message if name == NON_FIELD_ERRORS else f"{name}: {message}"
        for name, messages in error_dict.items()
        for message in messages
    )


def summarise(result, rows_before: int = 0) -> ImportSummary:
    """Group an import `Result` (dry run or not) into what will happen to each row. A result for
    part of a file gives `rows_before`, the file's data rows ahead of that part."""
    summary = ImportSummary()
    headers = list(result.diff_headers)
    for invalid in result.invalid_rows:
        outcome = RowOutcome(
            row=spreadsheet_row(rows_before + invalid.number),
            slug=str(invalid.values[0] if invalid.values else ""),
            problems=_problems(invalid.error_dict),
        )
        is_conflict = VERSION_COLUMN in invalid.error_dict
        (summary.conflicts if is_conflict else summary.invalid).append(outcome)
    for number, errors in result.row_errors():
        summary.invalid.append(
            RowOutcome(
                row=spreadsheet_row(rows_before + number),
                slug=str((errors[0].row or {}).get("slug", "")) if errors else "",
                problems=tuple(str(error.error) for error in errors),
            )
        )
    for index, row_result in enumerate(result.rows):
        number = spreadsheet_row(rows_before + index + 1)
        slug = str(
            getattr(row_result, ROW_SLUG, "") or getattr(row_result, "object_repr", "") or ""
        )
        match row_result.import_type:
            case "new":
                columns = _changed_columns(headers, row_result.diff, new=True)
                summary.new.append(RowOutcome(number, slug, columns))
            case "update":
                changes = tuple(tuple(change) for change in getattr(row_result, CHANGES, ()))
                columns = tuple(change[0] for change in changes) or _changed_columns(
                    headers, row_result.diff, new=False
                )
                summary.changed.append(RowOutcome(number, slug, columns, changes=changes))
            case "skip" if getattr(row_result, LEFT_CONFLICT, ""):
                reason = getattr(row_result, LEFT_CONFLICT)
                summary.left.append(RowOutcome(number, slug, problems=(reason,)))
            case "skip":
                summary.unchanged.append(RowOutcome(number, slug))
    return summary


# What a stored summary (a background import's) keeps of each group: every count, and the rows
# listed up to this many, so 10,000 new rows do not make a page of 10,000 lines.
LISTED_ROWS = 500
GROUPS = tuple(f.name for f in fields(ImportSummary))


def combine(parts: list[ImportSummary]) -> ImportSummary:
    """The summaries of a file's consecutive parts as one."""
    whole = ImportSummary()
    for part in parts:
        for group in GROUPS:
            getattr(whole, group).extend(getattr(part, group))
    return whole


def summary_record(summary: ImportSummary, listed: int = LISTED_ROWS) -> dict:
    """A JSON-ready record of a summary: each group's count and its first `listed` rows."""
    return {
        group: {
            "count": len(getattr(summary, group)),
            "rows": [asdict(outcome) for outcome in getattr(summary, group)[:listed]],
        }
        for group in GROUPS
    }


@dataclass(frozen=True)
class StoredGroup:
    count: int
    rows: tuple[RowOutcome, ...]

    @property
    def unlisted(self) -> int:
        return self.count - len(self.rows)


@dataclass(frozen=True)
class StoredSummary:
    """A summary read back from `summary_record`, for the progress page."""

    new: StoredGroup
    changed: StoredGroup
    unchanged: StoredGroup
    conflicts: StoredGroup
    invalid: StoredGroup
    left: StoredGroup

    @property
    def refused(self) -> bool:
        return bool(self.conflicts.count or self.invalid.count)

    @classmethod
    def from_record(cls, record: dict) -> StoredSummary:
        def group(name: str) -> StoredGroup:
            stored = record.get(name) or {}
            rows = tuple(
                RowOutcome(
                    row=row["row"],
                    slug=row["slug"],
                    columns=tuple(row.get("columns", ())),
                    problems=tuple(row.get("problems", ())),
                    changes=tuple(tuple(change) for change in row.get("changes", ())),
                )
                for row in stored.get("rows", ())
            )
            return StoredGroup(count=stored.get("count", len(rows)), rows=rows)

        return cls(**{name: group(name) for name in GROUPS})
