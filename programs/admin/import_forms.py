"""The programme import's two forms: choose a file (and whether to overwrite newer work), then
confirm the summary. The choice travels from the first form to the second in a hidden field."""

from __future__ import annotations

from django import forms
from import_export.forms import ConfirmImportForm, ImportForm

OVERWRITE_NEWER = "overwrite_newer"
LEAVE_CONFLICTS = "leave_conflicts"


class ProgrammeImportForm(ImportForm):
    overwrite_newer = forms.BooleanField(
        required=False,
        label="Overwrite newer changes",
        help_text="Leave unticked: a row whose programme was changed after the file was exported "
        "is then refused as a conflict, so nobody's newer work is lost.",
    )
    leave_conflicts = forms.BooleanField(
        required=False,
        label="Import the other rows, leaving conflicting rows as they are",
        help_text="Rows whose programme was changed after the file was exported are then left "
        "unchanged and listed, instead of refusing the whole file.",
    )


class ProgrammeConfirmImportForm(ConfirmImportForm):
    overwrite_newer = forms.BooleanField(required=False, widget=forms.HiddenInput())
    leave_conflicts = forms.BooleanField(required=False, widget=forms.HiddenInput())


def _ticked(form: forms.Form | None, name: str) -> bool:
    if form is None or not hasattr(form, "cleaned_data"):
        return False
    return bool(form.cleaned_data.get(name))


def overwrite_newer(form: forms.Form | None) -> bool:
    return _ticked(form, OVERWRITE_NEWER)


def leave_conflicts(form: forms.Form | None) -> bool:
    return _ticked(form, LEAVE_CONFLICTS)
