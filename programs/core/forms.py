"""The base of every public form (a form anyone may send without signing in).

- A hidden **honeypot** field (`website`): people never see it (hidden by the site's CSS, out of
  the tab order, labelled "leave empty"), form-filling robots do. A form that fills it is answered
  as if stored, and nothing is stored (`is_robot`).
- A **submission id**, one per form shown, so a form sent twice is stored once.
- **Control characters refused** in every text field (NUL, escape sequences, bidirectional
  overrides that make text read differently from what it is); line breaks and tabs only where
  the field is multi-line (a `Textarea`).
- Every text field has a `max_length` (a test checks it).
"""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from programs.core.text import first_control_character

HONEYPOT = "website"
LINE_BREAKS_AND_TABS = frozenset("\n\r\t")


def refuse_control_characters(value: str, multiline: bool) -> None:
    """The characters no stored text holds (`core.text.CONTROL_CHARACTERS`, the same set the
    models refuse) and, in a single-line field, line breaks and tabs."""
    if not multiline and LINE_BREAKS_AND_TABS & set(value):
        raise ValidationError("Write this on one line.", code="line_break")
    control = first_control_character(value)
    if control is not None:
        raise ValidationError(
            f"Remove the invisible control character (U+{ord(control):04X}).",
            code="control_character",
        )


class PublicForm(forms.Form):
    website = forms.CharField(
        label="Leave this field empty",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    submission = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("submission", uuid.uuid4())
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, field in self.fields.items():
            value = cleaned.get(name)
            if isinstance(value, str) and name in self.cleaned_data:
                try:
                    refuse_control_characters(value, isinstance(field.widget, forms.Textarea))
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get(self.add_prefix(HONEYPOT), ""))

    def stored_fields(self) -> dict[str, Any]:
        """The cleaned fields a model keeps: everything but the honeypot and the submission id."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in (HONEYPOT, "submission")
        }
