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

    def clean(self):
        data = super().clean()
        publishing = data.get("status") == Programme.Status.PUBLISHED
        if publishing and "status" in self.changed_data:
            # Only when publishing now: older listings are not refused for what they lack.
            for field, message in publishing_problems(data).items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, message)
        return data


def publishing_problems(data: dict) -> dict[str, str]:
    """What a programme about to be published lacks that a student needs, by field (the summary
    and type are the model's own check): where it takes place and who may apply."""
    problems = {}
    if data.get("delivery") != Programme.Delivery.VIRTUAL and not data.get("countries"):
        problems["countries"] = (
            "To publish, say which country it takes place in; or keep it as a draft."
        )
    if not data.get("study_levels"):
        problems["study_levels"] = "To publish, say who may apply; or keep it as a draft."
    return problems


def record_verification(form: forms.ModelForm, programme: Programme, user_id: int) -> None:
    """Set who and when together, only when the adviser ticked the box on this save."""
    if form.cleaned_data.get(CHECKED_TODAY):
        programme.last_verified = clock.today()
        programme.verified_by_id = user_id
