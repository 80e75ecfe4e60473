"""The all-in estimate's total, worked out by the database, so the budget filter and the cost sort
are SQL.

`programs.decisions.costs.estimate()` stays the one place that writes an estimate, with its lines,
notes and sources; it runs for the cards a page shows. This module restates its total for every
programme at once, from the rows it reads (the programme's length, delivery and pay, its costs,
its residence rules) and the page's benchmarks and exchange rates:

- the weeks (`costs.weeks_within`): the student's, kept inside the programme's stated length, or
  its shortest length; no length and no weeks: no estimate (never within a budget, last by cost);
- each cost line as `costs._line()` makes it: the figure for its period (hourly or no figure: left
  out), converted at the adviser's rates (no rate: left out) and rounded outwards to its step, or,
  unconverted, rounded to a whole unit;
- the guide's benchmark lines, which depend only on the weeks, the currency and whether travel is
  counted: worked out by `costs._line()` itself for every length in play and looked up by weeks
  (none for virtual places, only the non-travel ones where places are for one area's residents);
- the pay the student chose to count taken off, and the total rounded outwards (`round_out`).

One correlated subquery per figure, in layers (derived tables) so each value is written once.
Nothing is stored, so nothing goes stale: an edited cost or exchange rate counts at once.
tests/test_budget_in_sql.py proves the totals equal `estimate()`'s over generated costs, weeks,
currencies and pay choices, and on the real directory.
"""

# The SQL below is built from our own constants only; every value is a bound parameter.
# ruff: noqa: S608
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import DecimalField, F, IntegerField, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual

from programs.decisions import costs
from programs.decisions.profile import EstimateChoice
from programs.models import CostBenchmark

MONEY = DecimalField(max_digits=30, decimal_places=10)
FEES = ("programme_fee", "application_fee")
MAX_WEEKS = 52  # the most weeks a student may ask for (EstimateForm)
P = "programs_programme"


def _floor_step(value: str) -> str:
    """`costs.round_out`'s lower end: down to 10 under 1,000, 50 under 10,000, else 100."""
    return (
        f"(CASE WHEN {value} < 1000 THEN FLOOR({value} / 10.0) * 10 "
        f"WHEN {value} < 10000 THEN FLOOR({value} / 50.0) * 50 "
        f"ELSE FLOOR({value} / 100.0) * 100 END)"
    )


def _ceil_step(value: str) -> str:
    return (
        f"(CASE WHEN {value} < 1000 THEN CEILING({value} / 10.0) * 10 "
        f"WHEN {value} < 10000 THEN CEILING({value} / 50.0) * 50 "
        f"ELSE CEILING({value} / 100.0) * 100 END)"
    )


def _weeks(choice: EstimateChoice) -> tuple[str, list[object]]:
    """`costs.weeks_within()` over the outer programme's columns (NULL: no estimate)."""
    low = f'COALESCE({P}."duration_min_weeks", {P}."duration_max_weeks")'
    high = f'COALESCE({P}."duration_max_weeks", {P}."duration_min_weeks")'
    if choice.weeks is None:
        return low, []
    asked = "CAST(%s AS INTEGER)"
    clamped = (
        f"(CASE WHEN {asked} < {low} THEN {low} WHEN {asked} > {high} THEN {high} ELSE {asked} END)"
    )
    return f"(CASE WHEN {low} IS NULL THEN {asked} ELSE {clamped} END)", [choice.weeks] * 4


def _benchmark_totals(
    benchmarks: Iterable[CostBenchmark],
    kinds: Iterable[str],
    choice: EstimateChoice,
    rates: costs.Rates,
    longest: int,
) -> dict[int, tuple[Decimal, Decimal]]:
    """The benchmark lines' low and high sums for every number of weeks, by `costs._line()`."""
    by_kind = {b.kind: b for b in benchmarks}
    totals: dict[int, tuple[Decimal, Decimal]] = {}
    for weeks in range(1, longest + 1):
        low = high = Decimal(0)
        for kind in kinds:
            benchmark = by_kind.get(kind)
            if benchmark is None:
                continue
            line = costs._line("", benchmark, weeks, choice.currency, rates, "")
            if line.low is not None and line.high is not None:
                low, high = low + line.low, high + line.high
        totals[weeks] = (low, high)
    return totals


