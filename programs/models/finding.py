"""How students find programmes: one condition per filter, and search.

The first layer of `ProgrammeQuerySet` (finding → review → programmes, one module each, so the
models module stays small). Each layer is a `QuerySet` generic over the model, so `self.filter()` and
friends are typed where they are used; a chain rather than mixins, so the `as_manager()` that
django-stubs generates for each layer extends the one below. The `*_q()` builders return plain `Q`
objects because the list page also uses them inside aggregates for facet counts.
"""

import calendar
import json
from collections.abc import Collection, Iterable
from datetime import date, timedelta
from typing import Self

from django.contrib.postgres.search import SearchRank
from django.db import connection, models
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Lower

from .destinations import Country
from .legitimacy import LegitimacySignal
from .search import SearchSynonym
from .search_text import Query, fts_match, parse, pg_query
from .sources import DatedDeadline
from .taxonomy import Speciality, StudyLevel

CLOSING_SOON_DAYS = 30
THREE_MONTHS_DAYS = 91


class FindingQuerySet[M: models.Model](models.QuerySet[M]):
    # Deadlines. A stated month-and-day recurs every year and is never "closed" (it is *expected*
    # again); these mirror programs/decisions/deadlines.py, where a missing day plans for the 1st.

    @staticmethod
    def dated_deadline_q() -> Q:
        """A yearly date as the source states it: a day and month, an approximate day or a month."""
        return Q(deadline_kind__in=["fixed", "approximate"], deadline_month__isnull=False)

    @staticmethod
    def _on_or_after_q(month: int, day: int) -> Q:
        same_month = Q(deadline_day__gte=day)
        if day <= 1:
            same_month |= Q(deadline_day__isnull=True)
        return Q(deadline_month__gt=month) | Q(same_month, deadline_month=month)

    @staticmethod
    def _on_or_before_q(year: int, month: int, day: int) -> Q:
        if day == calendar.monthrange(year, month)[1]:
            # The month's last day: a stated 29 (or 31) falls back to it, so every day counts.
            return Q(deadline_month__lte=month)
        same_month = Q(deadline_day__lte=day) | Q(deadline_day__isnull=True)
        return Q(deadline_month__lt=month) | Q(same_month, deadline_month=month)

    @staticmethod
    def due_within_q(today: date, days: int) -> Q:
        """A yearly date whose next occurrence falls within `days` days of today (a month-only
        deadline counts as due for the whole of its month)."""
        end = today + timedelta(days=days)
        mixin = FindingQuerySet
        after = mixin._on_or_after_q(today.month, today.day)
        before = mixin._on_or_before_q(end.year, end.month, end.day)
        window = (after & before) if end.year == today.year else (after | before)
        this_month = Q(deadline_day__isnull=True, deadline_month=today.month)
        return mixin.dated_deadline_q() & (window | this_month)

    @staticmethod
    def confirmed_q(**dates) -> Q:
        """The programme has a confirmed (dated) deadline matching `dates`, e.g. date__gte=…"""
        return Q(Exists(DatedDeadline.objects.filter(programme=OuterRef("pk"), **dates)))

    @staticmethod
    def _stated_q(state: str, today: date) -> Q:
        """The state from the stated deadline alone (no confirmed dates)."""
        mixin = FindingQuerySet
        dated = mixin.dated_deadline_q()
        not_passed = Q(deadline_month__gt=today.month) | Q(
            Q(deadline_day__isnull=True) | Q(deadline_day__gte=today.day),
            deadline_month=today.month,
        )
        if state == "closing_soon":
            return mixin.due_within_q(today, CLOSING_SOON_DAYS)
        if state == "within_3_months":
            return mixin.due_within_q(today, THREE_MONTHS_DAYS)
        if state == "upcoming":
            return dated & ~mixin.due_within_q(today, CLOSING_SOON_DAYS)
        if state == "passed":
            return Q(pk__in=[])
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

    @staticmethod
    def deadline_q(state: str, today: date) -> Q:
        """The condition for one deadline state or filter option: "closing_soon" (≤ 30 days),
        "within_3_months", "upcoming" (a date more than 30 days ahead), "passed" (a confirmed
        date has passed and none is ahead), "rolling", "varies" (including a season only),
        "unknown"; and, for ordering and the review queue, "open"/"closed" (this calendar year's
        stated date is still ahead / has gone). A confirmed date, when there is one, decides."""
        mixin = FindingQuerySet
        stated = mixin._stated_q(state, today)
        if state in ("open", "closed"):
            return stated
        any_confirmed = mixin.confirmed_q()
        ahead = mixin.confirmed_q(date__gte=today)
        windows = {"closing_soon": CLOSING_SOON_DAYS, "within_3_months": THREE_MONTHS_DAYS}
        if state in windows:
            end = today + timedelta(days=windows[state])
            confirmed = mixin.confirmed_q(date__gte=today, date__lte=end)
        elif state == "upcoming":
            soon = today + timedelta(days=CLOSING_SOON_DAYS)
            confirmed = ahead & ~mixin.confirmed_q(date__gte=today, date__lte=soon)
        elif state == "passed":
            confirmed = any_confirmed & ~ahead
        else:
            confirmed = Q(pk__in=[])
        return confirmed | (~any_confirmed & stated)

    @staticmethod
    def in_calendar_q(today: date) -> Q:
        """A dated deadline ahead, confirmed or expected: what a calendar file can hold (as
        `DeadlineStatus.in_calendar`). A stated day recurs every year; a confirmed date that has
        passed with none later recorded is passed."""
        mixin = FindingQuerySet
        confirmed_ahead = mixin.confirmed_q(date__gte=today)
        return confirmed_ahead | (~mixin.confirmed_q() & mixin.dated_deadline_q())

    def with_deadline(self, state: str, today: date) -> Self:
        return self.filter(self.deadline_q(state, today))

    def open_for_applications(self, today: date) -> Self:
        return self.with_deadline("open", today)

    def by_next_deadline(self, today: date) -> Self:
        """Soonest next deadline first, as `decisions.deadlines` dates it: a confirmed (dated)
        deadline ahead when there is one, else the stated day this year or, once it has gone,
        next year's; then rolling, varies and unknown; ties by title."""
        # Position: years ahead * 1000 + month * 32 + day, a missing day planning for the 1st.
        in_year = models.F("deadline_month") * 32 + Coalesce("deadline_day", models.Value(1))
        ahead = DatedDeadline.objects.filter(programme=OuterRef("pk"), date__gte=today)
        confirmed = models.Subquery(
            ahead.order_by("date").values("date")[:1], output_field=models.DateField()
        )
        confirmed_position = (
            (ExtractYear(confirmed) - today.year) * 1000
            + ExtractMonth(confirmed) * 32
            + ExtractDay(confirmed)
        )
        order = models.Case(
            models.When(Exists(ahead), then=confirmed_position),
            models.When(self.deadline_q("open", today), then=in_year),
            models.When(self.deadline_q("closed", today), then=in_year + 1000),
            models.When(self.deadline_q("rolling", today), then=models.Value(100_000)),
            models.When(self.deadline_q("varies", today), then=models.Value(100_001)),
            default=models.Value(100_002),
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
