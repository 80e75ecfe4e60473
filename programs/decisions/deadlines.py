"""Where a programme's application deadline stands on a given day.

A deadline is held as its source states it (docs/decisions.md):

- day and month ("February 21"), an approximate day ("Mid-February (approx. Feb 15)"), a month only
  ("February (typically February 1–28)"), a season ("early spring"), rolling with a lead time,
  varies, or unknown; the guides give one cycle and no year;
- plus dated deadlines for a given cycle that an adviser recorded with their source: *confirmed*.

The state comes from the next occurrence: upcoming (N days), closing soon (≤ 30 days), passed (only
when a confirmed dated deadline has passed and no later one is known), rolling, varies, unknown.
A yearly date carried over from the guide's cycle is *expected and unconfirmed*, never closed; a
month-only deadline plans for the first day of the month (the earliest the source allows).

This module is the Python twin of the deadline QuerySet methods on `ProgrammeQuerySet`
(`deadline_q`), and the two are tested against each other.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from programs.core.wording import NOT_STATED
from programs.models.finding import CLOSING_SOON_DAYS

if TYPE_CHECKING:
    from programs.models import Programme

UPCOMING = "upcoming"
CLOSING_SOON = "closing_soon"
PASSED = "passed"
ROLLING = "rolling"
VARIES = "varies"
UNKNOWN = "unknown"
STATES = (UPCOMING, CLOSING_SOON, PASSED, ROLLING, VARIES, UNKNOWN)


# How the source states a dated deadline.
DAY_AND_MONTH = "day_and_month"
APPROXIMATE_DAY = "approximate_day"
MONTH_ONLY = "month_only"
SEASON = "season"


class Confirmed(Protocol):
    """A dated deadline for one cycle recorded with its source (models.DatedDeadline)."""

    date: date

    @property
    def source(self): ...


@dataclass(frozen=True)
class DeadlineStatus:
    state: str  # one of STATES
    date: date | None  # the next deadline (confirmed or expected), or the passed confirmed one
    days_left: int | None  # for upcoming and closing soon
    label: str  # the full sentence
    short: str  # for a badge
    confirmed: bool = False  # `date` is a dated deadline an adviser recorded with its source
    stated: str = ""  # how the source states it: "21 February", "“Mid-February (approx. Feb 15)”"
    form: str = ""  # DAY_AND_MONTH, APPROXIMATE_DAY, MONTH_ONLY, SEASON or ""
    source: str = ""  # the confirmed date's source, in words

    @property
    def expected(self) -> bool:
        """A date projected from an earlier cycle: expected, not confirmed."""
        return self.date is not None and not self.confirmed and self.state != PASSED

    @property
    def in_calendar(self) -> bool:
        """A dated deadline ahead, confirmed or expected: something a calendar file can hold.
        Rolling, varying, season-only and unknown deadlines, and a passed one, have none."""
        return self.date is not None and self.state != PASSED

    @property
    def closing_soon(self) -> bool:
        return self.state == CLOSING_SOON

    @property
    def approximate(self) -> bool:
        return self.form in (APPROXIMATE_DAY, MONTH_ONLY, SEASON)

    @property
    def tone(self) -> str:
        """The badge modifier: red only for a confirmed deadline that has passed."""
        if self.state == PASSED:
            return "bad"
        if self.state == CLOSING_SOON:
            return "warn"
        if self.state == UPCOMING and self.confirmed:
            return "good"
        return ""


def yearly_date(year: int, month: int, day: int | None) -> date:
    """The stated date in `year`: a missing day is the month's first (the earliest the source
    allows), and 29 February falls back to 28."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, 1 if day is None else min(day, last))


def stated_form(programme: Programme) -> str:
    kind, month = programme.deadline_kind, programme.deadline_month
    if kind == "fixed" and month is not None:
        return DAY_AND_MONTH
    if kind == "approximate" and month is not None:
        return APPROXIMATE_DAY if programme.deadline_day else MONTH_ONLY
    if kind == "approximate":
        return SEASON
    return ""


def next_expected(programme: Programme, today: date) -> date | None:
    """The next occurrence of the stated yearly date on or after today; a month-only deadline
    counts as this year's for the whole of its month (its first day may have gone, the month not)."""
    form = stated_form(programme)
    if form not in (DAY_AND_MONTH, APPROXIMATE_DAY, MONTH_ONLY):
        return None
    month, day = programme.deadline_month, programme.deadline_day
    if month is None:
        return None
    this_year = yearly_date(today.year, month, day)
    if this_year >= today or (form == MONTH_ONLY and today.month == month):
        return this_year
    return yearly_date(today.year + 1, month, day)