def _lookup(
    weeks: str, totals: dict[int, tuple[Decimal, Decimal]], end: int
) -> tuple[str, list[object]]:
    """A CASE over the weeks giving one end (0: low, 1: high) of the benchmarks' sum."""
    figures = sorted({pair[end] for pair in totals.values()})
    if len(figures) == 1:
        return "CAST(%s AS NUMERIC)", [str(figures[0])]
    sql, params = [f"(CASE {weeks}"], []
    for count, pair in totals.items():
        sql.append("WHEN %s THEN CAST(%s AS NUMERIC)")
        params += [count, str(pair[end])]
    sql.append("ELSE 0 END)")
    return " ".join(sql), params


def _sql(
    choice: EstimateChoice,
    benchmarks: tuple[CostBenchmark, ...],
    rates: costs.Rates,
    longest: int,
    end: int,
) -> tuple[str, list[object]]:
    """One end (0: low, 1: high) of the estimate's total, as a correlated scalar subquery."""
    weeks, weeks_params = _weeks(choice)
    target = rates.by_currency.get(choice.currency)
    rate_cases = " ".join("WHEN %s THEN CAST(%s AS NUMERIC)" for _ in rates.by_currency)
    rate_params: list[object] = []
    for code, rate in rates.by_currency.items():
        rate_params += [code, str(rate.per_eur)]
    # Typed even when no rate is known: PostgreSQL takes a bare NULL in a subquery for text.
    rate_sql = (
        f"(CASE c.currency {rate_cases} ELSE NULL END)" if rate_params else "CAST(NULL AS NUMERIC)"
    )
    factor = (
        f"(CASE c.period WHEN 'one_off' THEN 1 WHEN 'per_week' THEN {weeks} "
        f"WHEN 'per_month' THEN {weeks} * 12.0 / 52.0 "
        f"WHEN 'per_year' THEN {weeks} / 52.0 ELSE NULL END)"
    )
    # Each cost's figures for the weeks, in its own currency.
    raw = (
        f"SELECT c.kind AS kind, c.currency AS cur, {rate_sql} AS rate, "
        f"c.amount_min * {factor} AS lo, COALESCE(c.amount_max, c.amount_min) * {factor} AS hi "
        f'FROM programs_cost c WHERE c.programme_id = {P}."id" AND c.amount_min IS NOT NULL'
    )
    # The weeks appear three times in each of the two factors.
    params: list[object] = [*rate_params, *(weeks_params * 6)]
    # In the estimate's currency, before rounding (six decimals: SQLite counts in floating point).
    to = "CAST(%s AS NUMERIC)"
    converted = (
        "SELECT kind, (cur <> %s AND hi <> 0) AS conv, "
        f"CASE WHEN cur = %s THEN lo ELSE ROUND(lo * 1.0 / rate * {to}, 6) END AS lo, "
        f"CASE WHEN cur = %s THEN hi ELSE ROUND(hi * 1.0 / rate * {to}, 6) END AS hi "
        f"FROM ({raw}) r WHERE lo IS NOT NULL AND (cur = %s OR (rate IS NOT NULL AND {to} IS NOT NULL))"
    )
    to_rate = str(target.per_eur) if target is not None else None
    params = [
        choice.currency,
        choice.currency,
        to_rate,
        choice.currency,
        to_rate,
        *params,
        choice.currency,
        to_rate,
    ]
    # Rounded as a line is: outwards when converted, else to a whole unit (half up).
    rounded = (
        f"SELECT kind, CASE WHEN conv THEN {_floor_step('lo')} ELSE FLOOR(lo + 0.5) END AS lo, "
        f"CASE WHEN conv THEN {_ceil_step('hi')} ELSE FLOOR(hi + 0.5) END AS hi FROM ({converted}) v"
    )
    fees = ", ".join(f"'{kind}'" for kind in FEES)
    pays = ", ".join(f"'{kind}'" for kind in costs.PAY_KINDS)
    summed = (
        f"SELECT COALESCE(SUM(CASE WHEN kind IN ({fees}) THEN {'lo' if end == 0 else 'hi'} END), 0) AS fees, "
        f"COALESCE(SUM(CASE WHEN kind IN ({pays}) THEN hi END), 0) AS pay FROM ({rounded}) w"
    )
    # The benchmarks: none for virtual places, the non-travel ones for local residents only.
    everything = _benchmark_totals(benchmarks, costs.BENCHMARK_KINDS, choice, rates, longest)
    travel_free = [k for k in costs.BENCHMARK_KINDS if k not in costs.TRAVEL_KINDS]
    local = _benchmark_totals(benchmarks, travel_free, choice, rates, longest)
    all_sql, all_params = _lookup(weeks, everything, end)
    local_sql, local_params = _lookup(weeks, local, end)
    local_area = (
        "EXISTS (SELECT 1 FROM programs_eligibilityrule e WHERE e.programme_id = "
        f"{P}.\"id\" AND e.kind = 'residency' AND e.applies_to <> 'virtual' AND e.residency_area <> '')"
    )
    typical = (
        f"(CASE WHEN {P}.\"delivery\" = 'virtual' THEN 0 WHEN {local_area} THEN {local_sql} "
        f"ELSE {all_sql} END)"
    )
    typical_params = [
        *(weeks_params if len(local_params) > 1 else []),
        *local_params,
        *(weeks_params if len(all_params) > 1 else []),
        *all_params,
    ]
    if end == 0:
        paid = ", ".join(f"'{kind}'" for kind in costs.PAID)
        pay = f'CASE WHEN {P}."pay" IN ({paid}) THEN pay ELSE 0 END' if choice.with_pay else "0"
        total = f"fees + {typical} - {pay}"
        final = f"(CASE WHEN t < 0 THEN 0 ELSE {_floor_step('t')} END)"
        inner = f"SELECT {total} AS t FROM ({summed}) s"
        inner_params = [*typical_params, *params]
    else:
        inner = f"SELECT fees + {typical} AS t FROM ({summed}) s"
        final = f"{_ceil_step('t')}"
        inner_params = [*typical_params, *params]
    sql = f"(SELECT CASE WHEN {weeks} IS NULL THEN NULL ELSE {final} END FROM ({inner}) x)"
    return sql, [*weeks_params, *inner_params]


