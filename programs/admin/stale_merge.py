"""A save from a stale change form, part by part: the record's own fields and each inline row.

For every field (and row) it compares three states: as the form was loaded (`Loaded`), as the
adviser posted it, and as stored now. Where the other adviser changed something this adviser did
not touch, the form is given the stored value (a row she added is added to the form, a row she
removed leaves it); where both changed the same field, the form keeps this adviser's value and the
report says so. Saving the merged form again therefore keeps everything she did that this adviser
did not deliberately change, and everything this adviser changed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models
from django.http import HttpRequest, QueryDict

from programs.catalogue.restoring import child_label

from .edit_state import Loaded, digest, model_fields, row_fields, stored

EMPTY = "(empty)"
SHOWN_CHARACTERS = 300


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    yours: str | None  # what this adviser's form holds, when it changed the field
    theirs: str | None  # what is stored now, when the other adviser changed the field
    now: str

    @property
    def both(self) -> bool:
        return self.yours is not None and self.theirs is not None


@dataclass(frozen=True)
class RowChange:
    label: str
    outcome: str  # what the form holds now, in words
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class Part:
    title: str
    fields: tuple[FieldChange, ...]
    rows: tuple[RowChange, ...] = ()


@dataclass(frozen=True)
class Refusal:
    parts: tuple[Part, ...]
    data: QueryDict  # the form to show: this adviser's changes over what is stored now


def shown(field: forms.Field, value: Any) -> str:
    """A value in words, as a field of the form offers it."""
    if value in (None, "", [], ()):
        return EMPTY
    if isinstance(field, forms.ModelMultipleChoiceField):
        items = value if isinstance(value, list | tuple | models.QuerySet) else [value]
        names = [str(_row(field, item)) for item in items]
        return ", ".join(sorted(names)) or EMPTY
    if isinstance(field, forms.ModelChoiceField):
        return str(_row(field, value))
    if isinstance(field, forms.BooleanField):
        return "Yes" if value else "No"
    choices = getattr(field, "choices", None)
    if choices:
        labels = {str(key): label for key, label in choices}
        return str(labels.get(str(value), value))
    text = str(value)
    return text if len(text) <= SHOWN_CHARACTERS else text[: SHOWN_CHARACTERS - 1] + "…"


def _row(field: forms.ModelChoiceField, value: Any) -> Any:
    if isinstance(value, models.Model):
        return value
    model = field.queryset.model if field.queryset is not None else None
    found = model._base_manager.filter(pk=value).first() if model is not None else None
    return found if found is not None else f"#{value} (since deleted)"


def raw(field: forms.Field, value: Any) -> list[str]:
    """What a browser posts for `value` in `field` (a stored value put back into the form)."""
    value = field.prepare_value(value)
    if isinstance(field.widget, forms.CheckboxInput):
        return ["on"] if value else []
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if value is None:
        return [""]
    if hasattr(value, "isoformat"):
        return [value.isoformat()]
    return [str(value)]


def _yours(form: forms.BaseForm, name: str) -> Any:
    """The adviser's cleaned value, or what they typed when it does not clean."""
    if name in form.cleaned_data:
        return form.cleaned_data[name]
    return form.data.get(form.add_prefix(name), "")


def _changes(
    form: forms.BaseForm, names: list[str], loaded: dict[str, str], now: dict[str, Any]
) -> list[FieldChange]:
    changes = []
    for name in names:
        base = loaded.get(name)
        if base is None:
            continue
        field = form.fields[name]
        mine = name not in form.cleaned_data or digest(form.cleaned_data[name]) != base
        theirs = digest(now[name]) != base
        if mine or theirs:
            changes.append(
                FieldChange(
                    name,
                    str(field.label or name),
                    shown(field, _yours(form, name)) if mine else None,
                    shown(field, now[name]) if theirs else None,
                    shown(field, now[name]),
                )
            )
    return changes


def _take_theirs(
    values: dict[str, list[str]], fields: dict, changes: list[FieldChange], now: dict[str, Any]
) -> None:
    """Give the form the stored value of each field only the other adviser changed."""
    for change in changes:
        if change.theirs is not None and change.yours is None:
            values[change.name] = raw(fields[change.name], now[change.name])


