"""What a change form was built on: a signed digest of every field of the record and of each of
its inline rows as they were loaded (`Loaded`), carried by the form in a hidden input.

Values are compared through `norm()`, which gives the same text for a value as the model stores
it and as the form cleans it (a related row by its key, a list as its sorted keys, numbers without
trailing zeros, text without the browser's CR LF), so an untouched field never reads as changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core import signing
from django.db import models
from django.forms.models import model_to_dict

TOKEN = "edit_state"  # noqa: S105 (the hidden input's name, not a secret)
SALT = "programs.admin.edit_state"


def norm(value: Any) -> str:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple | set | frozenset | models.QuerySet):
        return "[" + ",".join(sorted(norm(item) for item in value)) + "]"
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n").strip()
    return str(value)


def digest(value: Any) -> str:
    return hashlib.sha256(norm(value).encode()).hexdigest()[:16]


def model_fields(model: type[models.Model], names) -> list[str]:
    """Of a form's field names, those that are the model's own fields (not its key or parent)."""
    own = {
        f.name
        for f in model._meta.get_fields()
        if (getattr(f, "concrete", False) or f.many_to_many) and not f.auto_created
    }
    return [name for name in names if name in own]


def row_fields(formset_class: Any) -> list[str]:
    """The fields an inline row's form edits (its key and its parent are not among them)."""
    model = formset_class.model
    names = [n for n in formset_class.form.base_fields if n != formset_class.fk.name]
    return [n for n in model_fields(model, names) if n != model._meta.pk.name]


def stored(instance: models.Model, names: list[str]) -> dict[str, Any]:
    """The stored values of `names`, as a model form reads them (model_to_dict)."""
    return model_to_dict(instance, fields=names)


@dataclass(frozen=True)
class Loaded:
    version: int | None
    at: str  # ISO time the form was built
    fields: dict[str, str]
    rows: dict[str, dict[str, dict[str, str]]]  # formset prefix → row key → field → digest

    def dumps(self) -> str:
        data = {"v": self.version, "at": self.at, "f": self.fields, "r": self.rows}
        return signing.dumps(data, salt=SALT, compress=True)

    @classmethod
    def loads(cls, token: str | None) -> Loaded | None:
        if not token:
            return None
        try:
            data = signing.loads(token, salt=SALT)
            return cls(data["v"], data["at"], data["f"], data["r"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None

    @classmethod
    def of(cls, form: forms.ModelForm, formsets: list, at: datetime) -> Loaded:
        """From a change form and its inline formsets as rendered (their `initial` is what the
        model stores, read once already for the page). A form opened to accept a reader's
        suggestion starts with the proposal typed in (admin/accepting.py): that is this
        adviser's change, not what is stored, so such a form keeps what was loaded in
        `loaded_initial`."""
        model = type(form.instance)
        loaded = getattr(form, "loaded_initial", form.initial)
        fields = {name: digest(loaded.get(name)) for name in model_fields(model, form.fields)}
        rows: dict[str, dict[str, dict[str, str]]] = {}
        for formset in formsets:
            names = row_fields(type(formset))
            rows[formset.prefix] = {
                str(row.instance.pk): {name: digest(row.initial.get(name)) for name in names}
                for row in formset.initial_forms
                if row.instance.pk is not None
            }
        return cls(getattr(form.instance, "version", None), at.isoformat(), fields, rows)
