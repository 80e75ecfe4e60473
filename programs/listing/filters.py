"""The public list's filters (their facet counts are in programs/listing/facets.py).

Parameter names are a public contract (bookmarks and the home page link to them):
q, region, country, type, speciality, level, pay, duration, deadline, delivery, no_red_flags, sort
(sort=cost is applied by the view, which computes the estimates).
A lookup value is checked for shape before it reaches the database (so a NUL byte or a
50,000-character slug is a form error, not a 500); an invalid value is reported and ignored while
the other filters still apply.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

import django_filters
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django_filters import fields as filter_fields

from programs.caching.snapshot import VocabularySnapshot
from programs.listing.choices import (
    DURATION_WEEKS,
    DeadlineChoice,
    DeliveryChoice,
    DurationBucket,
    Sort,
)
from programs.models import Country, Programme, Region, Speciality, StudyLevel

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
COUNTRY_CODE = re.compile(r"[A-Z]{2}")


# Fields that check a lookup's shape before anything else sees it, then find the row in the
# vocabulary held in memory (programs/caching/snapshot.py) when the filter set was given one, else in the
# database.


def _check_shape(value: object, pattern: re.Pattern, message: str) -> None:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValidationError(message, code="invalid_choice")


class VocabularyLookup:
    """Finds a choice in the vocabulary held in memory instead of querying for it; mixed into
    form fields, which provide `error_messages`."""

    pattern = SLUG
    lookup: Mapping[str, models.Model] | None = None
    error_messages: dict[str, str]

    def find(self, lookup: Mapping[str, models.Model], value: str) -> models.Model:
        _check_shape(value, self.pattern, self.error_messages["invalid_choice"])
        try:
            return lookup[value]
        except KeyError:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class SlugChoiceField(VocabularyLookup, filter_fields.ModelChoiceField):
    def normalise(self, value):
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = self.normalise(value)
        if self.lookup is not None:
            return self.find(self.lookup, value)
        _check_shape(value, self.pattern, self.error_messages["invalid_choice"])
        return super().to_python(value)


class SlugMultipleChoiceField(VocabularyLookup, filter_fields.ModelMultipleChoiceField):
    def _check_values(self, value):
        lookup = self.lookup
        if lookup is not None:
            return [self.find(lookup, item) for item in dict.fromkeys(value)]
        for item in value:
            _check_shape(item, self.pattern, self.error_messages["invalid_choice"])
        return super()._check_values(value)


class CountryCodeField(SlugChoiceField):
    pattern = COUNTRY_CODE

    def normalise(self, value):
        return value.strip().upper() if isinstance(value, str) else value


class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = SlugChoiceField


class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = SlugMultipleChoiceField


class CountryFilter(django_filters.ModelChoiceFilter):
    field_class = CountryCodeField


def _invalid(message: str) -> dict[str, str]:
    """The same message for every way a value can be wrong."""
    return {"invalid_choice": message, "invalid_pk_value": message, "invalid_list": message}


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label="Search",
        max_length=200,
        error_messages={
            "max_length": "Search for at most 200 characters.",
            "null_characters_not_allowed": "Search text can’t contain control characters.",
        },
    )
    region = SlugChoiceFilter(
        field_name="countries__region",
        to_field_name="slug",
        queryset=Region.objects.all(),
        distinct=True,
        label="Region",
        error_messages=_invalid("Choose a region from the list."),
    )
    country = CountryFilter(
        field_name="countries",
        to_field_name="code",
        queryset=Country.objects.all(),
        distinct=True,
        label="Country",
        error_messages=_invalid("Choose a country from the list."),
    )
    type = django_filters.ChoiceFilter(
        field_name="programme_type",
        choices=Programme.Type.choices,
        label="Type of placement",
        error_messages=_invalid("Choose a valid programme type."),
    )
    speciality = SlugMultipleChoiceFilter(
        field_name="specialities__slug",
        to_field_name="slug",
        queryset=Speciality.objects.all(),
        distinct=True,
        label="Speciality",
        error_messages=_invalid("Choose specialities from the list."),
    )
    level = SlugMultipleChoiceFilter(
        field_name="study_levels__slug",
        to_field_name="slug",
        queryset=StudyLevel.objects.all(),
        distinct=True,
        label="Study level",
        error_messages=_invalid("Choose study levels from the list."),
    )
    pay = django_filters.MultipleChoiceFilter(
        choices=Programme.Pay.choices,
        label="Pay",
        error_messages=_invalid("Choose pay options from the list."),
    )
    duration = django_filters.ChoiceFilter(
        method="filter_duration",
        choices=DurationBucket.choices,
        label="Length",
        error_messages=_invalid("Choose a length from the list."),
    )
    deadline = django_filters.ChoiceFilter(
        method="filter_deadline",
        choices=DeadlineChoice.choices,
        label="Application deadline",
        error_messages=_invalid(
            "Choose due within a month or three months, rolling, varies or not stated."
        ),
    )
    delivery = django_filters.ChoiceFilter(
        method="filter_delivery",
        choices=DeliveryChoice.choices,
        label="In person or virtual",
        error_messages=_invalid("Choose in person or virtual."),
    )
    no_red_flags = django_filters.ChoiceFilter(
        method="filter_no_red_flags",
        choices=[("1", "Hide programmes with a red flag recorded")],
        label="Recorded red flags",
        error_messages=_invalid("Use no_red_flags=1 to hide programmes with a recorded red flag."),
    )
    sort = django_filters.ChoiceFilter(
        method="sort_by",
        choices=Sort.choices,
        label="Sort by",
        error_messages=_invalid("Choose how to sort from the list."),
    )

    class Meta:
        model = Programme
        fields: list[str] = []

    def __init__(self, *args, today: date, vocabulary: VocabularySnapshot | None = None, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)
        if vocabulary is not None:
            for name, rows in (
                ("region", vocabulary.regions),
                ("country", vocabulary.countries),
                ("speciality", vocabulary.specialities),
                ("level", vocabulary.levels),
            ):
                self.form.fields[name].lookup = rows

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_duration(self, queryset, name, value):
        return queryset.lasting(*DURATION_WEEKS[value])

    def filter_deadline(self, queryset, name, value):
        return queryset.with_deadline(value, self.today)

    def filter_delivery(self, queryset, name, value):
        return queryset.delivered(value)

    def filter_no_red_flags(self, queryset, name, value):
        return queryset.exclude(legitimacy_signals__state="red_flag")

    def sort_by(self, queryset, name, value):
        if value == Sort.DEADLINE:
            return queryset.by_next_deadline(self.today)
        if value == Sort.DURATION:
            return queryset.by_duration()
        return queryset.order_by(Lower("title"), "pk")

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            # A search on PostgreSQL lists the most relevant first (search_rank, see .search()).
            if "search_rank" in queryset.query.annotations:
                queryset = queryset.order_by("-search_rank", Lower("title"), "pk")
            else:
                queryset = queryset.order_by(Lower("title"), "pk")
        return queryset
