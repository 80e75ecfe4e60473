"""The checks the database cannot make (eligibility for a student's profile, an all-in estimate
within a budget), made in Python over every programme a result or a facet count may include, so
that the results and the counts apply them the same way (as `ProgrammeQuerySet.among_q()`)."""

from __future__ import annotations

from decimal import Decimal
from functools import reduce
from operator import and_, or_

from django.db.models import Q, QuerySet

from programs.decisions import costs
from programs.decisions.matching import Profile, match, rules_prefetch
from programs.listing.filters import FACET_GROUPS, ProgrammeFilter
from programs.models import CostBenchmark, Programme


def counted_q(conditions: dict[str, Q]) -> Q:
    """Programmes some facet count may count: every condition holds, but for at most one facet
    group's (each count leaves out its own group)."""
    grouped = [name for name in conditions if name in FACET_GROUPS]
    fixed = [c for name, c in conditions.items() if name not in FACET_GROUPS]
    if len(grouped) >= 2:
        fixed.append(
            reduce(
                or_,
                (
                    reduce(and_, (conditions[other] for other in grouped if other != left_out))
                    for left_out in grouped
                ),
            )
        )
    return reduce(and_, fixed, Q())


def sorted_by_cost(
    found: QuerySet, benchmarks: tuple[CostBenchmark, ...], rates: costs.Rates
) -> list[Programme]:
    """Every result, cheapest estimate first; estimates that leave out a fee the source does not
    state sort after complete ones."""
    estimates = {p: costs.estimate(p, None, "EUR", benchmarks, rates) for p in found}

    def cost_order(programme: Programme) -> tuple[bool, Decimal, Decimal]:
        estimate = estimates[programme]
        return bool(estimate.missing), estimate.low, estimate.high

    return sorted(estimates, key=cost_order)


def kept_by_checks(
    filterset: ProgrammeFilter,
    programmes: QuerySet,
    profile: Profile,
    eligible_only: bool,
    budget: Decimal | int | None,
    benchmarks: tuple[CostBenchmark, ...],
    rates: costs.Rates,
) -> list[int] | None:
    """The primary keys the Python checks keep among the programmes any count may include, or
    None when no such check is asked for (a fixed number of queries)."""
    eligible_only = eligible_only and not profile.is_empty
    if not eligible_only and budget is None:
        return None
    rows = list(
        programmes.filter(counted_q(filterset.conditions()))
        .select_related("source_guide")
        .prefetch_related("costs", "countries", rules_prefetch(), "disciplines")
    )
    if eligible_only:
        rows = [p for p in rows if match(p, profile).may_apply]
    if budget is not None:
        rows = [p for p in rows if costs.estimate(p, None, "EUR", benchmarks, rates).low <= budget]
    return [p.pk for p in rows]
