"""Money: currencies, periods, min–max amounts, and the costs attached to a programme."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .base import check_range, clean_single_line_fields


class Currency(models.TextChoices):
    EUR = "EUR", "Euro (€)"
    GBP = "GBP", "Pound sterling (£)"
    USD = "USD", "US dollar ($)"
    AUD = "AUD", "Australian dollar (A$)"
    CAD = "CAD", "Canadian dollar (C$)"
    CHF = "CHF", "Swiss franc (CHF)"
    INR = "INR", "Indian rupee (₹)"
    NGN = "NGN", "Nigerian naira (₦)"
    PKR = "PKR", "Pakistani rupee (Rs)"


CURRENCY_SYMBOLS = {
    "EUR": "€",
    "GBP": "£",
    "USD": "US$",
    "AUD": "A$",
    "CAD": "C$",
    "CHF": "CHF ",
    "INR": "₹",
    "NGN": "₦",
    "PKR": "Rs ",
}


def format_figures(
    amount_min: Decimal,
    amount_max: Decimal | None,
    currency: str,
    *,
    open_ended: bool = False,
    approximate: bool = False,
) -> str:
    """The figures as a guide writes them: "~£350", "US$2,000–5,000", "€800–3,000+".

    The one place money is spelled out; the symbol is written once, before the first figure.
    """
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} " if currency else "")
    text = f"{symbol}{_figure(amount_min)}"
    if amount_max is not None and amount_max != amount_min:
        text += f"–{_figure(amount_max)}"
    if open_ended:
        text += "+"
    return f"~{text}" if approximate else text


def _figure(value: Decimal) -> str:
    """2000.00 → "2,000"; 7.50 → "7.50"."""
    if value == value.to_integral_value():
        return f"{value:,.0f}"
    return f"{value:,.2f}"


class CostKind(models.TextChoices):
    PROGRAMME_FEE = "programme_fee", "Programme fee"
    APPLICATION_FEE = "application_fee", "Application fee"
    STIPEND = "stipend", "Stipend"
    SALARY = "salary", "Salary"
    ACCOMMODATION = "accommodation", "Accommodation"
    FLIGHTS = "flights", "Flights"
    INSURANCE_VISA = "insurance_visa", "Insurance and visas"
    VACCINATIONS = "vaccinations", "Vaccinations and health checks"
    OTHER = "other", "Other"


class Period(models.TextChoices):
    ONE_OFF = "one_off", "one-off"
    PER_HOUR = "per_hour", "per hour"
    PER_WEEK = "per_week", "per week"
    PER_MONTH = "per_month", "per month"
    PER_YEAR = "per_year", "per year (full-time equivalent)"


# The most a placement plausibly costs or pays per period, in any of the currencies above (they lie
# within a factor of two of each other): a figure above it is a typing slip (US$55,000 a week) or
# the wrong period (a yearly salary entered per week).
AMOUNT_LIMITS: dict[str, int] = {
    Period.ONE_OFF: 250_000,
    Period.PER_HOUR: 1_000,
    Period.PER_WEEK: 20_000,
    Period.PER_MONTH: 50_000,
    Period.PER_YEAR: 500_000,
}


def amount_limit_message(period: str) -> str:
    label = Period(period).label
    return (
        f"That is more than any placement costs or pays {label} (at most "
        f"{AMOUNT_LIMITS[period]:,}): check the figure, and the period (a yearly salary belongs "
        "under “per year”)."
    )


class Amount(models.Model):
    """A min–max money range with its currency and period, shared by costs and benchmarks."""

    kind = models.CharField(max_length=30, choices=CostKind)
    amount_min = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    amount_max = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave empty when the guide gives one figure or an open upper end ('3,000+').",
    )
    open_ended = models.BooleanField(
        default=False, help_text="The guide writes the figure with '+'."
    )
    approximate = models.BooleanField(default=False, help_text="The guide writes '~' or 'approx.'")
    currency = models.CharField(max_length=3, choices=Currency, blank=True)
    period = models.CharField(max_length=20, choices=Period, default=Period.ONE_OFF)
    notes = models.CharField(max_length=400, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        check_range(errors, self.amount_min, self.amount_max, "amount_min", "amount_max", "amount")
        if self.amount_max is not None and self.amount_min is None:
            errors["amount_min"] = ValidationError(
                "Give the single figure as the minimum; the maximum is only for a range."
            )
        for field in ("amount_min", "amount_max"):
            value = getattr(self, field)
            if value is not None and value < 0:
                errors[field] = ValidationError(
                    "Amounts are never negative. For money the student receives, choose the kind "
                    "“Stipend” or “Salary” and give the amount as a positive figure.",
                    code="negative_amount",
                )
        limit = AMOUNT_LIMITS.get(self.period)
        for field in ("amount_min", "amount_max"):
            value = getattr(self, field)
            if limit is not None and value is not None and value > limit:
                errors.setdefault(
                    field, ValidationError(amount_limit_message(self.period), code="implausible")
                )
        if (self.amount_min is not None) and not self.currency:
            errors["currency"] = ValidationError("An amount needs its currency.")
        if errors:
            raise ValidationError(errors)

    def figures(self) -> str:
        """The amount without its period, e.g. "~US$2,000–5,000"; empty when not stated."""
        if self.amount_min is None:
            return ""
        return format_figures(
            self.amount_min,
            self.amount_max,
            self.currency,
            open_ended=self.open_ended,
            approximate=self.approximate,
        )

    @staticmethod
    def amount_constraints(prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_min__lte=models.F("amount_max")),
                name=f"{prefix}_min_lte_max",
            ),
            models.CheckConstraint(
                condition=(Q(amount_min__isnull=True) | Q(amount_min__gte=0))
                & (Q(amount_max__isnull=True) | Q(amount_max__gte=0)),
                name=f"{prefix}_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(amount_max__isnull=True) | Q(amount_min__isnull=False),
                name=f"{prefix}_max_needs_min",
            ),
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True) | ~Q(currency=""),
                name=f"{prefix}_amount_has_currency",
            ),
            models.CheckConstraint(
                condition=_within_limits("amount_min") & _within_limits("amount_max"),
                name=f"{prefix}_amounts_within_period_limits",
            ),
        ]


def _within_limits(field: str) -> Q:
    """Twin of the limit check in Amount.clean(): the figure is at most its period's limit."""
    condition = Q(**{f"{field}__isnull": True})
    for period, limit in AMOUNT_LIMITS.items():
        condition |= Q(period=period, **{f"{field}__lte": limit})
    return condition


