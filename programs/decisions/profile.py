"""The student's profile and estimate choices, read from the query string with Django forms.

Nothing is stored: the profile lives in the URL so it can be bookmarked and shared. Each field is
optional; a bad value (age "abc", a start in 1900) is reported and left out, never a 500.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.http import QueryDict

from programs.core.countries import country_name, iso_countries
from programs.core.widgets import QuickSelect
from programs.decisions.matching import OTHER_UNIVERSITY, Profile
from programs.models import Currency, Vocabulary

# Public parameter names (bookmarks use them): none clashes with the list's filters.
PROFILE_FIELDS = (
    "age",
    "study",
    "school_year",
    "university",
    "discipline",
    "residence",
    "citizenship",
    "area",
    "english",
    "score",
    "enrolled",
    "start",
)
# The currencies students plan in (each needs an exchange rate, fixtures/exchange_rates.yaml).
ESTIMATE_CURRENCIES = (
    Currency.EUR,
    Currency.GBP,
    Currency.USD,
    Currency.INR,
    Currency.AUD,
    Currency.CAD,
    Currency.NGN,
    Currency.PKR,
)
MAX_PLAN_YEARS = 3


def choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """The form's field `name`, whose choices come from the vocabulary."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


class ProfileForm(forms.Form):
    age = forms.IntegerField(
        label="Your age at the start date",
        required=False,
        min_value=12,
        max_value=99,
        error_messages={
            "invalid": "Enter your age as a whole number of years, e.g. 19.",
            "min_value": "Enter an age of 12 or more.",
            "max_value": "Enter an age of 99 or less.",
        },
    )
    study = forms.ChoiceField(
        label="Your study level",
        required=False,
        error_messages={"invalid_choice": "Choose a study level from the list."},
    )
    school_year = forms.ChoiceField(
        label="Your school year (secondary school only)",
        required=False,
        choices=[
            ("", "Not saying"),
            ("final", "Final year (e.g. US senior, UK Year 13)"),
            ("penultimate", "Year before the final one (e.g. US junior, UK Year 12)"),
            ("earlier", "An earlier year"),
        ],
        help_text="Some programmes take only high school juniors and seniors, or Year 12 and up.",
        error_messages={"invalid_choice": "Choose a school year from the list."},
    )
    university = forms.ChoiceField(
        label="Your university",
        required=False,
        help_text="Some routes are only for one university's own students.",
        error_messages={"invalid_choice": "Choose a university from the list."},
    )
    discipline = forms.ChoiceField(
        label="Your discipline",
        required=False,
        error_messages={"invalid_choice": "Choose a discipline from the list."},
    )
    residence = forms.ChoiceField(
        label="Your country of residence",
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": "Choose a country from the list."},
    )
    citizenship = forms.ChoiceField(
        label="Your citizenship",
        required=False,
        widget=QuickSelect,
        error_messages={"invalid_choice": "Choose a country from the list."},
    )
    area = forms.CharField(
        label="Town, county or state (optional)",
        required=False,
        max_length=80,
        help_text="Some programmes take residents of one area only, e.g. “Baltimore City”.",
        error_messages={"max_length": "Keep the area under 80 characters."},
    )
    english = forms.ChoiceField(
        label="Your English test",
        required=False,
        choices=[
            ("", "None or not saying"),
            ("IELTS", "IELTS"),
            ("TOEFL", "TOEFL iBT"),
            ("other", "Another test"),
        ],
        error_messages={"invalid_choice": "Choose an English test from the list."},
    )
    score = forms.DecimalField(
        label="Overall score",
        required=False,
        min_value=0,
        max_value=120,
        max_digits=4,
        decimal_places=1,
        error_messages={
            "invalid": "Enter your overall score as a number, e.g. 6.5.",
            "min_value": "A score can’t be below 0.",
            "max_value": "Enter a score of at most 120.",
            "max_digits": "Enter your overall score as a number, e.g. 6.5.",
            "max_decimal_places": "Give the score with at most one decimal place.",
        },
    )
    enrolled = forms.ChoiceField(
        label="Currently enrolled (at least half-time) in school or university?",
        required=False,
        choices=[("", "Not saying"), ("yes", "Yes"), ("no", "No")],
        error_messages={"invalid_choice": "Choose yes, no or not saying."},
    )
    start = forms.DateField(
        label="Intended start date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        # ISO only: Django's default formats would read a British 01/07/2027 as 7 January.
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "Enter the start date as YYYY-MM-DD, e.g. 2027-07-01."},
    )

    def __init__(self, data: QueryDict, *, today: date, vocabulary: Vocabulary):
        super().__init__(data)
        self.today = today
        # Choices from the page's vocabulary (programs/models/vocabulary.py), read once a page.
        choices: dict[str, list[tuple[str, str]]] = {
            "study": [
                ("", "Not saying"),
                *((slug, row.name) for slug, row in vocabulary.levels.items()),
            ],
            "discipline": [
                ("", "Not saying"),
                *((slug, row.name) for slug, row in vocabulary.disciplines.items()),
            ],
            "university": [
                ("", "Not saying"),
                *((slug, row.name) for slug, row in vocabulary.universities.items()),
                (OTHER_UNIVERSITY, "Another university, or none"),
            ],
            # Every ISO 3166 country: students live everywhere, not only where programmes are.
            "residence": [("", "Not saying"), *iso_countries()],
            "citizenship": [("", "Not saying"), *iso_countries()],
        }
        for name, options in choices.items():
            choice_field(self, name).choices = options
        # Each answer's name, for the verdicts' sentences.
        self.names = {name: dict(options) for name, options in choices.items()}
        self.fields["start"].widget.attrs.update(
            min=today.isoformat(), max=self.latest_start.isoformat()
        )

    @property
    def latest_start(self) -> date:
        return self.today + timedelta(days=365 * MAX_PLAN_YEARS)

    def clean_start(self) -> date | None:
        start = self.cleaned_data.get("start")
        if start is not None and not self.today <= start <= self.latest_start:
            raise forms.ValidationError(
                f"Choose a start date between today ({self.today:%d %B %Y}) and "
                f"{self.latest_start:%d %B %Y}.",
                code="out_of_range",
            )
        return start

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("english") == "IELTS" and data.get("score") is not None and data["score"] > 9:
            self.add_error("score", "IELTS scores run from 0 to 9.")
        return data

    def profile(self) -> Profile:
        """The valid answers; a field with an error counts as not given."""
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        study, discipline = data.get("study") or "", data.get("discipline") or ""
        residence = data.get("residence") or ""
        citizenship = data.get("citizenship") or ""
        names = self.names
        return Profile(
            age=data.get("age"),
            level=study,
            level_name=names["study"].get(study, "") if study else "",
            school_year=data.get("school_year") or "",
            university=data.get("university") or "",
            discipline=discipline,
            discipline_name=names["discipline"].get(discipline, "") if discipline else "",
            country=residence,
            country_name=country_name(residence),
            citizenship=citizenship,
            citizenship_name=country_name(citizenship),
            area=(data.get("area") or "").strip(),
            english_test=data.get("english") or "",
            english_score=data.get("score"),
            enrolled=data.get("enrolled") or "",
            start=data.get("start"),
        )


