"""Comparing two states of a programme (revisions.py) and restoring one, rules and costs included.

Restoring changes status only when the adviser asks for it: a restored version that was published
does not re-publish an archived or draft programme, and a recovered (deleted) programme comes back
as a draft. What already matches is not written, so restoring the current version writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models

from programs.models import Programme

from . import writing
from .revisions import CHILDREN, Child, State, current_state, seen, tracked_m2m

CHILD_TITLES = {"r": "Eligibility rules", "c": "Costs", "d": "Dated deadlines"}
# Not facts of the programme: kept as they are now whatever the version held.
PROGRAMME_KEPT = {"id", "search_text", "created_at", "updated_at", "status", "version"}
CHILD_KEPT = {"id", "programme", "recorded_at", "recorded_by"}
EMPTY = "—"


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class ChildChange:
    what: str  # "Added", "Removed" or "Changed"
    label: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """What differs from state `a` to state `b`, in words an adviser reads."""

    fields: tuple[FieldChange, ...]
    status: FieldChange | None
    children: dict[str, tuple[ChildChange, ...]]

    @property
    def is_empty(self) -> bool:
        return not self.fields and self.status is None and not any(self.children.values())


def _shown(model_field: models.Field, value: Any) -> str:
    if value is None or value == "":
        return EMPTY
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "Yes" if value else "No"
    if isinstance(model_field, models.ForeignKey):
        related = model_field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value} (since deleted)"
    return str(value)


def _names(model_field: Any, pks: frozenset[int]) -> str:
    related = model_field.related_model._base_manager.filter(pk__in=pks)
    names = sorted(str(row) for row in related)
    missing = len(pks) - len(names)
    if missing:
        names.append(f"{missing} since deleted")
    return ", ".join(names) or EMPTY


def _field_changes(
    a: Any, b: Any, a_m2m: dict, b_m2m: dict, kept: set[str]
) -> tuple[FieldChange, ...]:
    meta = type(b)._meta
    changes = [
        FieldChange(
            str(f.verbose_name).capitalize(),
            _shown(f, getattr(a, f.attname)),
            _shown(f, getattr(b, f.attname)),
        )
        for f in meta.concrete_fields
        if f.name not in kept and getattr(a, f.attname) != getattr(b, f.attname)
    ]
    for name in sorted(set(a_m2m) | set(b_m2m)):
        before, after = a_m2m.get(name, frozenset()), b_m2m.get(name, frozenset())
        if before != after:
            f = meta.get_field(name)
            changes.append(
                FieldChange(str(f.verbose_name).capitalize(), _names(f, before), _names(f, after))
            )
    return tuple(changes)


def child_label(child: Any) -> str:
    if hasattr(child, "text"):
        return child.text
    if hasattr(child, "get_kind_display"):
        return f"{child.get_kind_display()} ({child.key})"
    return str(child)


def _child_changes(a: dict[int, Child], b: dict[int, Child]) -> tuple[ChildChange, ...]:
    changes = [ChildChange("Removed", child_label(a[pk].instance)) for pk in a if pk not in b]
    for pk, child in b.items():
        if pk not in a:
            changes.append(ChildChange("Added", child_label(child.instance)))
            continue
        fields = _field_changes(a[pk].instance, child.instance, a[pk].m2m, child.m2m, CHILD_KEPT)
        if fields:
            changes.append(ChildChange("Changed", child_label(child.instance), fields))
    return tuple(changes)


def compare(a: State, b: State) -> Comparison:
    if a.programme is None or b.programme is None:
        # One side did not exist: everything the other holds is what changes.
        a_fields = Programme() if a.programme is None else a.programme
        b_fields = Programme() if b.programme is None else b.programme
    else:
        a_fields, b_fields = a.programme, b.programme
    status_field = Programme._meta.get_field("status")
    before_status = a.programme.status if a.programme else None
    after_status = b.programme.status if b.programme else None
    status = (
        FieldChange(
            "Status", _shown(status_field, before_status), _shown(status_field, after_status)
        )
        if before_status != after_status
        else None
    )
    return Comparison(
        fields=_field_changes(a_fields, b_fields, a.m2m, b.m2m, PROGRAMME_KEPT),
        status=status,
        children={
            CHILD_TITLES[kind]: _child_changes(a.children[kind], b.children[kind])
            for kind in CHILDREN
        },
    )


class RestoreRefused(Exception):
    """The version cannot be written back as it is; `problems` says why, in words."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class Plan:
    """Restoring `target` over `current`: what the programme will look like, and what stops it."""

    current: State
    target: State
    restore_status: bool
    problems: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.restore_status and self.target.programme is not None:
            return self.target.programme.status
        if self.current.programme is not None:
            return self.current.programme.status
        return Programme.Status.DRAFT

    @property
    def keeps_status(self) -> bool:
        """The version's status differs from the one the programme will have."""
        return self.target.programme is not None and self.target.programme.status != self.status


