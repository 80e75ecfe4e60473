"""iCalendar files: programme deadlines (recurring yearly) and a student's plan milestones.

UIDs are stable: the same programme and the same plan give the same UIDs on every download, so a
calendar app updates its events instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta

from icalendar import Calendar, Event

from programs.decisions.deadlines import DeadlineRow, DeadlineStatus
from programs.decisions.planning import Plan
from programs.models import Programme

PRODID = "-//International Medical Internships Directory//Deadlines and plans//EN"
UID_DOMAIN = "medical-internships.directory"


def new_calendar(name: str) -> Calendar:
    return Calendar.new(prodid=PRODID, name=name)


def all_day(uid: str, day: date, summary: str, description: str = "", url: str = "") -> Event:
    return Event.new(
        uid=f"{uid}@{UID_DOMAIN}",
        start=day,
        end=day + timedelta(days=1),
        summary=summary,
        description=description or None,
        url=url or None,
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
