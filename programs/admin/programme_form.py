"""The programme change form: verification is part of the edit, and saving is the only way out.

- "Checked against its source today" sets who and when together on save; the date is read-only
  otherwise and so can be neither another adviser's nor in the future.
- The change form has no action bar: pressing Enter in a field submits "Save" (the first button),
  never an action that would drop the edits. Publishing and archiving are a change of the status
  field, saved with everything else; the list keeps its bulk actions.
- Every change form warns before leaving it with unsaved changes (templates/admin/change_form.html
  loads static/js/unsaved_changes.js).
"""

from __future__ import annotations

from django import forms

from programs.core import clock
from programs.models import Programme

CHECKED_TODAY = "checked_today"


class ProgrammeForm(forms.ModelForm):
    checked_today = forms.BooleanField(
        required=False,
        label="Checked against its source today",
        help_text="Tick when you have checked every fact on this page against the sources it "
        "cites: saving records you as the verifier, with today's date.",
    )

    class Meta:
        model = Programme
        # The admin's fieldsets choose the fields; this form only adds the checkbox.
        exclude: list[str] = []


def record_verification(form: forms.ModelForm, programme: Programme, user_id: int) -> None:
    """Set who and when together, only when the adviser ticked the box on this save."""
    if form.cleaned_data.get(CHECKED_TODAY):
        programme.last_verified = clock.today()
        programme.verified_by_id = user_id
