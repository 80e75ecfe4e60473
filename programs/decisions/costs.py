"""The all-in cost estimate: a programme's own fee and pay plus the 2026 guide's typical costs.

For N weeks in one currency: the programme fee by its period, the guide's ranges for flights,
accommodation (per month), insurance and visas, and vaccinations and health checks, minus any
stipend or pay. Pay is never certain ("available for students with financial need", "for many"),
so it lowers the best case only. Every line cites where its figure comes from; a figure the source
does not give is listed as missing, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from programs.core.wording import NOT_STATED
from programs.models import CostBenchmark, ExchangeRate, Programme
from programs.models.money import Amount, format_figures

WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
DEFAULT_WEEKS = 4
# The guide's benchmarks added to every estimate, by cost kind (its programme-fee range is not a
# programme's own fee, so it is left out).
BENCHMARK_KINDS = ("flights", "accommodation", "insurance_visa", "vaccinations")
PAY_KINDS = ("stipend", "salary")
# Programmes whose pay is one of these may have their stipend or salary subtracted; an unpaid
# programme with "some paid posts" (Barts) is not.
PAID = ("paid", "stipend", "partial")


class Rates:
    """Exchange rates by currency (from the page's vocabulary, one object per page); remembers
    which rates a figure used."""

    def __init__(self, rates: Iterable[ExchangeRate]):
        self.by_currency = {rate.currency: rate for rate in rates}
        self.used: dict[str, ExchangeRate] = {}

    def convert(self, value: Decimal, source: str, target: str) -> Decimal | None:
        if source == target:
            return value
        rate_from, rate_to = self.by_currency.get(source), self.by_currency.get(target)
        if rate_from is None or rate_to is None:
            return None
        for rate in (rate_from, rate_to):
            if rate.currency != "EUR":
                self.used[rate.currency] = rate
        return value / rate_from.per_eur * rate_to.per_eur


def whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def scale(period: str, weeks: int) -> Decimal | None:
    """How many times a figure with this period is paid over `weeks`; None for hourly rates."""
    if period == "one_off":
        return Decimal(1)
    if period == "per_week":
        return Decimal(weeks)
    if period == "per_month":
        return Decimal(weeks) / WEEKS_PER_MONTH
    if period == "per_year":
        return Decimal(weeks) / Decimal(52)
    return None


@dataclass
class Line:
    label: str
    low: Decimal | None  # None: the source gives no usable figure
    high: Decimal | None
    source: str
    note: str = ""
    open_ended: bool = False
    subtract: bool = False  # pay: taken off the best case
    currency: str = ""

    @property
    def known(self) -> bool:
        return self.low is not None

    @property
    def low_figures(self) -> str:
        """The lower figure as money is written everywhere, e.g. "€1,160"; empty when unknown."""
        return "" if self.low is None else format_figures(self.low, None, self.currency)

    @property
    def high_figures(self) -> str:
        """The upper figure, e.g. "€2,900+"; empty when unknown."""
        if self.high is None:
            return ""
        return format_figures(self.high, None, self.currency, open_ended=self.open_ended)


@dataclass
class Estimate:
    weeks: int
    currency: str
    lines: list[Line] = field(default_factory=list)
    rates: list[ExchangeRate] = field(default_factory=list)
    weeks_note: str = ""

    @property
    def low(self) -> Decimal:
        costs = sum(
            (line.low for line in self.lines if line.low is not None and not line.subtract),
            Decimal(0),
        )
        pay = sum(
            (line.high for line in self.lines if line.high is not None and line.subtract),
            Decimal(0),
        )
        return max(costs - pay, Decimal(0))

    @property
    def high(self) -> Decimal:
        return sum(
            (line.high for line in self.lines if line.high is not None and not line.subtract),
            Decimal(0),
        )

    @property
    def open_ended(self) -> bool:
        return any(line.open_ended for line in self.lines if not line.subtract)

    def figures(self) -> str:
        """The total as money is written everywhere else, e.g. "€4,190–11,375+"."""
        return format_figures(self.low, self.high, self.currency, open_ended=self.open_ended)

    @property
    def missing(self) -> list[str]:
        return [line.label for line in self.lines if not line.known and not line.subtract]

    @property
    def bar(self) -> list[tuple[str, int, int]]:
        """Stacked segments (label, x, width) of the costs' upper figures on a 0–100 scale."""
        high = self.high
        segments: list[tuple[str, int, int]] = []
        x = 0
        if not high:
            return segments
        for line in self.lines:
            if line.high is not None and not line.subtract and line.high:
                width = int(whole(line.high * 100 / high))
                segments.append((line.label, x, width))
                x += width
        return segments

    @property
    def low_mark(self) -> int:
        return int(whole(self.low * 100 / self.high)) if self.high else 0


def _line(
    label: str,
    amount: Amount,
    weeks: int,
    currency: str,
    rates: Rates,
    source: str,
    subtract: bool = False,
) -> Line:
    factor = scale(amount.period, weeks)
    if amount.amount_min is None or factor is None:
        why = "an hourly figure with no hours given" if factor is None else "no amount given"
        return Line(label, None, None, source, f"{NOT_STATED} ({why}).", subtract=subtract)
    high_raw = amount.amount_max if amount.amount_max is not None else amount.amount_min
    low = rates.convert(amount.amount_min * factor, amount.currency, currency)
    high = rates.convert(high_raw * factor, amount.currency, currency)
    if low is None or high is None:
        note = f"No exchange rate for {amount.currency}."
        return Line(label, None, None, source, note, subtract=subtract)
    note = amount.notes
    if amount.period != "one_off":
        note = f"{amount.get_period_display()} × {weeks} weeks. {note}".strip()
    return Line(label, whole(low), whole(high), source, note, amount.open_ended, subtract, currency)


def estimate(
    programme: Programme,
    weeks: int | None,
    currency: str,
    benchmarks: Iterable[CostBenchmark],
    rates: Rates,
) -> Estimate:
    """The all-in estimate; `programme.costs` and the benchmarks' guides should be prefetched."""
    weeks, weeks_note = weeks_within(programme, weeks)
    result = Estimate(weeks, currency, weeks_note=weeks_note)
    source = programme.citation
    costs = list(programme.costs.all())
    fees = [c for c in costs if c.kind in ("programme_fee", "application_fee")]
    if not any(c.kind == "programme_fee" for c in fees):
        result.lines.append(
            Line("Programme fee", None, None, source, f"{NOT_STATED}: ask the provider.")
        )
    for cost in fees:
        label = cost.get_kind_display()
        result.lines.append(_line(label, cost, weeks, currency, rates, source))
    by_kind = {b.kind: b for b in benchmarks}
    for kind in BENCHMARK_KINDS:
        benchmark = by_kind.get(kind)
        if benchmark is not None:
            line = _line(benchmark.get_kind_display(), benchmark, weeks, currency, rates, "")
            line.source = f"Typical 2026 range: {benchmark.citation}"
            result.lines.append(line)
    if programme.pay in PAID:
        for cost in costs:
            if cost.kind in PAY_KINDS:
                label = f"{cost.get_kind_display()} (if you receive it)"
                result.lines.append(_line(label, cost, weeks, currency, rates, source, True))
    result.rates = list(rates.used.values())
    return result


def weeks_within(programme: Programme, weeks: int | None) -> tuple[int, str]:
    """The chosen duration kept inside the programme's range, with a note when it was moved."""
    given_low, given_high = programme.duration_min_weeks, programme.duration_max_weeks
    low = given_low if given_low is not None else given_high
    high = given_high if given_high is not None else given_low
    if low is None or high is None:
        note = (
            ""
            if weeks
            else f"The source states no duration, so the estimate uses {DEFAULT_WEEKS} weeks."
        )
        return (weeks or DEFAULT_WEEKS), note
    if weeks is None:
        return low, ""
    if weeks < low:
        return low, f"This programme lasts at least {low} weeks, so the estimate uses {low}."
    if weeks > high:
        return high, f"This programme lasts at most {high} weeks, so the estimate uses {high}."
    return weeks, ""