def with_estimate[Q_: QuerySet](
    programmes: Q_,
    choice: EstimateChoice,
    benchmarks: Iterable[CostBenchmark],
    rates: costs.Rates,
    longest_stated: int,
) -> Q_:
    """`programmes` annotated with `estimate_low` and `estimate_high`: the estimate's total as
    `costs.estimate(...).low` and `.high` (NULL without an estimate). `longest_stated`: the
    longest length any programme states (`Vocabulary.longest_weeks`)."""
    benchmarks = tuple(benchmarks)
    longest = max(MAX_WEEKS, longest_stated)
    low_sql, low_params = _sql(choice, benchmarks, rates, longest, 0)
    high_sql, high_params = _sql(choice, benchmarks, rates, longest, 1)
    return programmes.annotate(
        estimate_low=RawSQL(low_sql, low_params, output_field=MONEY),  # noqa: S611 (bound)
        estimate_high=RawSQL(high_sql, high_params, output_field=MONEY),  # noqa: S611
    )


def within_q(budget: int) -> Q:
    """On a queryset `with_estimate()` annotated: `results.within_budget()`: kept unless the
    lowest estimate is over the budget (no estimate: kept, its card says it needs the weeks)."""
    # An expression on the right: SQLite would compare the figure with a decimal's text.
    # The estimate written once: no estimate counts as -1, within any budget.
    low = Coalesce(F("estimate_low"), Value(-1, output_field=MONEY), output_field=MONEY)
    return Q(LessThanOrEqual(low, Value(budget, output_field=IntegerField())))


def cost_order() -> list[object]:
    """`Estimate.sort_key()`: no estimate last, then the low end, then the high end."""
    return [F("estimate_low").asc(nulls_last=True), F("estimate_high").asc(nulls_last=True)]