class ExchangeRateManager(models.Manager):
    def get_by_natural_key(self, currency: str):
        return self.get(currency=currency)


class ExchangeRate(models.Model):
    """How many units of `currency` one euro buys, as an adviser recorded it.

    The guides state no exchange rates, so every rate says where it comes from and whether it is
    only illustrative; pages show that label beside any converted figure. Nothing is fetched at
    request time.
    """

    currency = models.CharField(max_length=3, choices=Currency, unique=True)
    per_eur = models.DecimalField(
        "units per euro", max_digits=12, decimal_places=6, help_text="e.g. 1.16 for USD."
    )
    as_of = models.DateField("rate date")
    source_note = models.CharField(
        max_length=300, help_text="Where the rate comes from, e.g. 'ECB reference rate on …'."
    )
    illustrative = models.BooleanField(
        default=True,
        help_text="Tick unless the rate is a published reference rate you can cite.",
    )

    objects = ExchangeRateManager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["currency"]
        constraints = [
            models.CheckConstraint(condition=Q(per_eur__gt=0), name="exchange_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"1 EUR = {self.per_eur} {self.currency} ({self.as_of:%d %b %Y})"

    def natural_key(self) -> tuple[str]:
        return (self.currency,)

    def clean(self) -> None:
        if self.per_eur is not None and self.per_eur <= Decimal(0):
            raise ValidationError({"per_eur": "A rate must be above zero."})

    def clean_fields(self, exclude=None) -> None:
        clean_single_line_fields(self, super().clean_fields, exclude)
