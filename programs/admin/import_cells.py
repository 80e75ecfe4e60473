"""How a spreadsheet cell becomes a programme's value on import, in an adviser's terms.

- A number that is not one says so in words (django-import-export's own integer widget raised
  Decimal's `[<class 'decimal.ConversionSyntax'>]`, and "12.5" silently became 12).
- Text is compared tidied: a cell whose only difference from the stored text is its line endings
  (Excel writes CRLF or LF, a browser's textarea CRLF) or spaces at the ends of lines is not a
  change, so nothing is saved in the adviser's name that the adviser did not change.
- What a changed row will do is listed per column as the stored value and the file's value.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import models
from import_export import widgets

# The largest whole number a cell may hold: every integer column of a programme is far below it.
LARGEST = 10**9


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number (4, " 4 ", 4.0 from Excel), or a message naming the cell's value."""

    def clean(self, value, row=None, **kwargs) -> int | None:
        if self.is_empty(value):
            return None
        text = str(value).strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                f"“{text}” is not a number: write a whole number, such as 4."
            ) from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(f"“{text}” is not a whole number: write one, such as 4.")
        if abs(number) > LARGEST:
            raise ValueError(f"“{text}” is far too large for this column.")
        return int(number)


def text_field_names(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField) and not f.primary_key
    ]


def tidy_text(value: str) -> str:
    """One kind of line ending (LF), no spaces at the end of a line or around the whole text."""
    lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def keep_unchanged_text(instance: models.Model, before: dict[str, object]) -> None:
    """After a row's cells were set on `instance`: text equal to the stored text once both are
    tidied keeps the stored text exactly; other text is stored tidied."""
    for name, stored in before.items():
        value = getattr(instance, name)
        if not isinstance(value, str):
            continue
        tidied = tidy_text(value)
        same = isinstance(stored, str) and tidy_text(stored) == tidied
        setattr(instance, name, stored if same else tidied)


def shown(value: object) -> str:
    """A cell as the preview shows it."""
    return "" if value is None else str(value)
