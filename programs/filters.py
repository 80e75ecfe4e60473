"""The public list's filters, and the facet counts shown beside each option.

Parameter names are a public contract (bookmarks and the home page link to them):
q, region, country, type, speciality, level, pay, duration, deadline, delivery, no_red_flags, sort
(sort=cost is applied by the view, which computes the estimates).
A lookup value is checked for shape before it reaches the database (so a NUL byte or a
50,000-character slug is a form error, not a 500); an invalid value is reported and ignored while
the other filters still apply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import django_filters
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django_filters import fields as filter_fields

from programs import deadlines
from programs.models import (
    Country,
    Programme,
    ProgrammeQuerySet,
    Region,
    Speciality,
    StudyLevel,
)

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
COUNTRY_CODE = re.compile(r"[A-Z]{2}")


class DurationBucket(models.TextChoices):
    UP_TO_4 = "up-to-4", "Up to 4 weeks"
    FROM_4_TO_8 = "4-to-8", "4 to 8 weeks"
    FROM_8 = "8-plus", "8 weeks or more"


# Inclusive week ranges; a programme matches when its own [min, max] overlaps.
DURATION_WEEKS: dict[str, tuple[int | None, int | None]] = {
    DurationBucket.UP_TO_4: (None, 4),
    DurationBucket.FROM_4_TO_8: (4, 8),
    DurationBucket.FROM_8: (8, None),
}


class DeadlineChoice(models.TextChoices):
    OPEN = deadlines.OPEN, "Open now"
    ROLLING = deadlines.ROLLING, "Rolling (apply any time ahead)"
    CLOSED = deadlines.CLOSED, "Closed this year"


class DeliveryChoice(models.TextChoices):
    IN_PERSON = Programme.Delivery.IN_PERSON, "In person"
    VIRTUAL = Programme.Delivery.VIRTUAL, "Virtual"


class Sort(models.TextChoices):
    NAME = "name", "Name (A–Z)"
    DEADLINE = "deadline", "Next deadline"
    DURATION = "duration", "Shortest first"
    COST = "cost", "Lowest estimated all-in cost"


# Fields that check a lookup's shape before the database sees it.


def _check_shape(value: object, pattern: re.Pattern, message: str) -> None:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise ValidationError(message, code="invalid_choice")


class SlugChoiceField(filter_fields.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            _check_shape(value, SLUG, self.error_messages["invalid_choice"])
        return super().to_python(value)


class SlugMultipleChoiceField(filter_fields.ModelMultipleChoiceField):
    def _check_values(self, value):
        for item in value:
            _check_shape(item, SLUG, self.error_messages["invalid_choice"])
        return super()._check_values(value)


class CountryCodeField(filter_fields.ModelChoiceField):
    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().upper()
        if value not in self.empty_values:
            _check_shape(value, COUNTRY_CODE, self.error_messages["invalid_choice"])
        return super().to_python(value)


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
        error_messages=_invalid("Choose open, rolling or closed for the deadline."),
    )
    delivery = django_filters.ChoiceFilter(
        method="filter_delivery",
        choices=DeliveryChoice.choices,
        label="In person or virtual",
        error_messages=_invalid("Choose in person or virtual."),
    )
    no_red_flags = django_filters.ChoiceFilter(
        method="filter_no_red_flags",
        choices=[("1", "No red flags reported")],
        label="Legitimacy",
        error_messages=_invalid("Use no_red_flags=1 to keep programmes with no red flags."),
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

    def __init__(self, *args, today: date, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

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

    def without(self, name: str | None):
        """The results with every valid filter applied except `name` (and unsorted): the base a
        facet counts over, so each option shows what choosing it would give."""
        self.is_valid()  # cleaned_data then holds the valid filters; invalid ones are ignored
        queryset = self.queryset.all()
        for key, value in self.form.cleaned_data.items():
            if key not in (name, "sort"):
                queryset = self.filters[key].filter(queryset, value)
        return queryset.order_by()


# Facets: every option of every filter with its count, in a fixed number of queries.


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    selected: bool = False


def related_counts(model: type[models.Model], path: str, base) -> models.QuerySet:
    """`model` rows annotated with how many programmes of `base` reach them through `path`."""
    return model.objects.annotate(
        n=Count(path, filter=Q(**{f"{path}__in": base.values("pk")}), distinct=True)
    )


SCALAR_FACETS = ("type", "pay", "duration", "deadline", "delivery")


def _scalar_conditions(name: str, today: date) -> dict[str, Q]:
    if name == "type":
        return {value: Q(programme_type=value) for value in Programme.Type.values}
    if name == "pay":
        return {value: Q(pay=value) for value in Programme.Pay.values}
    if name == "duration":
        return {k: ProgrammeQuerySet.lasting_q(*weeks) for k, weeks in DURATION_WEEKS.items()}
    if name == "deadline":
        return {k: ProgrammeQuerySet.deadline_q(k, today) for k in DeadlineChoice.values}
    return {k: ProgrammeQuerySet.delivered_q(k) for k in DeliveryChoice.values}


def facets(filterset: ProgrammeFilter) -> dict[str, list[Option]]:
    """Five queries: one aggregate for the choice filters and one per related vocabulary.
    Each count applies every other active filter but not its own."""
    data = filterset.data
    chosen = {name: set(data.getlist(name)) for name in filterset.filters}
    choices = {
        "type": Programme.Type.choices,
        "pay": Programme.Pay.choices,
        "duration": DurationBucket.choices,
        "deadline": DeadlineChoice.choices,
        "delivery": DeliveryChoice.choices,
    }
    # Facets whose own filter is not in use all count over the filtered results, in one query
    # with conditional counts (no subqueries: fast at 100,000 rows); each facet in use counts
    # over the results without itself, one query each.
    filterset.is_valid()
    bases: dict[str | None, list[str]] = {}
    for name in SCALAR_FACETS:
        bases.setdefault(name if filterset.form.cleaned_data.get(name) else None, []).append(name)
    counts: dict[str, int] = {}
    for own, names in bases.items():
        aggregates = {
            f"{name}__{value}": Count("pk", filter=condition)
            for name in names
            for value, condition in _scalar_conditions(name, filterset.today).items()
        }
        counts.update(filterset.without(own).aggregate(**aggregates))
    result = {
        name: [
            Option(str(value), str(label), counts[f"{name}__{value}"], value in chosen[name])
            for value, label in choices[name]
        ]
        for name in SCALAR_FACETS
    }
    related = {
        "region": (Region, "countries__programmes", "slug"),
        "country": (Country, "programmes", "code"),
        "speciality": (Speciality, "programmes", "slug"),
        "level": (StudyLevel, "programmes", "slug"),
    }
    for name, (model, path, key) in related.items():
        rows = related_counts(model, path, filterset.without(name))
        wanted = {value.strip().upper() for value in chosen[name]} if name == "country" else None
        result[name] = [
            Option(
                getattr(row, key),
                row.name,
                row.n,
                getattr(row, key) in (wanted if wanted is not None else chosen[name]),
            )
            for row in rows
        ]
    result["no_red_flags"] = [
        Option("1", "No red flags reported", 0, "1" in chosen["no_red_flags"])
    ]
    result["sort"] = [
        Option(value, str(label), 0, value in chosen["sort"]) for value, label in Sort.choices
    ]
    return result
