"""Refuse a save made from a stale form, and say what changed meanwhile.

Two advisers open the same record; the first saves; the second's form still holds the values it
loaded, and saving it would silently put them back. The change form therefore carries a signed
fingerprint of each field as it was loaded (`edit_state`). On save, if any field's stored value no
longer matches, the save is refused with a message naming the fields and their new values; the
adviser's own input stays in the form, and the form now carries the current fingerprint, so a
second save (after reading the message) is a deliberate choice and goes through.

Any ModelAdmin gets this with `StaleFormGuardMixin` (DirectoryAdmin has it). A custom `form` must
subclass `StaleFormGuardForm`. Inlines are not covered.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import admin
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest

FIELD = "edit_state"
SALT = "programs.admin.concurrency"


def _digest(value) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()[:16]


def _shown(value) -> str:
    text = ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    text = "(empty)" if value in ("", None, []) else text
    return f"“{text[:80]}…”" if len(text) > 80 else f"“{text}”"


class StaleFormGuardForm(forms.ModelForm):
    edit_state = forms.CharField(widget=forms.HiddenInput, required=False)

    def _stored_values(self) -> dict[str, object]:
        """The stored value of each model field this form edits (many-to-many as sorted keys)."""
        instance = self.instance
        values: dict[str, object] = {}
        for name in self.fields:
            try:
                field = instance._meta.get_field(name)
            except Exception:  # noqa: S112 (a form-only field)
                continue
            if field.many_to_many:
                values[name] = sorted(getattr(instance, name).values_list("pk", flat=True))
            elif isinstance(field, models.Field) and field.concrete:
                values[name] = getattr(instance, field.attname)
        return values

    def _state(self) -> str:
        digests = {name: _digest(value) for name, value in self._stored_values().items()}
        return signing.dumps(digests, salt=SALT, compress=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and not self.is_bound:
            self.initial[FIELD] = self._state()

    def clean(self):
        cleaned = super().clean()
        token = self.data.get(self.add_prefix(FIELD))
        if self.instance.pk is None or not token:
            return cleaned
        try:
            loaded = signing.loads(token, salt=SALT)
        except signing.BadSignature:
            loaded = {}
        stored = self._stored_values()
        changed = [
            name
            for name, value in stored.items()
            if name in loaded and loaded[name] != _digest(value)
        ]
        if not changed:
            return cleaned
        # Carry the current state, so that saving again after reading this is deliberate.
        self.data = self.data.copy()
        self.data[self.add_prefix(FIELD)] = self._state()
        details = "; ".join(
            f"{self.fields[name].label or name} is now {_shown(self._display(name, stored[name]))}"
            for name in changed
        )
        raise ValidationError(
            "Someone else saved this record after you opened it, so your changes were not "
            f"saved. Changed meanwhile: {details}. Your edits are still in the form below: check "
            "them against the new values and save again to keep yours.",
            code="stale_form",
        )

    def _display(self, name: str, value):
        field = self.instance._meta.get_field(name)
        if field.many_to_many:
            return [str(obj) for obj in getattr(self.instance, name).all()]
        if field.is_relation:
            return getattr(self.instance, name)
        if field.choices:
            return getattr(self.instance, f"get_{name}_display")()
        return value


class StaleFormGuardMixin(admin.ModelAdmin):
    """For a ModelAdmin: change forms refuse stale saves (see the module's docstring)."""

    form: type[forms.ModelForm] = StaleFormGuardForm

    def get_fieldsets(self, request: HttpRequest, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None:
            return fieldsets
        named = {name for _, options in fieldsets for name in _flat(options.get("fields", ()))}
        if FIELD in named:
            return fieldsets
        return [*fieldsets, (None, {"fields": (FIELD,), "classes": ("hidden",)})]


def _flat(fields):
    for item in fields:
        if isinstance(item, list | tuple):
            yield from item
        else:
            yield item