def gone_this_year(programme: Programme, today: date) -> bool:
    """This calendar year's stated date has gone (the review queue's "past its deadline": the
    next cycle's date wants checking); the Python twin of `deadline_q("closed")`. Never a
    student-facing state: for students the date is *expected* again next year."""
    expected = next_expected(programme, today)
    return expected is not None and expected.year > today.year


def _short_date(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def _days(days: int) -> str:
    if days <= 0:
        return "due today"
    return "1 day left" if days == 1 else f"{days} days left"


def _state_for(days: int) -> str:
    return CLOSING_SOON if days <= CLOSING_SOON_DAYS else UPCOMING


def _stated(programme: Programme, form: str) -> str:
    month = programme.deadline_month
    if form == DAY_AND_MONTH and month is not None:
        return f"{programme.deadline_day} {calendar.month_name[month]}"
    return f"“{programme.deadline_note}”" if programme.deadline_note else ""


def deadline_status(
    programme: Programme, today: date, confirmed: Iterable[Confirmed] | None = None
) -> DeadlineStatus:
    """The deadline's state on `today`. `confirmed`: the programme's dated deadlines, any order;
    by default `programme.dated_deadlines` (prefetch it: `ProgrammeQuerySet.with_deadlines()`)."""
    if confirmed is None:
        confirmed = programme.dated_deadlines.all()
    form = stated_form(programme)
    stated = _stated(programme, form)
    dated = sorted(confirmed, key=lambda c: c.date)
    ahead = [c for c in dated if c.date >= today]
    if ahead:
        nxt = ahead[0]
        days = (nxt.date - today).days
        return DeadlineStatus(
            _state_for(days),
            nxt.date,
            days,
            f"{_short_date(nxt.date)} ({_days(days)}); confirmed, {nxt.source.in_words()}",
            f"{_short_date(nxt.date)} · {_days(days)} · confirmed",
            confirmed=True,
            stated=stated,
            form=form,
            source=nxt.source.in_words(),
        )
    if dated:
        last = dated[-1]
        expected = next_expected(programme, today)
        later = ""
        if expected is not None and expected > last.date:
            later = f" Next cycle not confirmed: expected around {_short_date(expected)}."
        elif stated:
            later = f" Last stated as {stated}; the next date is not known yet."
        return DeadlineStatus(
            PASSED,
            last.date,
            None,
            f"Passed on {_short_date(last.date)} (confirmed, {last.source.in_words()}).{later}",
            f"Passed {_short_date(last.date)}",
            confirmed=True,
            stated=stated,
            form=form,
            source=last.source.in_words(),
        )
    expected = next_expected(programme, today)
    if expected is not None:
        days = max((expected - today).days, 0)
        if form == MONTH_ONLY:
            month = calendar.month_name[expected.month]
            plan = (
                f"plan for 1 {month} ({_days(days)})"
                if expected >= today
                else f"1 {month} has gone, so apply now"
            )
            label = (
                f"{month} {expected.year}, day not stated: {plan}; "
                f"last stated as {stated}; confirm the {expected.year} date"
            )
            when = f"plan for 1 {expected:%b} · {_days(days)}" if expected >= today else "apply now"
            short = f"Expected {expected:%B %Y} · {when}"
        else:
            label = (
                f"Expected around {_short_date(expected)} ({_days(days)}); last stated as "
                f"{stated}; confirm the {expected.year} date"
            )
            short = f"Expected ~{_short_date(expected)} · {_days(days)}"
        return DeadlineStatus(
            _state_for(days), expected, days, label, short, stated=stated, form=form
        )
    kind = programme.deadline_kind
    if kind == "rolling":
        weeks = programme.deadline_lead_weeks
        lead = f"{weeks}+ weeks" if weeks else "well"
        text = f"Rolling · apply {lead} before your start"
        return DeadlineStatus(ROLLING, None, None, text, text)
    if form == SEASON:
        text = f"Season only, no date stated: {stated}"
        return DeadlineStatus(VARIES, None, None, text, "Season only", stated=stated, form=form)
    if kind == "varies":
        note = programme.deadline_note.strip() or "by department or year"
        return DeadlineStatus(VARIES, None, None, f"Varies: {note}", "Varies", stated=stated)
    return DeadlineStatus(UNKNOWN, None, None, NOT_STATED, NOT_STATED)


@dataclass(frozen=True)
class DeadlineRow:
    """A programme with where its deadline stands today, for lists of deadlines."""

    programme: Programme
    status: DeadlineStatus


def deadline_rows(programmes: Iterable[Programme], today: date) -> list[DeadlineRow]:
    """Each programme with its deadline status; no queries."""
    return [DeadlineRow(programme, deadline_status(programme, today)) for programme in programmes]
