"""How students find programmes: one condition per filter, and search.

The first layer of `ProgrammeQuerySet` (finding → review → programmes, one module each, so the
models module stays small). Each layer is a `QuerySet` generic over the model, so `self.filter()` and
friends are typed where they are used; a chain rather than mixins, so the `as_manager()` that
django-stubs generates for each layer extends the one below. The `*_q()` builders return plain `Q`
objects because the list page also uses them inside aggregates for facet counts.
"""

import json
from collections.abc import Collection, Iterable
from datetime import date
from typing import Self

from django.contrib.postgres.search import SearchRank
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower

from .destinations import Country
from .legitimacy import LegitimacySignal
from .search import SearchSynonym
from .search_text import Query, fts_match, parse, pg_query
from .taxonomy import Speciality, StudyLevel


class FindingQuerySet[M: models.Model](models.QuerySet[M]):
    # Deadlines. A month-and-day deadline recurs every year; these mirror programs/deadlines.py.

    @staticmethod
    def dated_deadline_q() -> Q:
        """A yearly date: fixed, or approximate with at least a month."""
        return Q(deadline_kind__in=["fixed", "approximate"], deadline_month__isnull=False)

    @staticmethod
    def deadline_q(state: str, today: date) -> Q:
        """The condition for one deadline state ("open", "closed", "rolling", "varies", "unknown").

        A missing day means the month's last day, so any day of the current month still counts as
        open; 29 February needs no special case because in other years today is never the 29th.
        """
        not_passed = Q(deadline_month__gt=today.month) | Q(
            Q(deadline_day__isnull=True) | Q(deadline_day__gte=today.day),
            deadline_month=today.month,
        )
        dated = FindingQuerySet.dated_deadline_q()
        if state == "open":
            return dated & not_passed
        if state == "closed":
            return dated & ~not_passed
        if state == "rolling":
            return Q(deadline_kind="rolling")
        if state == "varies":
            return Q(deadline_kind="varies") | Q(
                deadline_kind="approximate", deadline_month__isnull=True
            )
        if state == "unknown":
            return Q(deadline_kind="unknown")
        raise ValueError(f"Unknown deadline state {state!r}")

    def with_deadline(self, state: str, today: date) -> Self:
        return self.filter(self.deadline_q(state, today))

    def open_for_applications(self, today: date) -> Self:
        return self.with_deadline("open", today)

    def by_next_deadline(self, today: date) -> Self:
        """Soonest upcoming deadline first (this year's, then next year's), then rolling,
        varies and unknown; ties by title."""
        # Position in the year: month * 32 + day, with a missing day at the month's end.
        in_year = models.F("deadline_month") * 32 + Coalesce("deadline_day", models.Value(31))
        order = models.Case(
            models.When(self.deadline_q("open", today), then=in_year),
            models.When(self.deadline_q("closed", today), then=in_year + 1000),
            models.When(self.deadline_q("rolling", today), then=models.Value(2000)),
            models.When(self.deadline_q("varies", today), then=models.Value(3000)),
            default=models.Value(4000),
            output_field=models.IntegerField(),
        )
        return self.annotate(deadline_order=order).order_by("deadline_order", Lower("title"), "pk")

    # Durations. A single figure ("~8 weeks") may be stored in either bound.

    @staticmethod
    def lasting_q(low: int | None, high: int | None) -> Q:
        """Programmes whose [min, max] weeks overlap [low, high]; unknown durations never match."""
        condition = Q(duration_min_weeks__isnull=False) | Q(duration_max_weeks__isnull=False)
        if high is not None:
            condition &= Q(duration_min_weeks__lte=high) | Q(
                duration_min_weeks__isnull=True, duration_max_weeks__lte=high
            )
        if low is not None:
            condition &= Q(duration_max_weeks__gte=low) | Q(
                duration_max_weeks__isnull=True, duration_min_weeks__gte=low
            )
        return condition

    def lasting(self, low: int | None, high: int | None) -> Self:
        return self.filter(self.lasting_q(low, high))

    def by_duration(self) -> Self:
        """Shortest first, unknown durations last."""
        shortest = Coalesce("duration_min_weeks", "duration_max_weeks")
        longest = Coalesce("duration_max_weeks", "duration_min_weeks")
        return self.order_by(
            shortest.asc(nulls_last=True), longest.asc(nulls_last=True), Lower("title"), "pk"
        )

    @staticmethod
    def delivered_q(mode: str) -> Q:
        """In person or virtual; hybrid programmes offer both."""
        return Q(delivery__in=[mode, "hybrid"])

    def delivered(self, mode: str) -> Self:
        return self.filter(self.delivered_q(mode))

    # The filters with a list of options, each one condition whatever else applies: the list,
    # its facet counts, the exports and the calendar feed all filter with these.

    @staticmethod
    def of_types_q(values: Iterable[str]) -> Q:
        return Q(programme_type__in=list(values))

    @staticmethod
    def paying_q(values: Iterable[str]) -> Q:
        return Q(pay__in=list(values))

    @staticmethod
    def in_countries_q(codes: Iterable[str]) -> Q:
        link = Country.programmes.through.objects
        return Q(Exists(link.filter(programme_id=OuterRef("pk"), country__code__in=list(codes))))

    @staticmethod
    def in_regions_q(slugs: Iterable[str]) -> Q:
        link = Country.programmes.through.objects.filter(
            programme_id=OuterRef("pk"), country__region__slug__in=list(slugs)
        )
        return Q(Exists(link))

    @staticmethod
    def with_specialities_q(slugs: Iterable[str]) -> Q:
        link = Speciality.programmes.through.objects
        return Q(Exists(link.filter(programme_id=OuterRef("pk"), speciality__slug__in=list(slugs))))

    @staticmethod
    def for_levels_q(slugs: Iterable[str]) -> Q:
        link = StudyLevel.programmes.through.objects
        return Q(Exists(link.filter(programme_id=OuterRef("pk"), studylevel__slug__in=list(slugs))))

    @staticmethod
    def no_red_flags_q() -> Q:
        flags = LegitimacySignal.objects.filter(
            programme_id=OuterRef("pk"), state=LegitimacySignal.State.RED_FLAG
        )
        return ~Q(Exists(flags))

    @staticmethod
    def among_q(pks: Collection[int]) -> Q:
        """Programmes whose primary key is in `pks`, as one bound value whatever its length (for
        the checks done in Python: eligibility for a profile, a budget)."""
        if connection.vendor == "postgresql":
            rows = RawSQL("SELECT unnest(%s::bigint[])", [list(pks)])
        else:
            rows = RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(pks))])
        return Q(pk__in=rows)

    # Search (programs/models/search_text.py): whole words over the stored document.

    @staticmethod
    def search_q(query: Query) -> Q:
        """Programmes whose document matches every required group of `query`."""
        if connection.vendor == "postgresql":
            tsquery = pg_query(query)
            return Q(search_document=tsquery) if tsquery is not None else Q()
        required, excluded = fts_match(query)
        condition = Q()
        if required:
            condition &= Q(pk__in=RawSQL(_FTS_IDS, [required]))  # noqa: S611 (bound)
        for expression in excluded:
            condition &= ~Q(pk__in=RawSQL(_FTS_IDS, [expression]))  # noqa: S611
        return condition

    def ranked(self, query: Query) -> Self:
        """`search_rank` annotated: higher is more relevant (title words count most)."""
        if connection.vendor == "postgresql":
            tsquery = pg_query(query)
            rank: models.Expression = (
                SearchRank(models.F("search_document"), tsquery) if tsquery else Value(0.0)
            )
            return self.annotate(search_rank=rank)
        required, _ = fts_match(query)
        if not required:
            return self.annotate(search_rank=Value(0.0))
        rank = RawSQL(_FTS_RANK, [required], output_field=models.FloatField())  # noqa: S611 (bound)
        return self.annotate(search_rank=rank)

    def search(self, text: str) -> Self:
        """Programmes matching a search box's text, most relevant first."""
        query = parse(text, SearchSynonym.objects.as_map())
        return self.filter(self.search_q(query)).ranked(query).order_by("-search_rank", "pk")


# SQLite's FTS5 table (programs/models/search_text.py: FTS_TABLE, and FTS_WEIGHTS for the
# title, places, topics and summary columns). bm25 is lower for better matches.
_FTS_IDS = "SELECT rowid FROM programs_programme_fts WHERE programs_programme_fts MATCH %s"
# The rank runs the match once per query: the MATERIALIZED table of (rowid, rank) is built once
# (the CTE is not correlated) and each programme looks its rank up through an automatic index.
# Without MATERIALIZED, SQLite flattens the CTE into the correlated subquery and runs the whole
# match again for every row (1.35 s instead of 28 ms for "paediatrics" at 2,000 programmes).
_FTS_RANK = (
    "WITH ranks AS MATERIALIZED ("
    "SELECT rowid AS id, -bm25(programs_programme_fts, 10.0, 4.0, 2.0, 1.0) AS rank "
    "FROM programs_programme_fts WHERE programs_programme_fts MATCH %s"
    ") SELECT rank FROM ranks WHERE ranks.id = programs_programme.id"
)
