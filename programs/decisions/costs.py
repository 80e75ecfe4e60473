"""The all-in cost estimate: a programme's own fee plus the 2026 guide's typical costs.

For N weeks in one currency: the programme fee by its period, the guide's ranges for flights,
accommodation (per month), insurance and visas, and vaccinations and health checks. It never
assumes what the source does not say (docs/decisions.md):

- no length: where the source states none, the estimate waits for the student's weeks;
- no pay: a stipend or salary ("available for students with financial need", "for many") is a
  possible reduction the student opts into (`with_pay`), never subtracted by default;
- no travel for virtual places, and none for places open only to one area's residents (the estimate
  says so as the rule's consequence, never as a guess about where the student lives);
- no false precision: totals, and any figure converted at an exchange rate, are rounded outwards to
  a step that fits their size, and a converted figure always carries the rate's caveat.

Every line cites where its figure comes from; a figure the source does not give is listed as
missing, never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import NamedTuple

from programs.core.wording import NOT_STATED
from programs.models import Cost, CostBenchmark, ExchangeRate, Programme, Source
from programs.models.money import Amount, format_figures

WEEKS_PER_MONTH = Decimal(52) / Decimal(12)
# The guide's benchmarks added to every estimate, by cost kind (its programme-fee range is not a
# programme's own fee, so it is left out).
BENCHMARK_KINDS = ("flights", "accommodation", "insurance_visa", "vaccinations")
# What a student who stays at home (virtual places) or already lives in the only area a programme
# takes (local residents) does not pay.
TRAVEL_KINDS = ("flights", "accommodation", "insurance_visa")
PAY_KINDS = ("stipend", "salary")
# Programmes whose pay is one of these may have their stipend or salary subtracted; an unpaid
# programme with "some paid posts" (Barts) is not.
PAID = ("paid", "stipend", "partial")
TYPICAL = "Typical 2026 range"
CONVERSION_PLACES = Decimal("0.000001")
RATE_CAVEAT = "Converted at an exchange rate an adviser set: an approximation, not a quote."


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
        # Six decimals, as the database's budget filter keeps them (programs/listing/budget.py):
        # 13,200 US$ at 1.16 and £0.87 per euro is £9,900, not £9,899.99…, whichever computes it.
        converted = value / rate_from.per_eur * rate_to.per_eur
        return converted.quantize(CONVERSION_PLACES, rounding=ROUND_HALF_UP)


def whole(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1), rounding=ROUND_HALF_UP)


def step_for(value: Decimal) -> Decimal:
    """The rounding step a figure of this size deserves: 10 under 1,000, 50 under 10,000, else 100."""
    if value < 1000:
        return Decimal(10)
    if value < 10000:
        return Decimal(50)
    return Decimal(100)


def round_out(low: Decimal, high: Decimal) -> tuple[Decimal, Decimal]:
    """A range rounded outwards (low down, high up), so rounding never narrows it."""
    low_step, high_step = step_for(low), step_for(high)
    return (
        (low / low_step).to_integral_value(rounding=ROUND_FLOOR) * low_step,
        (high / high_step).to_integral_value(rounding=ROUND_CEILING) * high_step,
    )


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
    # The figure's own source: its cost's `Source` (the provider's email…), else the citation of
    # the record it comes from as text ("Guide title — Section", or a source in words).
    source: str | Source
    note: str = ""
    open_ended: bool = False
    subtract: bool = False  # pay the student chose to count: taken off the best case
    converted: bool = False  # worked out at an exchange rate
    currency: str = ""
    typical: bool = False  # the guide's typical range for anyone, not the programme's own figure

    @property
    def known(self) -> bool:
        return self.low is not None

    @property
    def basis(self) -> str:
        """Whose figure it is, where a page numbers its references."""
        return TYPICAL if self.typical else "This programme’s source"

    @property
    def source_words(self) -> str:
        """Where the figure comes from, said in full."""
        said = str(self.source)  # a Source says itself in words, as `CitesSource.citation` does
        return f"{TYPICAL}: {said}" if self.typical else said

    @property
    def low_figures(self) -> str:
        """The lower figure as money is written everywhere, e.g. "€1,160"; empty when unknown."""
        return "" if self.low is None else format_figures(self.low, None, self.currency)

    @property
    def figures(self) -> str:
        """Both figures, e.g. "€1,160–2,900"; empty when unknown."""
        if self.low is None:
            return ""
        return format_figures(self.low, self.high, self.currency, open_ended=self.open_ended)

    @property
    def high_figures(self) -> str:
        """The upper figure, e.g. "€2,900+"; empty when unknown."""
        if self.high is None:
            return ""
        return format_figures(self.high, None, self.currency, open_ended=self.open_ended)


class Segment(NamedTuple):
    """One cost's share of the bar: its upper figure, from `x` for `width` on a 0–100 scale."""

    label: str
    x: int
    width: int
    figure: str  # the upper figure, as the legend says it


