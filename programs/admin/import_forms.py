"""The programme import's two forms: choose a file (and whether to overwrite newer work), then
confirm the summary. The choice travels from the first form to the second in a hidden field."""

from __future__ import annotations

from django import forms
from import_export.forms import ConfirmImportForm, ImportForm

OVERWRITE_NEWER = "overwrite_newer"


class ProgrammeImportForm(ImportForm):
    overwrite_newer = forms.BooleanField(
        required=False,
        label="Overwrite newer changes",
        help_text="Leave unticked: a row whose programme was changed after the file was exported "
        "is then refused as a conflict, so nobody's newer work is lost.",
    )


class ProgrammeConfirmImportForm(ConfirmImportForm):
    overwrite_newer = forms.BooleanField(required=False, widget=forms.HiddenInput())


def overwrite_newer(form: forms.Form | None) -> bool:
    if form is None or not hasattr(form, "cleaned_data"):
        return False
    return bool(form.cleaned_data.get(OVERWRITE_NEWER))
