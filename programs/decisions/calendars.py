"""iCalendar files: programme deadlines (the next one only) and a student's plan milestones.

A deadline gives one event: the next expected or confirmed date, never repeated yearly (a yearly
date from the guides' cycle is only *expected*: its summary says so, and next year's is not known),
with reminders two weeks and two days before. UIDs are stable: the same programme, the same plan
and the same list filter give the same event and calendar UIDs on every download, so a calendar
app updates its events instead of duplicating them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from icalendar import Alarm, Calendar, Event

from programs.decisions.deadlines import DeadlineRow, DeadlineStatus
from programs.decisions.planning import Plan
from programs.models import Programme, Source

PRODID = "-//International Medical Internships Directory//Deadlines and plans//EN"
UID_DOMAIN = "medical-internships.directory"
REMINDERS = (timedelta(days=14), timedelta(days=2))


def calendar_uid(kind: str, key: str) -> str:
    """A calendar's own UID (RFC 7986), the same for the same contents' description."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    return f"{kind}-{digest}@{UID_DOMAIN}"


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


def new_calendar(name: str, uid: str) -> Calendar:
    return Calendar.new(prodid=PRODID, name=one_line(name), uid=uid)


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


def reminder(before: timedelta, summary: str) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", one_line(summary))
    alarm.add("trigger", -before)
    return alarm


def deadline_event(programme: Programme, status: DeadlineStatus, url: str) -> Event | None:
    """The programme's next deadline, once; None when it has no date ahead."""
    if status.date is None or not status.in_calendar:
        return None
    marker = "confirmed" if status.confirmed else "expected, not confirmed"
    summary = f"Deadline ({marker}): {programme.title}"
    # The confirmed date says its own source; the guide's words stay under the guide's name.
    quoted = programme.quoted_from
    quoted_words = quoted.in_words() if isinstance(quoted, Source) else f"the guide {quoted}"
    if status.confirmed:
        earlier = f" Stated before as {status.stated} ({quoted_words})." if status.stated else ""
        said = f"Source of this date: {status.source}.{earlier}"
    else:
        stated = f"As stated: {status.stated}. " if status.stated else ""
        said = f"{stated}Source: {quoted_words}."
    event = all_day(
        f"deadline-{programme.slug}",
        status.date,
        summary,
        f"{status.label}. {said} Confirm with the provider.",
        url,
    )
    for before in REMINDERS:
        event.add_component(reminder(before, summary))
    return event


def deadline_events(
    rows: Iterable[DeadlineRow], absolute_url: Callable[[Programme], str]
) -> list[Event]:
    """Each row's next deadline as an event (rows with no date ahead have none)."""
    events = (
        deadline_event(row.programme, row.status, absolute_url(row.programme)) for row in rows
    )
    return [event for event in events if event is not None]


def deadlines_calendar(name: str, events: Iterable[Event], key: str) -> Calendar:
    """`key`: what the calendar holds (e.g. the list's sorted query string), for its UID."""
    cal = new_calendar(name, calendar_uid("deadlines", key))
    for event in events:
        cal.add_component(event)
    return cal


def plan_calendar(
    programme: Programme, status: DeadlineStatus, plan: Plan | None, url: str
) -> Calendar:
    key = f"{programme.slug}|{plan.start.isoformat() if plan else ''}"
    cal = new_calendar(f"{programme.title}: deadline and plan", calendar_uid("programme", key))
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