@dataclass
class Estimate:
    """The estimate for `weeks` weeks, or, when the source states no length and the student gave
    none (`weeks` None), no figures at all: `needs_weeks` says so."""

    weeks: int | None
    currency: str
    lines: list[Line] = field(default_factory=list)
    rates: list[ExchangeRate] = field(default_factory=list)
    weeks_note: str = ""
    # Pay the student may receive, shown but not subtracted unless they opt in.
    reductions: list[Line] = field(default_factory=list)
    with_pay: bool = False
    # What the estimate assumes and why lines are left out ("virtual places: no travel").
    assumptions: list[str] = field(default_factory=list)
    # The student gave no weeks: the programme's shortest stated length is used (and said).
    shortest: bool = False

    @property
    def needs_weeks(self) -> bool:
        return self.weeks is None

    @property
    def available(self) -> bool:
        return self.weeks is not None

    @property
    def converted(self) -> bool:
        return any(line.converted for line in self.lines + self.reductions if line.known)

    @property
    def rate_caveat(self) -> str:
        return RATE_CAVEAT if self.converted else ""

    def _range(self) -> tuple[Decimal, Decimal] | None:
        if self.weeks is None:
            return None
        low = high = pay = Decimal(0)
        for line in self.lines:
            if line.low is None or line.high is None:
                continue  # not stated: left out of the total and named in `missing`
            if line.subtract:
                pay += line.high
            else:
                low, high = low + line.low, high + line.high
        return round_out(max(low - pay, Decimal(0)), high)

    @property
    def low(self) -> Decimal | None:
        figures = self._range()
        return figures[0] if figures else None

    @property
    def high(self) -> Decimal | None:
        figures = self._range()
        return figures[1] if figures else None

    @property
    def open_ended(self) -> bool:
        return any(line.open_ended for line in self.lines if not line.subtract)

    def low_figures(self) -> str:
        """The lower total, e.g. "€4,150"; "" without one."""
        low = self.low
        return "" if low is None else format_figures(low, None, self.currency)

    def figures(self) -> str:
        """The total as money is written everywhere else, e.g. "€4,150–11,400+"; "" without one."""
        figures = self._range()
        if figures is None:
            return ""
        low, high = figures
        return format_figures(low, high, self.currency, open_ended=self.open_ended)

    def sort_key(self) -> tuple:
        """For "lowest cost first": low end, then high end, as the cards show them; none last."""
        if self.weeks is None:
            return (1, Decimal(0), Decimal(0))
        return (0, self.low, self.high)

    @property
    def missing(self) -> list[str]:
        return [line.label for line in self.lines if not line.known and not line.subtract]

    @property
    def bar(self) -> list[Segment]:
        """Stacked segments of the costs' upper figures on a 0–100 scale."""
        high = self.high
        segments: list[Segment] = []
        x = 0
        if not high:
            return segments
        for line in self.lines:
            if line.high is not None and not line.subtract and line.high:
                width = int(whole(line.high * 100 / high))
                segments.append(Segment(line.label, x, width, line.high_figures))
                x += width
        return segments

    @property
    def low_mark(self) -> int:
        figures = self._range()
        if figures is None or not figures[1]:
            return 0
        return int(whole(figures[0] * 100 / figures[1]))


