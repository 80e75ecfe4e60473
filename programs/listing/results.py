"""The checks the database cannot make (eligibility for a student's profile, an all-in estimate
within a budget), made in Python over every programme a result or a facet count may include, so
that the results and the counts apply them the same way (as `ProgrammeQuerySet.among_q()`)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import and_, or_

from django.db.models import Q, QuerySet

from programs.decisions import costs
from programs.decisions.matching import Profile, match
from programs.decisions.profile import EstimateChoice
from programs.listing.filters import FACET_GROUPS, ProgrammeFilter
from programs.models import CostBenchmark, Programme, ProgrammeQuerySet


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


@dataclass(frozen=True)
class Checked:
    """The programmes the Python checks kept, by primary key, with what they worked out on the
    way, so that ordering the results does not work it out again."""

    severity: dict[int, int]  # each kept programme's verdict severity (0 without a profile check)
    estimates: dict[int, costs.Estimate]  # each kept programme's estimate, when a budget applies


def in_order(
    found: QuerySet,
    *,
    by_cost: bool,
    eligible_first: bool,
    checked: Checked | None,
    choice: EstimateChoice,
    benchmarks: tuple[CostBenchmark, ...],
    rates: costs.Rates,
) -> QuerySet | list[Programme]:
    """The results as the database orders them, or, sorted by cost (low end, then high end, as
    the cards show them; no estimate last) and with "eligible only" (Eligible before Check, each
    group in that order; `checked` holds the verdicts), a list ordered in Python."""
    if not by_cost and not eligible_first:
        return found
    rows = list(found)
    if by_cost:
        known = checked.estimates if checked is not None else {}
        estimates = {
            p.pk: known.get(p.pk) or estimate_for(p, choice, benchmarks, rates) for p in rows
        }
        rows.sort(key=lambda p: estimates[p.pk].sort_key())
    if eligible_first and checked is not None:
        rows.sort(key=lambda p: checked.severity[p.pk])
    return rows


def kept_by_checks(
    filterset: ProgrammeFilter,
    programmes: ProgrammeQuerySet,
    profile: Profile,
    eligible_only: bool,
    budget: Decimal | int | None,
    choice: EstimateChoice,
    benchmarks: tuple[CostBenchmark, ...],
    rates: costs.Rates,
) -> Checked | None:
    """What the Python checks keep among the programmes any count may include, or None when no
    such check is asked for (a fixed number of queries)."""
    eligible_only = eligible_only and not profile.is_empty
    if not eligible_only and budget is None:
        return None
    rows = list(
        programmes.filter(counted_q(filterset.conditions()))
        .for_cards()
        .select_related("source_guide")
        .prefetch_related("disciplines")
    )
    severity = dict.fromkeys((p.pk for p in rows), 0)
    if eligible_only:
        verdicts = {p.pk: match(p, profile) for p in rows}
        severity = {pk: v.severity for pk, v in verdicts.items() if v.may_apply}
    estimates: dict[int, costs.Estimate] = {}
    if budget is not None:
        estimates = {
            p.pk: estimate
            for p in rows
            if p.pk in severity
            and within_budget(estimate := estimate_for(p, choice, benchmarks, rates), budget)
        }
        severity = {pk: severity[pk] for pk in estimates}
    return Checked(severity, estimates)
