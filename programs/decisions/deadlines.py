"""Where a programme's application deadline stands on a given day.

A deadline with a month recurs every year: the guides give "15 February" or "about mid-February",
never a year. This module is the Python twin of the deadline QuerySet methods on
`ProgrammeQuerySet` (which answer the same question inside the database), and the two are tested
against each other.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from programs.core.wording import NOT_STATED

if TYPE_CHECKING:
    from programs.models import Programme

OPEN = "open"
CLOSED = "closed"
ROLLING = "rolling"
VARIES = "varies"
UNKNOWN = "unknown"

CLOSING_SOON_DAYS = 30


@dataclass(frozen=True)
class DeadlineStatus:
    state: str  # "open" | "closed" | "rolling" | "varies" | "unknown"
    date: date | None  # this cycle's deadline when open, next year's when closed
    days_left: int | None  # for open only
    label: str
    approximate: bool  # the guide gives the date as "about 15 Feb"

    @property
    def closing_soon(self) -> bool:
        return (
            self.state == OPEN
            and self.days_left is not None
            and self.days_left <= CLOSING_SOON_DAYS
        )

    @property
    def tone(self) -> str:
        """The badge modifier a template shows the state with."""
        if self.state == OPEN:
            return "good"
        if self.state == CLOSED:
            return "bad"
        if self.state in (ROLLING, VARIES):
            return "warn"
        return ""


def yearly_date(year: int, month: int, day: int | None) -> date:
    """The deadline in `year`: a missing day is the month's last, and 29 Feb falls back to 28."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, last if day is None else min(day, last))


def _format(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def deadline_status(programme: Programme, today: date) -> DeadlineStatus:
    kind = programme.deadline_kind
    month = programme.deadline_month
    approximate = kind == "approximate"
    if kind in ("fixed", "approximate") and month is not None:
        about = "about " if approximate else ""
        this_year = yearly_date(today.year, month, programme.deadline_day)
        if today <= this_year:
            days = (this_year - today).days
            if days == 0:
                left = "closes today"
            elif days == 1:
                left = "1 day left"
            else:
                left = f"{days} days left"
            label = f"Open · {left} ({about}{_format(this_year)})"
            return DeadlineStatus(OPEN, this_year, days, label, approximate)
        next_year = yearly_date(today.year + 1, month, programme.deadline_day)
        label = f"Closed for {today.year} · next deadline {about}{_format(next_year)}"
        return DeadlineStatus(CLOSED, next_year, None, label, approximate)
    if kind == "rolling":
        weeks = programme.deadline_lead_weeks
        lead = f"{weeks}+ weeks" if weeks else "well"
        return DeadlineStatus(
            ROLLING, None, None, f"Rolling · apply {lead} before your start", False
        )
    if kind in ("varies", "approximate"):
        note = programme.deadline_note.strip() or "by department or year"
        return DeadlineStatus(VARIES, None, None, f"Varies: {note}", approximate)
    return DeadlineStatus(UNKNOWN, None, None, NOT_STATED, False)


@dataclass(frozen=True)
class DeadlineRow:
    """A programme with where its deadline stands today, for lists of deadlines."""

    programme: Programme
    status: DeadlineStatus


def deadline_rows(programmes: Iterable[Programme], today: date) -> list[DeadlineRow]:
    """Each programme with its deadline status; no queries."""
    return [DeadlineRow(programme, deadline_status(programme, today)) for programme in programmes]