def _line(
    label: str,
    amount: Amount,
    weeks: int,
    currency: str,
    rates: Rates,
    source: str | Source,
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
    # Nothing is converted about zero (Stanford's "Free").
    converted = amount.currency != currency and bool(high)
    if converted:
        low, high = round_out(low, high)
        note = f"{note} Converted from {amount.currency}, rounded.".strip()
    else:
        low, high = whole(low), whole(high)
    return Line(label, low, high, source, note, amount.open_ended, subtract, converted, currency)


def local_area(programme: Programme) -> str:
    """The area whose residents alone may take the (in-person) places, or "": from the rules."""
    for rule in programme.eligibility_rules.all():
        if rule.kind == "residency" and rule.applies_to != "virtual" and rule.residency_area:
            return rule.residency_area
    return ""


def cited_by(cost: Cost, programme_citation: str) -> str | Source:
    """What an estimate line from `cost` cites: the cost's own source when it has one (the
    provider's email that changed the fee), else its programme's guide section."""
    return cost.source if cost.source is not None else programme_citation


def estimate(
    programme: Programme,
    weeks: int | None,
    currency: str,
    benchmarks: Iterable[CostBenchmark],
    rates: Rates,
    *,
    with_pay: bool = False,
) -> Estimate:
    """The all-in estimate; `programme.costs`, its rules and the benchmarks' guides should be
    prefetched. `with_pay`: the student chose to count the pay they may receive."""
    asked = weeks
    weeks, weeks_note = weeks_within(programme, weeks)
    result = Estimate(
        weeks,
        currency,
        weeks_note=weeks_note,
        with_pay=with_pay,
        shortest=asked is None and weeks is not None,
    )
    if weeks is None:
        return result
    source = programme.citation
    costs = list(programme.costs.all())
    fees = [c for c in costs if c.kind in ("programme_fee", "application_fee")]
    if not any(c.kind == "programme_fee" for c in fees):
        result.lines.append(
            Line("Programme fee", None, None, source, f"{NOT_STATED}: ask the provider.")
        )
    for cost in fees:
        label = cost.get_kind_display()
        result.lines.append(_line(label, cost, weeks, currency, rates, cited_by(cost, source)))
    skipped: tuple[str, ...] = ()
    area = local_area(programme)
    if programme.delivery == "virtual":
        skipped = BENCHMARK_KINDS
        result.assumptions.append(
            "Virtual places: no flights, accommodation, insurance, visas or vaccinations counted."
        )
    elif area:
        # Said as the rule's consequence, not as a guess about where the student lives.
        skipped = TRAVEL_KINDS
        if programme.delivery == "hybrid":
            said = (
                f"In-person places are only for residents of {area}, and virtual places need no "
                "travel: no flights, accommodation, insurance or visas counted."
            )
        else:
            said = (
                f"Places are only for residents of {area}, who need no flights, accommodation, "
                "insurance or visas: none counted."
            )
        result.assumptions.append(said)
    elif programme.delivery == "unknown":
        result.assumptions.append(
            "The source does not say whether places are in person; the estimate assumes they are."
        )
    if programme.delivery == "hybrid" and not area:
        result.assumptions.append("For in-person places; virtual places need no travel.")
    by_kind = {b.kind: b for b in benchmarks}
    for kind in BENCHMARK_KINDS:
        benchmark = by_kind.get(kind)
        if benchmark is not None and kind not in skipped:
            line = _line(
                benchmark.get_kind_display(), benchmark, weeks, currency, rates, benchmark.citation
            )
            line.typical = True
            result.lines.append(line)
    if programme.pay in PAID:
        for cost in costs:
            if cost.kind in PAY_KINDS:
                label = f"{cost.get_kind_display()} (if you receive it)"
                if cost.condition:
                    label = f"{cost.get_kind_display()} ({cost.condition}, if you receive it)"
                cited = cited_by(cost, source)
                line = _line(label, cost, weeks, currency, rates, cited, subtract=with_pay)
                (result.lines if with_pay else result.reductions).append(line)
    result.rates = list(rates.used.values())
    return result


FITS = "fits"
FEE_NOT_STATED = "fee_not_stated"
NEEDS_WEEKS = "needs_weeks"
OVER = "over"


@dataclass(frozen=True)
class BudgetFit:
    """How an estimate stands against the student's budget, in words a card shows. Only "over"
    leaves the list: a programme whose fee or length is not stated is kept and marked."""

    state: str
    text: str

    @property
    def kept(self) -> bool:
        return self.state != OVER


def budget_fit(estimate: Estimate, budget: Decimal | int) -> BudgetFit:
    """The estimate (in the budget's currency) against the budget: its lowest figure is what is
    compared; what the source does not state is said, never counted as nothing."""
    limit = format_figures(Decimal(budget), None, estimate.currency)
    if not estimate.available:
        return BudgetFit(
            NEEDS_WEEKS,
            "Needs your weeks: the source states no length, so it cannot be checked against "
            "your budget until you give them.",
        )
    if (estimate.low or 0) > budget:
        return BudgetFit(OVER, f"Over your budget of {limit}.")
    if estimate.missing:
        left_out = ", ".join(estimate.missing).lower()
        return BudgetFit(
            FEE_NOT_STATED,
            f"Check: {left_out} not stated. The rest comes to {estimate.low_figures()}, within "
            f"your budget of {limit}; ask the provider before counting on it.",
        )
    return BudgetFit(FITS, f"Within your budget of {limit} (lowest estimate).")


def weeks_within(programme: Programme, weeks: int | None) -> tuple[int | None, str]:
    """The chosen duration kept inside the programme's range, with a note when it was moved; None
    when the source states no length and the student gave none (nothing is invented)."""
    low, high = programme.duration_min_weeks, programme.duration_max_weeks
    low, high = (low if low is not None else high), (high if high is not None else low)
    if low is None or high is None:
        return weeks, ""
    if weeks is None:
        return low, ""
    if weeks < low:
        return low, f"This programme lasts at least {low} weeks, so the estimate uses {low}."
    if weeks > high:
        return high, f"This programme lasts at most {high} weeks, so the estimate uses {high}."
    return weeks, ""
