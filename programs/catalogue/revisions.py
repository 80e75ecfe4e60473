"""A programme's versions, read from django-simple-history: its own row, its linked lists (m2m),
and its rules, costs and dated deadlines, as they stood after each save.

One save is one version: the history rows a request writes share a revision id
(programs/models/revisions.py). A version is named by the last history row it wrote ("p12" for
programme row 12, "r7" for rule row 7…), and its state is everything as of that row's time
(simple-history's `as_of` and `latest_of_each`). Comparing and restoring: restoring.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from simple_history.utils import get_m2m_reverse_field_name

from programs.models import Cost, DatedDeadline, EligibilityRule, Programme

# The lists a version carries besides the programme's own fields, by the prefix of their keys.
CHILDREN: dict[str, type[models.Model]] = {
    "r": EligibilityRule,
    "c": Cost,
    "d": DatedDeadline,
}
KINDS: dict[str, type[models.Model]] = {"p": Programme, **CHILDREN}
DELETED = "-"
CREATED = "+"


@dataclass(frozen=True)
class Event:
    """One history row of the programme or of one of its children."""

    kind: str
    history_id: int
    date: datetime
    revision: Any
    user_id: int | None
    type: str
    label: str

    @property
    def key(self) -> str:
        return f"{self.kind}{self.history_id}"


@dataclass(frozen=True)
class Version:
    """What one save wrote: its events, oldest first; `key` names the last one."""

    programme_id: int
    events: tuple[Event, ...]
    user: Any

    @property
    def key(self) -> str:
        return self.events[-1].key

    @property
    def date(self) -> datetime:
        return self.events[-1].date

    @property
    def created(self) -> bool:
        return any(e.kind == "p" and e.type == CREATED for e in self.events)

    @property
    def deleted(self) -> bool:
        return any(e.kind == "p" and e.type == DELETED for e in self.events)


@dataclass
class Child:
    instance: Any
    m2m: dict[str, frozenset[int]]


@dataclass
class State:
    """A programme as it stood (or stands): None when it did not exist."""

    programme: Programme | None
    m2m: dict[str, frozenset[int]]
    children: dict[str, dict[int, Child]]


LABEL_FIELD = {"p": "title", "r": "text", "c": "key", "d": "date"}


def events(programme_id: int) -> list[Event]:
    """Every history row of the programme and its children, oldest first."""
    found: list[Event] = []
    for kind, model in KINDS.items():
        history = model.history.all()  # type: ignore[attr-defined]
        owner = {"id": programme_id} if kind == "p" else {"programme_id": programme_id}
        rows = history.filter(**owner).values(
            "history_id",
            "history_date",
            "revision",
            "history_user_id",
            "history_type",
            LABEL_FIELD[kind],
        )
        found += [
            Event(
                kind,
                row["history_id"],
                row["history_date"],
                row["revision"],
                row["history_user_id"],
                row["history_type"],
                str(row[LABEL_FIELD[kind]]),
            )
            for row in rows
        ]
    return sorted(found, key=lambda e: (e.date, e.kind != "p", e.history_id))


def versions(programme_id: int) -> list[Version]:
    """The programme's versions, oldest first: consecutive rows of one revision are one save."""
    groups: list[list[Event]] = []
    for event in events(programme_id):
        last = groups[-1][-1] if groups else None
        if last is not None and event.revision is not None and event.revision == last.revision:
            groups[-1].append(event)
        else:
            groups.append([event])
    user_ids = {e.user_id for group in groups for e in group if e.user_id is not None}
    users = get_user_model()._default_manager.in_bulk(user_ids)
    return [
        Version(
            programme_id, tuple(group), users.get(next((e.user_id for e in group if e.user_id), 0))
        )
        for group in groups
    ]


def find_version(programme_id: int, key: str) -> Version | None:
    return next((v for v in versions(programme_id) if v.key == key), None)


def _m2m(record: Any) -> dict[str, frozenset[int]]:
    """The linked lists a historical row recorded (HistoricalRecords(m2m_fields=…))."""
    return {
        field.name: frozenset(
            getattr(record, field.name).values_list(
                f"{get_m2m_reverse_field_name(field)}_id", flat=True
            )
        )
        for field in record._history_m2m_fields
    }