@dataclass(frozen=True)
class EstimateChoice:
    """The estimate's parameters: the student's weeks (None: the programme's shortest stated
    length, or no estimate when none is stated), currency, and whether to count possible pay."""

    weeks: int | None = None
    currency: str = Currency.EUR
    with_pay: bool = False


class EstimateForm(forms.Form):
    """Duration, currency and pay of the all-in cost estimate."""

    weeks = forms.IntegerField(
        label="Weeks",
        required=False,
        min_value=1,
        max_value=52,
        error_messages={
            "invalid": "Enter the number of weeks as a whole number.",
            "min_value": "Enter at least 1 week.",
            "max_value": "Enter at most 52 weeks.",
        },
    )
    currency = forms.ChoiceField(
        label="Currency",
        required=False,
        choices=[(c.value, c.label) for c in ESTIMATE_CURRENCIES],
        error_messages={
            "invalid_choice": "Choose one of "
            + ", ".join(c.value for c in ESTIMATE_CURRENCIES[:-1])
            + f" or {ESTIMATE_CURRENCIES[-1].value}."
        },
    )
    with_pay = forms.ChoiceField(
        label="Count pay or a stipend you may receive",
        required=False,
        choices=[("", "No, never assume it"), ("1", "Yes, take it off the lowest estimate")],
        error_messages={"invalid_choice": "Use with_pay=1 to count possible pay."},
    )

    def choice(self) -> EstimateChoice:
        self.is_valid()
        data = {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return EstimateChoice(
            data.get("weeks"), data.get("currency") or Currency.EUR, data.get("with_pay") == "1"
        )


class ListExtrasForm(forms.Form):
    """List parameters that need the profile or the estimates, so the view applies them."""

    eligible = forms.ChoiceField(
        label="Eligibility",
        required=False,
        choices=[("", "Any"), ("1", "Only programmes I may be eligible for")],
        error_messages={"invalid_choice": "Use eligible=1 to keep programmes you may apply to."},
    )
    max_cost = forms.IntegerField(
        label="Budget, all-in (in the estimate’s currency)",
        required=False,
        min_value=0,
        # High enough for a budget in rupees or naira (₦1,000,000 is about €600).
        max_value=100_000_000,
        error_messages={
            "invalid": "Enter your budget as a whole number.",
            "min_value": "A budget can’t be negative.",
            "max_value": "Enter a budget of at most 100,000,000.",
        },
    )