def _merged_programme(plan: Plan) -> Programme:
    target = plan.target.programme
    if target is None:
        raise RestoreRefused(["That version has no programme to restore."])
    programme = Programme(
        **{f.attname: getattr(target, f.attname) for f in Programme._meta.concrete_fields}
    )
    current = plan.current.programme
    programme._state.adding = current is None
    if current is not None:
        programme.created_at = current.created_at
        programme.search_text = current.search_text
        programme.version = current.version
    programme.status = plan.status
    return programme


def _problems(error: ValidationError, where: str) -> list[str]:
    return [
        f"{where}{'' if name == '__all__' else f' ({name})'}: {message}"
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def check(plan: Plan) -> list[str]:
    """What stops the version being written back now (a deleted organisation, a slug another
    programme took, a value today's plausibility limits refuse), in words."""
    problems: list[str] = []
    try:
        programme = _merged_programme(plan)
        programme.full_clean()
    except RestoreRefused as refused:
        return refused.problems
    except ValidationError as error:
        problems += _problems(error, "The programme")
    for kind in CHILDREN:
        current = plan.current.children[kind]
        for pk, child in plan.target.children[kind].items():
            instance = child.instance
            instance._state.adding = pk not in current
            try:
                instance.full_clean(exclude=["programme"], validate_unique=False)
            except ValidationError as error:
                error = _without(error, REPLACED_BY_THE_RESTORE)
                if error.error_dict:
                    where = f"{CHILD_TITLES[kind][:-1]} “{child_label(instance)}”"
                    problems += _problems(error, where)
    return problems


# A version's deadline for a cycle replaces the one recorded now (one per cycle): not a conflict.
REPLACED_BY_THE_RESTORE = {"one_per_cycle"}


def _without(error: ValidationError, codes: set[str]) -> ValidationError:
    kept = {
        name: [e for e in errors if e.code not in codes]
        for name, errors in error.error_dict.items()
    }
    return ValidationError({name: errors for name, errors in kept.items() if errors})


def _same(a: Any, b: Any, kept: set[str]) -> bool:
    return all(
        getattr(a, f.attname) == getattr(b, f.attname)
        for f in type(a)._meta.concrete_fields
        if f.name not in kept
    )


def _attribute(row: models.Model, user: Any) -> None:
    """Name who restored it in the history row (in a request the middleware already does)."""
    if user is not None:
        row._history_user = user  # type: ignore[attr-defined]


def _set_m2m(row: models.Model, wanted: dict[str, frozenset[int]], now: dict) -> None:
    for name in tracked_m2m(type(row)):
        target: Any = row._meta.get_field(name).related_model
        pks = set(
            target._base_manager.filter(pk__in=wanted.get(name, ())).values_list("pk", flat=True)
        )
        if pks != set(now.get(name, ())):
            getattr(row, name).set(pks)


def restore(plan: Plan, user: Any = None, *, seen_at_preview: str | None = None) -> Programme:
    """Write the plan's version back in one save (one version of its own) through the write
    path: the programme's fields and lists, then its rules, costs and dated deadlines, added,
    changed or removed. Under the programme's lock the current state is read again, and a
    preview built on another state (`seen_at_preview`, from `revisions.seen()`) is refused."""
    target = plan.target.programme
    if target is None:
        raise RestoreRefused(["That version has no programme to restore."])
    try:
        with writing.programme_write(target.pk, user=user):
            if seen_at_preview is not None and seen(target.pk) != seen_at_preview:
                raise RestoreRefused([CHANGED_SINCE_PREVIEW])
            plan = replace(plan, current=current_state(target.pk))
            problems = check(plan)
            if problems:
                raise RestoreRefused(problems)
            return _write(plan, user)
    except IntegrityError as error:
        raise RestoreRefused([f"The database refused the restore: {error}"]) from error


CHANGED_SINCE_PREVIEW = (
    "The programme changed after this preview was shown: check the preview again before restoring."
)


def _write(plan: Plan, user: Any) -> Programme:
    programme = _merged_programme(plan)
    current = plan.current
    if current.programme is None or not _same(
        current.programme, programme, {"search_text", "updated_at"}
    ):
        _attribute(programme, user)
        programme.save()
    _set_m2m(programme, plan.target.m2m, current.m2m)
    for kind in CHILDREN:
        _restore_children(programme, current.children[kind], plan.target.children[kind], user)
    return programme


def _restore_children(
    programme: Programme, now: dict[int, Child], wanted: dict[int, Child], user: Any
) -> None:
    for pk, child in now.items():
        if pk not in wanted:
            _attribute(child.instance, user)
            child.instance.delete()
    for pk, child in wanted.items():
        instance = child.instance
        instance.programme_id = programme.pk
        existing = now.get(pk)
        if existing is None or not _same(existing.instance, instance, {"id", "recorded_at"}):
            instance._state.adding = existing is None
            _attribute(instance, user)
            instance.save()
        _set_m2m(instance, child.m2m, existing.m2m if existing else {})
