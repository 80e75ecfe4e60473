"""iCalendar files: programme deadlines (recurring yearly) and a student's plan milestones.

UIDs are stable: the same programme and the same plan give the same UIDs on every download, so a
calendar app updates its events instead of duplicating them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from icalendar import Calendar, Event

from programs.decisions.deadlines import DeadlineRow, DeadlineStatus
from programs.decisions.planning import Plan
from programs.models import Programme

PRODID = "-//International Medical Internships Directory//Deadlines and plans//EN"
UID_DOMAIN = "medical-internships.directory"


# Control characters (and Unicode line and paragraph separators): iCalendar lines must not carry
# them raw, and icalendar refuses or asserts on some of them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")


def one_line(text: str) -> str:
    """Text for a single-line property (name, summary, uid, url): line breaks become spaces."""
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", text)).strip()


def multi_line(text: str) -> str:
    """Text for DESCRIPTION: newlines kept (icalendar escapes them), other controls dropped."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def new_calendar(name: str) -> Calendar:
    return Calendar.new(prodid=PRODID, name=one_line(name))


def all_day(uid: str, day: date, summary: str, description: str = "", url: str = "") -> Event:
    """Whatever odd text a record holds, the event is built (never a 500, never an injected
    property)."""
    return Event.new(
        uid=f"{one_line(uid)}@{UID_DOMAIN}",
        start=day,
        end=day + timedelta(days=1),
        summary=one_line(summary),
        description=multi_line(description) or None,
        url=one_line(url) or None,
    )


def deadline_event(programme: Programme, status: DeadlineStatus, url: str) -> Event | None:
    """The programme's next yearly deadline, repeating every year; None when it has no date."""
    if status.date is None:
        return None
    about = " (approximate)" if status.approximate else ""
    event = all_day(
        f"deadline-{programme.slug}",
        status.date,
        f"Deadline{about}: {programme.title}",
        f"As the guide states it: “{programme.deadline_note}”. {status.label}. "
        f"Source: {programme.citation}. Confirm with the provider.",
        url,
    )
    event.add("rrule", {"freq": "yearly"})
    return event


def deadlines_calendar(
    name: str, rows: Iterable[DeadlineRow], absolute_url: Callable[[Programme], str]
) -> Calendar:
    cal = new_calendar(name)
    for row in rows:
        event = deadline_event(row.programme, row.status, absolute_url(row.programme))
        if event is not None:
            cal.add_component(event)
    return cal


def plan_calendar(
    programme: Programme, status: DeadlineStatus, plan: Plan | None, url: str
) -> Calendar:
    cal = new_calendar(f"{programme.title}: deadline and plan")
    if plan is None:
        event = deadline_event(programme, status, url)
        if event is not None:
            cal.add_component(event)
        return cal
    for milestone in plan.milestones:
        lines = [milestone.summary, *(f"☐ {item}" for item in milestone.checklist)]
        if milestone.source:
            lines.append(f"Source: {milestone.source}")
        # One plan, one set of UIDs: the start date is part of the plan's identity.
        uid = f"plan-{programme.slug}-{plan.start.isoformat()}-{milestone.key}"
        cal.add_component(
            all_day(uid, milestone.begins, milestone.title, "\n".join(filter(None, lines)), url)
        )
    return cal
