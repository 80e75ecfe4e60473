"""A backward plan from a student's intended start date.

The 2026 guide's timeline (shortlist 6–12 months before, apply 4–6 months before, prepare 2–4
months before) comes from the TimelineStage records with their checklists; the programme adds its
own deadline (the last one before the start) or, for rolling admissions, its lead time.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from programs.decisions.deadlines import yearly_date
from programs.models import GuideItem, Programme, TimelineStage

TIMELINE = "timeline"


def months_before(start: date, months: int) -> date:
    """The same day `months` earlier, kept inside shorter months (31 May - 3 months = 28/29 Feb)."""
    index = start.year * 12 + start.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass
class Milestone:
    key: str  # stable within a plan, used in calendar UIDs
    title: str
    begins: date
    ends: date | None = None  # a window's last day; None for a single date
    summary: str = ""
    checklist: list[str] = field(default_factory=list)
    source: str = ""
    late: bool = False  # its window has already begun (or its date has passed)

    @property
    def is_window(self) -> bool:
        return self.ends is not None and self.ends != self.begins


@dataclass
class Plan:
    start: date
    milestones: list[Milestone]
    notes: list[str]


def deadline_for_start(programme: Programme, start: date) -> date | None:
    """The programme's application date for a placement starting on `start`: the last confirmed
    date before it, else the stated yearly date's last occurrence before it (a month-only
    deadline on the month's first day), else the rolling lead time."""
    confirmed = [d.date for d in programme.dated_deadlines.all() if d.date < start]
    if confirmed:
        return max(confirmed)
    kind = programme.deadline_kind
    if kind in ("fixed", "approximate") and programme.deadline_month is not None:
        deadline = yearly_date(start.year, programme.deadline_month, programme.deadline_day)
        if deadline >= start:
            deadline = yearly_date(start.year - 1, programme.deadline_month, programme.deadline_day)
        return deadline
    if kind == "rolling" and programme.deadline_lead_weeks:
        return start - timedelta(weeks=programme.deadline_lead_weeks)
    return None


@dataclass(frozen=True)
class Stage:
    """A timeline stage with its checklist: the titles of the timeline topic's items for it."""

    stage: TimelineStage
    checklist: tuple[str, ...] = ()


def timeline() -> list[Stage]:
    """The stages with their checklists, in two queries."""
    stages = list(TimelineStage.objects.select_related("source_guide"))
    items = list(
        GuideItem.objects.filter(topic__slug=TIMELINE, stage__isnull=False).order_by(
            "position", "pk"
        )
    )
    return [
        Stage(stage, tuple(item.title for item in items if item.stage_id == stage.pk))
        for stage in stages
    ]


def plan(
    start: date, today: date, stages: Iterable[Stage], programme: Programme | None = None
) -> Plan:
    milestones: list[Milestone] = []
    notes: list[str] = []
    for staged in stages:
        stage = staged.stage
        low, high = stage.months_before_min, stage.months_before_max
        if low is None and high is None:
            continue
        far = high or low or 0
        near = low if low is not None else far
        begins, ends = months_before(start, far), months_before(start, near)
        milestones.append(
            Milestone(
                key=f"stage-{stage.slug}",
                title=f"{stage.name} ({_window(stage)})",
                begins=begins,
                ends=ends - timedelta(days=1) if ends > begins else ends,
                summary=stage.summary,
                checklist=list(staged.checklist),
                source=stage.citation,
                late=begins < today,
            )
        )
    if programme is not None:
        deadline = deadline_for_start(programme, start)
        if deadline is not None:
            _after_the_deadline(milestones, deadline, notes)
            about = "about this date" if programme.deadline_kind == "approximate" else "this date"
            if programme.deadline_kind == "approximate" and programme.deadline_day is None:
                about = f"day not stated: plan for 1 {deadline:%B}"
            confirmed = any(d.date == deadline for d in programme.dated_deadlines.all())
            if programme.deadline_kind == "rolling" and not confirmed:
                title = (
                    f"Apply to {programme.title} "
                    f"({programme.deadline_lead_weeks}+ weeks before start)"
                )
            elif confirmed:
                title = f"Application deadline: {programme.title}"
            else:
                # Projected from the guide's yearly date: expected, in the plan and its calendar.
                title = f"Application deadline (expected, not confirmed): {programme.title}"
            milestones.append(
                Milestone(
                    key=f"deadline-{programme.slug}",
                    title=title,
                    begins=deadline,
                    summary=f"As the guide states it: “{programme.deadline_note}” ({about}).",
                    source=programme.citation,
                    late=deadline < today,
                )
            )
            if deadline < today:
                notes.append(
                    f"The deadline for a start on {_day(start)} was {_day(deadline)}, "
                    "which has passed: choose a later start date."
                )
        else:
            notes.append(
                f"{programme.title}: the deadline is not a fixed date "
                f"({programme.get_deadline_kind_display().lower()}), so check it with the provider."
            )
        milestones.append(
            Milestone(
                key=f"start-{programme.slug}",
                title=f"Placement starts: {programme.title}",
                begins=start,
                source=programme.citation,
            )
        )
    if any(m.late and m.key.startswith("stage-") for m in milestones):
        notes.append(
            "Some stages should already have begun for this start date: start them now, or "
            "consider a later start."
        )
    milestones.sort(key=lambda m: (m.begins, m.key))
    return Plan(start, milestones, notes)


# The guide's preparation stage begins "after receiving an offer": never before the deadline.
AFTER_AN_OFFER = "stage-preparation"


def _after_the_deadline(milestones: list[Milestone], deadline: date, notes: list[str]) -> None:
    for milestone in milestones:
        if milestone.key == AFTER_AN_OFFER and milestone.begins <= deadline:
            milestone.begins = deadline + timedelta(days=1)
            if milestone.ends is not None and milestone.ends < milestone.begins:
                milestone.ends = milestone.begins
            notes.append(
                "Preparation starts once you have an offer, so this plan begins it after the "
                f"application deadline ({_day(deadline)})."
            )


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _window(stage: TimelineStage) -> str:
    low, high = stage.months_before_min, stage.months_before_max
    if low is not None and high is not None and low != high:
        return f"{low}–{high} months before"
    return f"{low if low is not None else high} months before"
