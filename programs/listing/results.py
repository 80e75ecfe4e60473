"""The check the database does not make (an all-in estimate within a budget), made in Python by
`programs.listing.query.ListQuery` over every programme a result or a facet count may include, so
that the results and the counts apply it the same way (as `ProgrammeQuerySet.among_q()`)."""

from __future__ import annotations

from decimal import Decimal
from functools import reduce
from operator import and_, or_

from django.db.models import Q

from programs.decisions import costs
from programs.decisions.profile import EstimateChoice
from programs.listing.filters import FACET_GROUPS
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


def estimate_for(
    programme: Programme,
    choice: EstimateChoice,
    benchmarks: tuple[CostBenchmark, ...],
    rates: costs.Rates,
) -> costs.Estimate:
    """The estimate a card shows, for the student's weeks, currency and pay when given."""
    return costs.estimate(
        programme, choice.weeks, choice.currency, benchmarks, rates, with_pay=choice.with_pay
    )


def within_budget(estimate: costs.Estimate, budget: Decimal | int) -> bool:
    """In the estimate's currency: kept unless its lowest figure is over the budget; one whose fee
    or length is not stated is kept and marked on its card (costs.budget_fit), never passed or
    dropped silently."""
    return costs.budget_fit(estimate, budget).kept