def state_at(programme_id: int, when: datetime) -> State:
    """The programme and its children as of `when` (simple-history's as_of, per child list)."""
    record = (
        Programme.history.filter(id=programme_id, history_date__lte=when)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None or record.history_type == DELETED:
        return State(None, {}, {kind: {} for kind in CHILDREN})
    children: dict[str, dict[int, Child]] = {}
    for kind, model in CHILDREN.items():
        rows = (
            model.history.filter(programme_id=programme_id, history_date__lte=when)  # type: ignore[attr-defined]
            .latest_of_each()
            .exclude(history_type=DELETED)
        )
        children[kind] = {row.id: Child(row.instance, _m2m(row)) for row in rows}
    return State(record.instance, _m2m(record), children)


def state_of(version: Version) -> State:
    return state_at(version.programme_id, version.date)


def current_state(programme_id: int) -> State:
    """The programme as it is now, read from its tables (not its history)."""
    programme = Programme.objects.filter(pk=programme_id).first()
    if programme is None:
        return State(None, {}, {kind: {} for kind in CHILDREN})
    children: dict[str, dict[int, Child]] = {}
    for kind, model in CHILDREN.items():
        tracked = tracked_m2m(model)
        children[kind] = {
            row.pk: Child(row, {name: _live_m2m(row, name) for name in tracked})
            for row in model._default_manager.filter(programme_id=programme_id).prefetch_related(
                *tracked
            )
        }
    m2m = {name: _live_m2m(programme, name) for name in tracked_m2m(Programme)}
    return State(programme, m2m, children)


def tracked_m2m(model: type[models.Model]) -> list[str]:
    return [field.name for field in model.history.model._history_m2m_fields]  # type: ignore[attr-defined]


def _live_m2m(row: models.Model, name: str) -> frozenset[int]:
    return frozenset(related.pk for related in getattr(row, name).all())


def state_before_deletion(programme_id: int) -> State:
    """A deleted programme exactly as it stood when it was deleted: everything before the save
    that deleted it. That save removed its rows too, each with a deletion row of its own in the
    same revision; a rule or cost removed by an earlier save stays removed."""
    kept = events(programme_id)
    deletion = next((e for e in reversed(kept) if e.kind == "p" and e.type == DELETED), None)
    if deletion is None:
        return State(None, {}, {kind: {} for kind in CHILDREN})
    # A deletion outside any request or one_revision() block has no revision: its rows' own
    # deletions, just before it, have none either.
    while kept and kept[-1].type == DELETED and kept[-1].revision == deletion.revision:
        kept.pop()
    if not kept:
        return State(None, {}, {kind: {} for kind in CHILDREN})
    return state_at(programme_id, kept[-1].date)


def seen(programme_id: int) -> str:
    """What a preview was built on: the version (while the programme exists) and the newest
    history row, so a write made since through any path, the write path or not, shows."""
    version = Programme.objects.filter(pk=programme_id).values_list("version", flat=True).first()
    newest = versions(programme_id)
    return f"{version or ''}:{newest[-1].key if newest else ''}"


@dataclass(frozen=True)
class DeletedProgramme:
    id: int
    title: str
    slug: str
    deleted_at: datetime
    deleted_by: Any


def deleted_programmes() -> list[DeletedProgramme]:
    """Programmes deleted and not restored since, most recently deleted first."""
    rows = (
        Programme.history.filter(history_type=DELETED)
        .exclude(id__in=Programme.objects.values("id"))
        .latest_of_each()
        .select_related("history_user")
        .order_by("-history_date")
    )
    return [
        DeletedProgramme(row.id, row.title, row.slug, row.history_date, row.history_user)
        for row in rows
    ]


CHILD_NAMES = {"r": "rule", "c": "cost", "d": "dated deadline"}
SUMMARY_LINES = 6
HAPPENED = {CREATED: "added", "~": "changed", DELETED: "removed"}


def summary(version: Version) -> list[str]:
    """What a save changed, in a few words per history row (simple-history's diff_against for the
    programme's own fields and lists)."""
    lines: list[str] = []
    for event in version.events:
        if event.kind != "p":
            lines.append(f"{CHILD_NAMES[event.kind]} {HAPPENED[event.type]}: {event.label}")
        elif event.type == CREATED:
            lines.append("created")
        elif event.type == DELETED:
            lines.append("deleted")
        else:
            lines.append(_changed_fields(event.history_id))
    lines = [line for line in dict.fromkeys(lines) if line]
    if len(lines) > SUMMARY_LINES:
        lines[SUMMARY_LINES - 1 :] = [f"and {len(lines) - SUMMARY_LINES + 1} more changes"]
    return lines


def _changed_fields(history_id: int) -> str:
    record = Programme.history.get(history_id=history_id)
    previous = record.prev_record
    if previous is None:
        return ""
    delta = record.diff_against(previous, excluded_fields=["search_text"])
    fields = {f.name: f for f in Programme._meta.get_fields() if isinstance(f, models.Field)}
    labels = [str(fields[name].verbose_name) for name in delta.changed_fields if name in fields]
    return f"changed {', '.join(labels)}" if labels else ""