class _Rows:
    """One inline formset's rows, rebuilt for the merged form."""

    def __init__(self, formset: Any, loaded: Loaded, parent: models.Model) -> None:
        self.formset, self.parent = formset, parent
        self.loaded = loaded.rows.get(formset.prefix, {})
        self.names = row_fields(type(formset))
        self.fields = formset.form.base_fields
        # Read before any form is validated: validating writes the posted values onto the rows.
        rows = list(formset.get_queryset())
        self.now = {str(row.pk): stored(row, self.names) for row in rows}
        self.labels = {str(row.pk): self.label(row) for row in rows}
        self.kept: list[dict[str, list[str]]] = []  # rows that exist: the formset's first forms
        self.added: list[dict[str, list[str]]] = []
        self.report: list[RowChange] = []
        self.title = str(formset.model._meta.verbose_name_plural).capitalize()

    @staticmethod
    def label(instance: models.Model) -> str:
        return f"{str(instance._meta.verbose_name).capitalize()} “{child_label(instance)}”"

    def posted(self, form: forms.BaseForm) -> dict[str, list[str]]:
        start = f"{form.prefix}-"
        data = self.formset.data
        return {key[len(start) :]: data.getlist(key) for key in data if key.startswith(start)}

    def from_stored(self, key: str) -> dict[str, list[str]]:
        values = {name: raw(self.fields[name], self.now[key][name]) for name in self.names}
        values[self.formset.model._meta.pk.name] = [key]
        values[self.formset.fk.name] = [str(self.parent.pk)]
        return values

    def merge(self) -> bool:
        """Rebuild the rows; True when the other adviser changed, added or removed any."""
        theirs = False
        seen: set[str] = set()
        pk_name = self.formset.model._meta.pk.name
        for index, form in enumerate(self.formset.forms):
            form.is_valid()
            values = self.posted(form)
            if index >= self.formset.initial_form_count():
                if form.has_changed():
                    self.added.append(values)
                    self.report.append(RowChange(self.label(form.instance), "Added by you: kept."))
                continue
            key = (values.get(pk_name) or [""])[0]
            seen.add(key)
            theirs |= self.existing(form, key, values)
        for key in self.now:
            if key not in seen:
                self.kept.append(self.from_stored(key))
                if key not in self.loaded:
                    theirs = True
                    self.report.append(
                        RowChange(self.labels[key], "Added by the other adviser: now in the form.")
                    )
        return theirs

    def existing(self, form: forms.BaseForm, key: str, values: dict[str, list[str]]) -> bool:
        loaded = self.loaded.get(key)
        deleting = bool((values.get("DELETE") or [""])[0])
        if loaded is None:  # not a row the form was loaded with: left as posted
            if key in self.now:
                self.kept.append(values)
            return False
        if key not in self.now:
            self.removed(form, loaded, values, deleting)
            return True
        changes = _changes(form, self.names, loaded, self.now[key])
        theirs = any(change.theirs is not None for change in changes)
        if deleting:
            outcome = "Deleted by you" + (
                " after the other adviser changed it: still ticked for deletion." if theirs else "."
            )
            self.report.append(RowChange(self.labels[key], outcome, tuple(changes)))
        elif changes:
            _take_theirs(values, self.fields, changes, self.now[key])
            self.report.append(RowChange(self.labels[key], _outcome(changes), tuple(changes)))
        self.kept.append(values)
        return theirs

    def removed(self, form, loaded: dict[str, str], values, deleting: bool) -> None:
        mine = any(
            name not in form.cleaned_data or digest(form.cleaned_data[name]) != loaded[name]
            for name in self.names
            if name in loaded
        )
        label = self.label(form.instance)
        if deleting or not mine:
            self.report.append(RowChange(label, "Removed by the other adviser: gone."))
            return
        for name in (self.formset.model._meta.pk.name, self.formset.fk.name):
            values.pop(name, None)
        self.added.append(values)
        self.report.append(
            RowChange(
                label,
                "Removed by the other adviser after you changed it: the form has it again as a "
                "new row with your values; delete that row to leave it removed.",
            )
        )

    def write(self, into: QueryDict) -> None:
        prefix = self.formset.prefix
        row_key = re.compile(rf"{re.escape(prefix)}-\d+-")
        for key in [key for key in into if row_key.match(key)]:
            del into[key]
        for index, row in enumerate([*self.kept, *self.added]):
            for name, values in row.items():
                _put(into, f"{prefix}-{index}-{name}", values)
        into[f"{prefix}-TOTAL_FORMS"] = str(len(self.kept) + len(self.added))
        into[f"{prefix}-INITIAL_FORMS"] = str(len(self.kept))


