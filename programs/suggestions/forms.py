"""The two public forms: suggest a correction to a programme, propose a new programme.

Both ask for evidence (a web page, or "I run this programme" with a contact) and, optionally, an
address to hear back; every field is capped (models/suggestions.py's CAPS).
"""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse
from django.utils.html import format_html

from programs.core import clock
from programs.core.forms import PublicForm
from programs.models import Suggestion
from programs.models.sources import long_date
from programs.models.suggestions import CAPS, KEEP_ADDRESSES_DAYS

Evidence = Suggestion.Evidence
WEB_ONLY = [URLValidator(schemes=["http", "https"])]


def web_address(name: str, label: str, required: bool, help_text: str = "") -> forms.URLField:
    return forms.URLField(
        label=label,
        required=required,
        max_length=CAPS[name],
        assume_scheme="https",
        validators=WEB_ONLY,
        help_text=help_text,
        widget=forms.URLInput(attrs={"autocomplete": "url", "inputmode": "url"}),
    )


def text(name: str, label: str, required: bool = True, help_text: str = "", rows: int = 0):
    widget = forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label,
        required=required,
        max_length=CAPS[name],
        help_text=help_text,
        widget=widget,
    )


def email_help() -> str:
    return format_html(
        "Only to tell you what an adviser decides: we first send one link to confirm it, then "
        'one message with the decision. It is deleted then, or after {} days at most (<a href="{}">'
        "privacy</a>).",
        KEEP_ADDRESSES_DAYS,
        reverse("programs:privacy"),
    )


class EvidenceForm(PublicForm):
    """What both forms share: the evidence, and an optional address."""

    evidence = forms.ChoiceField(
        label="How do you know?", choices=Evidence.choices, widget=forms.RadioSelect
    )
    evidence_url = web_address(
        "evidence_url",
        "Address of the page that shows it",
        required=False,
        help_text="Needed if a web page shows it, e.g. the programme's official page.",
    )
    contact = text(
        "contact",
        "How an adviser can reach you to check",
        required=False,
        help_text="If you run this programme: your name, role and work email or phone. "
        "Advisers use it only to check; it is never shown publicly.",
    )
    email = forms.EmailField(
        label="Your email, if you want to hear back (optional)",
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].help_text = email_help()

    def clean(self):
        cleaned = super().clean()
        evidence = cleaned.get("evidence")
        if evidence == Evidence.LINK and not cleaned.get("evidence_url"):
            self.add_error(
                "evidence_url", "Give the address of the page that shows it, or choose "
                "“I run this programme”."
            )  # fmt: skip
        if evidence == Evidence.RUNS_PROGRAMME and not cleaned.get("contact"):
            self.add_error(
                "contact", "Say how an adviser can reach you to check: your name and work "
                "email or phone."
            )  # fmt: skip
        return cleaned


class CorrectionForm(EvidenceForm):
    field_order = ["fact", "proposed", "proposed_date", "evidence", "evidence_url", "contact"]

    fact = forms.ChoiceField(
        label="Which fact is wrong or missing?",
        choices=Suggestion.Fact.choices,
        widget=forms.RadioSelect,
    )
    proposed = text(
        "proposed",
        "What it should say",
        rows=4,
        help_text="As the programme states it, e.g. “Applications close on 15 March 2027”.",
    )
    proposed_date = forms.DateField(
        label="The new deadline, if it is a date (optional)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        earliest, latest = today - timedelta(days=366), date(today.year + 3, 12, 31)
        self.fields["proposed_date"].widget.attrs.update(
            min=earliest.isoformat(), max=latest.isoformat()
        )
        self.date_range = (earliest, latest)

    def clean_proposed_date(self) -> date | None:
        day = self.cleaned_data.get("proposed_date")
        earliest, latest = self.date_range
        if day is not None and not earliest <= day <= latest:
            raise ValidationError(
                f"Give a date between {long_date(earliest)} and {long_date(latest)}."
            )
        return day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("proposed_date") and cleaned.get("fact") != Suggestion.Fact.DEADLINE:
            self.add_error(
                "proposed_date", "A date belongs to a deadline: choose “Deadline” above, or "
                "leave the date empty."
            )  # fmt: skip
        return cleaned


class ProposalForm(EvidenceForm):
    field_order = [
        "title",
        "organisation_name",
        "location",
        "eligibility",
        "dates",
        "cost",
        "official_url",
        "proposed",
        "evidence",
        "evidence_url",
        "contact",
    ]

    title = text("title", "Programme name")
    organisation_name = text("organisation_name", "Organisation that runs it")
    location = text(
        "location", "Where", help_text="City and country, or “online” for a virtual programme."
    )
    eligibility = text(
        "eligibility",
        "Who may apply",
        rows=3,
        help_text="e.g. “Medical students in their final two years; IELTS 6.5”.",
    )
    dates = text(
        "dates", "Dates and application deadline", required=False, help_text="If you know them."
    )
    cost = text(
        "cost",
        "Cost or pay",
        required=False,
        help_text="Fees a student pays, or a stipend, as the programme states it.",
    )
    official_url = web_address("official_url", "Official page", required=False)
    proposed = text("proposed", "Anything else an adviser should know", required=False, rows=3)
