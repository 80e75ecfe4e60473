"""What changed in the directory between two moments, per programme, read from its history
(django-simple-history keeps every version of programmes, costs and dated deadlines).

Three kinds of change reach students: a programme newly listed (published), a changed deadline
(the guide's stated deadline on the programme, or a confirmed dated deadline added, moved or
removed) and a changed cost (added, changed or removed). Each change is one step between two
stored versions, with the time of the newer one, so any window (a feed's, a daily or a weekly
digest's) takes the steps whose time falls inside it.

A fixed number of queries whatever the window: each history table is read twice (the versions
inside the window, and for the records they touch, the last version before it).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Max, Model, QuerySet

from programs.core.wording import NOT_STATED
from programs.models import Cost, DatedDeadline, Programme
from programs.models.money import CostKind, Period, format_figures

NEW = "new"
DEADLINE = "deadline"
COST = "cost"
KINDS = {NEW: "New", DEADLINE: "Deadline", COST: "Cost"}

DEADLINE_FIELDS = (
    "deadline_kind",
    "deadline_month",
    "deadline_day",
    "deadline_lead_weeks",
    "deadline_note",
)
COST_FIELDS = (
    "kind",
    "amount_min",
    "amount_max",
    "open_ended",
    "approximate",
    "currency",
    "period",
)


@dataclass(frozen=True)
class Change:
    programme_id: int
    at: datetime
    kind: str  # NEW, DEADLINE or COST
    text: str  # what changed, in words: "Programme fee: now €500 per week (was €400 per week)"

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def _long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def stated_deadline(row: Any) -> str:
    """A version's deadline as its source states it (no year: the guides give one cycle)."""
    kind, month, day, note = (
        row.deadline_kind,
        row.deadline_month,
        row.deadline_day,
        row.deadline_note.strip(),
    )
    if kind == Programme.DeadlineKind.FIXED and month:
        return f"{day} {calendar.month_name[month]}" if day else calendar.month_name[month]
    if kind == Programme.DeadlineKind.APPROXIMATE:
        if note:
            return f"“{note}”"
        return f"around {calendar.month_name[month]}" if month else "approximate"
    if kind == Programme.DeadlineKind.ROLLING:
        weeks = row.deadline_lead_weeks
        return f"rolling (apply {weeks}+ weeks ahead)" if weeks else "rolling"
    if kind == Programme.DeadlineKind.VARIES:
        return f"varies ({note})" if note else "varies"
    return NOT_STATED


def cost_in_words(row: Any) -> str:
    figures = (
        format_figures(
            row.amount_min,
            row.amount_max,
            row.currency,
            open_ended=row.open_ended,
            approximate=row.approximate,
        )
        if row.amount_min is not None
        else NOT_STATED
    )
    period = "" if row.period == Period.ONE_OFF else f" {Period(row.period).label}"
    return f"{CostKind(row.kind).label}: {figures}{period}"


def _versions(
    model: type[Model], key: str, since: datetime, until: datetime, programmes: Any
) -> tuple[list[Any], dict[int, Any]]:
    """The history rows of `model` inside (since, until] for these programmes, oldest first, and
    for each record they touch its last row before the window."""
    history: QuerySet[Any] = model.history.model._default_manager.all()  # type: ignore[attr-defined]
    inside = history.filter(history_date__gt=since, history_date__lte=until)
    if programmes is not None:
        inside = inside.filter(**{f"{key}__in": programmes})
    rows = list(inside.order_by("history_date", "history_id"))
    touched = {row.id for row in rows}
    last_before = (
        history.filter(id__in=touched, history_date__lte=since)
        .values("id")
        .annotate(last=Max("history_id"))
        .values("last")
    )
    before = {row.id: row for row in history.filter(history_id__in=last_before)} if touched else {}
    return rows, before


def _steps(rows: list[Any], before: dict[int, Any]) -> Iterator[tuple[Any | None, Any]]:
    """Each row with the version it replaced (None for the first), per record."""
    previous = dict(before)
    for row in rows:
        yield previous.get(row.id), row
        previous[row.id] = row


def _listed(row: Any | None) -> bool:
    return row is not None and row.history_type != "-" and row.status == Programme.Status.PUBLISHED


def _programme_changes(old: Any | None, new: Any) -> Iterator[Change]:
    if _listed(new) and not _listed(old):
        yield Change(new.id, new.history_date, NEW, "Now listed in the directory")
        return
    if old is None or new.history_type == "-":
        return
    if any(getattr(old, name) != getattr(new, name) for name in DEADLINE_FIELDS):
        was, now = stated_deadline(old), stated_deadline(new)
        if was != now:
            text = f"Deadline as stated: now {now} (was {was})"
            yield Change(new.id, new.history_date, DEADLINE, text)


def _cost_changes(old: Any | None, new: Any) -> Iterator[Change]:
    pid = new.programme_id
    if new.history_type == "-":
        if old is not None:
            yield Change(pid, new.history_date, COST, f"Removed: {cost_in_words(old)}")
    elif old is None or old.history_type == "-":
        yield Change(pid, new.history_date, COST, f"Added: {cost_in_words(new)}")
    elif any(getattr(old, name) != getattr(new, name) for name in COST_FIELDS):
        text = f"{cost_in_words(new)} (was {cost_in_words(old).split(': ', 1)[1]})"
        yield Change(pid, new.history_date, COST, text)


def _dated_changes(old: Any | None, new: Any) -> Iterator[Change]:
    pid = new.programme_id
    if new.history_type == "-":
        if old is not None:
            text = f"Confirmed deadline removed: {_long_date(old.date)}"
            yield Change(pid, new.history_date, DEADLINE, text)
    elif old is None or old.history_type == "-":
        text = f"Confirmed deadline: {_long_date(new.date)} ({new.cycle} cycle)"
        yield Change(pid, new.history_date, DEADLINE, text)
    elif old.date != new.date:
        text = f"Confirmed deadline moved: now {_long_date(new.date)} (was {_long_date(old.date)})"
        yield Change(pid, new.history_date, DEADLINE, text)


def changes_between(
    since: datetime, until: datetime, programmes: QuerySet[Any] | list[int] | None = None
) -> dict[int, list[Change]]:
    """Every change in (since, until], newest first, by programme id; `programmes` (ids, or a
    QuerySet of ids used as a subquery) narrows it, None means every programme."""
    found: dict[int, list[Change]] = defaultdict(list)
    for model, key, describe in (
        (Programme, "id", _programme_changes),
        (Cost, "programme_id", _cost_changes),
        (DatedDeadline, "programme_id", _dated_changes),
    ):
        rows, before = _versions(model, key, since, until, programmes)
        for old, new in _steps(rows, before):
            for change in describe(old, new):
                found[change.programme_id].append(change)
    for changes in found.values():
        changes.sort(key=lambda change: change.at, reverse=True)
    return dict(found)


def within(changes: list[Change], since: datetime, until: datetime) -> list[Change]:
    return [change for change in changes if since < change.at <= until]