def _put(data: QueryDict, key: str, values: list[str]) -> None:
    """An unticked checkbox is posted as no value at all."""
    if values:
        data.setlist(key, values)
    else:
        data.pop(key, None)


def _outcome(changes: list[FieldChange]) -> str:
    if any(change.both for change in changes):
        return "Both of you changed it: the form keeps yours where you both changed a field."
    if all(change.yours is None for change in changes):
        return "Changed by the other adviser: the form now shows the stored values."
    if all(change.theirs is None for change in changes):
        return "Changed by you: kept."
    return "Changed by both of you, in different fields: the form holds both."


def inline_formsets(admin: Any, request: HttpRequest, obj: models.Model) -> Iterator[tuple]:
    """(prefix, formset class, inline) as the admin's change view builds them."""
    prefixes: dict[str, int] = {}
    for formset_class, inline in admin.get_formsets_with_inlines(request, obj):
        prefix = formset_class.get_default_prefix()
        prefixes[prefix] = prefixes.get(prefix, 0) + 1
        if prefixes[prefix] != 1 or not prefix:
            prefix = f"{prefix}-{prefixes[prefix]}"
        yield prefix, formset_class, inline


def unchanged_since(admin: Any, request: HttpRequest, obj: models.Model, loaded: Loaded) -> bool:
    """Whether every field and inline row is stored as the form was loaded (no form is built)."""
    now = stored(obj, list(loaded.fields))
    if any(digest(now[name]) != base for name, base in loaded.fields.items() if name in now):
        return False
    for prefix, formset_class, inline in inline_formsets(admin, request, obj):
        names = row_fields(formset_class)
        rows = inline.get_queryset(request).filter(**{formset_class.fk.name: obj})
        current = {str(row.pk): stored(row, names) for row in rows}
        base = loaded.rows.get(prefix, {})
        if set(current) != set(base):
            return False
        for key, values in current.items():
            if any(digest(values[n]) != d for n, d in base[key].items() if n in values):
                return False
    return True


def stale_refusal(admin: Any, request: HttpRequest, obj: models.Model, loaded: Loaded):
    """The refusal to show when anything the form was loaded with has changed since; None when
    nothing has (the save goes ahead)."""
    if unchanged_since(admin, request, obj, loaded):
        return None
    form = admin.get_form(request, obj, change=True)(request.POST, request.FILES, instance=obj)
    names = model_fields(type(obj), form.fields)
    now = stored(obj, names)  # before validating, which writes the posted values onto `obj`
    form.is_valid()
    changes = _changes(form, names, loaded.fields, now)
    values = {name: request.POST.getlist(name) for name in names}
    _take_theirs(values, form.fields, changes, now)
    data = request.POST.copy()
    for name in names:
        _put(data, name, values[name])
    theirs = any(change.theirs is not None for change in changes)
    parts = [Part("Its own fields", tuple(changes))]
    for prefix, formset_class, inline in inline_formsets(admin, request, obj):
        formset = formset_class(**admin.get_formset_kwargs(request, obj, inline, prefix))
        rows = _Rows(formset, loaded, obj)
        theirs |= rows.merge()
        rows.write(data)
        parts.append(Part(rows.title, (), tuple(rows.report)))
    if not theirs:
        return None
    shown_parts = tuple(part for part in parts if part.fields or part.rows)
    return Refusal(shown_parts, data)
