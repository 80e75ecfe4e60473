"""The public list's filters (their facet counts are in programs/listing/facets.py).

Parameter names are a public contract (bookmarks and the home page link to them):
q, region, country, type, speciality, level, pay, duration, deadline, delivery, no_red_flags, sort
(sort=cost is applied by the view, which computes the estimates).
A lookup value is checked for shape before it reaches the database (so a NUL byte or a
50,000-character slug is a form error, not a 500); an invalid value is reported and ignored while
the other filters still apply.

Each filter is one condition (`conditions()`, built from the `*_q()` methods of
programs/models/finding.py); the results apply them all, and each facet count applies all but its
own group's (programs/listing/facets.py), so the two can never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import cached_property
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django_filters import fields as filter_fields

from programs.listing.choices import (
    DURATION_WEEKS,
    DeadlineChoice,
    DeliveryChoice,
    DurationBucket,
    Sort,
)
from programs.models import (
    Country,
    Programme,
    ProgrammeQuerySet,
    Region,
    SearchSynonym,
    Speciality,
    StudyLevel,
    Vocabulary,
)
from programs.models.search_text import Phrase, Query, parse

# The filters that have facet counts (programs/listing/facets.py), by parameter name.
FACET_GROUPS = (
    "region",
    "country",
    "type",
    "speciality",
    "level",
    "pay",
    "duration",
    "deadline",
    "delivery",
)
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
COUNTRY_CODE = re.compile(r"[A-Z]{2}")


# Fields that check a lookup's shape before anything else sees it, then find the row in the
# page's vocabulary (programs/models/vocabulary.py) when the filter set was given one, else in the
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
    # Several types at once (type=a&type=b); a single type=x, as older links have it, still works.
    type = django_filters.MultipleChoiceFilter(
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
        choices=DurationBucket.choices,
        label="Length",
        error_messages=_invalid("Choose a length from the list."),
    )
    deadline = django_filters.ChoiceFilter(
        choices=DeadlineChoice.choices,
        label="Application deadline",
        error_messages=_invalid(
            "Choose due within a month or three months, rolling, varies or not stated."
        ),
    )
    delivery = django_filters.ChoiceFilter(
        choices=DeliveryChoice.choices,
        label="In person or virtual",
        error_messages=_invalid("Choose in person or virtual."),
    )
    no_red_flags = django_filters.ChoiceFilter(
        choices=[("1", "Hide programmes with a red flag recorded")],
        label="Recorded red flags",
        error_messages=_invalid("Use no_red_flags=1 to hide programmes with a recorded red flag."),
    )
    sort = django_filters.ChoiceFilter(
        choices=Sort.choices,
        label="Sort by",
        error_messages=_invalid("Choose how to sort from the list."),
    )

    class Meta:
        model = Programme
        fields: list[str] = []

    def __init__(self, *args, today: date, vocabulary: Vocabulary | None = None, **kwargs):
        self.today, self.vocabulary = today, vocabulary
        super().__init__(*args, **kwargs)
        if vocabulary is not None:
            for name, rows in (
                ("region", vocabulary.regions),
                ("country", vocabulary.countries),
                ("speciality", vocabulary.specialities),
                ("level", vocabulary.levels),
            ):
                self.form.fields[name].lookup = rows

    @cached_property
    def synonyms(self) -> dict[Phrase, list[Phrase]]:
        """The search synonyms: the vocabulary's, or read now (one query) without one."""
        if self.vocabulary is not None:
            return self.vocabulary.synonyms
        return SearchSynonym.objects.as_map()

    @cached_property
    def search_query(self) -> Query | None:
        """The search box's text, read with the synonyms, or None."""
        self.is_valid()
        text = self.form.cleaned_data.get("q")
        return parse(text, self.synonyms) if text else None

    def conditions(self) -> dict[str, Q]:
        """One condition per valid, active filter (facet groups by their parameter's name)."""
        self.is_valid()
        cleaned, found = self.form.cleaned_data, {}
        for name, build in CONDITIONS.items():
            value = cleaned.get(name)
            if isinstance(value, QuerySet):
                value = list(value)  # an empty multiple choice cleans to .none()
            if value:
                found[name] = build(value)
        if cleaned.get("deadline"):
            found["deadline"] = ProgrammeQuerySet.deadline_q(cleaned["deadline"], self.today)
        if self.search_query is not None:
            found["q"] = ProgrammeQuerySet.search_q(self.search_query)
        if cleaned.get("no_red_flags"):
            found["no_red_flags"] = ProgrammeQuerySet.no_red_flags_q()
        return found

    def filter_queryset(self, queryset):
        queryset = queryset.filter(*self.conditions().values())
        sort = self.form.cleaned_data.get("sort")
        if self.search_query is not None:
            queryset = queryset.ranked(self.search_query)
        if sort == Sort.DEADLINE:
            return queryset.by_next_deadline(self.today)
        if sort == Sort.DURATION:
            return queryset.by_duration()
        if not sort and self.search_query is not None:
            # A search lists the most relevant first.
            return queryset.order_by("-search_rank", Lower("title"), "pk")
        return queryset.order_by(Lower("title"), "pk")


def _slugs(rows) -> list[str]:
    return [row.slug for row in rows]


# Each filter with a list of options as one condition on programmes, from its cleaned value.
CONDITIONS: dict[str, Callable[[Any], Q]] = {
    "region": lambda region: ProgrammeQuerySet.in_regions_q([region.slug]),
    "country": lambda country: ProgrammeQuerySet.in_countries_q([country.code]),
    "type": ProgrammeQuerySet.of_types_q,
    "speciality": lambda rows: ProgrammeQuerySet.with_specialities_q(_slugs(rows)),
    "level": lambda rows: ProgrammeQuerySet.for_levels_q(_slugs(rows)),
    "pay": ProgrammeQuerySet.paying_q,
    "duration": lambda value: ProgrammeQuerySet.lasting_q(*DURATION_WEEKS[value]),
    "delivery": ProgrammeQuerySet.delivered_q,
}
