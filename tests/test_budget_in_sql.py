"""The budget filter and the cost sort are SQL (programs/listing/budget.py), and
`costs.estimate()` writes every estimate a page shows: for any weeks, currency and pay choice,
the database's total equals the estimate's, low and high, on generated programmes (every period,
currency, delivery, pay and length, local-residents-only places) and on the real directory; on
SQLite and PostgreSQL (whichever the run uses)."""

from __future__ import annotations

import os
import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.decisions import costs
from programs.decisions.profile import EstimateChoice
from programs.listing import budget, results
from programs.models import Cost, CostBenchmark, ExchangeRate, Programme, Vocabulary
from tests.factories import make_cost, make_exchange_rate, make_programme, make_rule

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    # A quick look in `make test`; the full budget in `make test-scale` (HYPOTHESIS_PROFILE=ci).
    max_examples=int(
        os.environ.get("BUDGET_EXAMPLES", "120" if os.environ.get("HYPOTHESIS_PROFILE") else "25")
    ),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
AMOUNTS = [0, 50, 99.99, 100, 250, 580, 1000, 1160, 1234.56, 2000, 4999.5, 12000]


def _amounts(rng: random.Random) -> dict:
    chosen = rng.choice([None, *AMOUNTS])
    if chosen is None:
        return {"amount_min": None, "amount_max": None}
    low = Decimal(str(chosen))
    high = None if rng.random() < 0.5 else low + rng.choice([0, 10, 500, 3000])
    return {"amount_min": low, "amount_max": high}


@pytest.fixture
def generated():
    """60 programmes with 0 to 4 costs of every kind, period and currency."""
    rng = random.Random(19)
    if not ExchangeRate.objects.filter(currency="USD").exists():
        make_exchange_rate("USD", "1.16")
    if not ExchangeRate.objects.filter(currency="GBP").exists():
        make_exchange_rate("GBP", "0.86")
    for _ in range(60):
        low = rng.choice([None, 1, 2, 4, 6, 8, 12])
        programme = make_programme(
            delivery=rng.choice(Programme.Delivery.values),
            pay=rng.choice(Programme.Pay.values),
            duration_min_weeks=low,
            duration_max_weeks=rng.choice([None, low and low + 4]),
        )
        for _ in range(rng.choice([0, 1, 1, 2, 3, 4])):
            fields = _amounts(rng)
            period = rng.choice(Cost._meta.get_field("period").choices)[0]
            if period == "per_hour":  # within the hourly limit
                fields = {"amount_min": Decimal(20), "amount_max": None}
            make_cost(
                programme,
                kind=rng.choice(
                    ["programme_fee", "programme_fee", "application_fee", "stipend", "salary"]
                ),
                period=period,
                currency=rng.choice(["USD", "EUR", "GBP", "CHF"]),
                **fields,
            )
        if rng.random() < 0.2:
            make_rule(
                programme,
                kind="residency",
                applies_to=rng.choice(["all", "in_person", "virtual"]),
                residency_area="Baltimore City",
            )


def compared(choice: EstimateChoice):
    benchmarks = tuple(CostBenchmark.objects.all())
    rates = costs.Rates(ExchangeRate.objects.all())
    programmes = Programme.objects.published().prefetch_related("costs").with_rules()
    annotated = budget.with_estimate(
        programmes, choice, benchmarks, rates, Vocabulary().longest_weeks
    )
    in_sql = {
        row["pk"]: (row["estimate_low"], row["estimate_high"])
        for row in annotated.values("pk", "estimate_low", "estimate_high")
    }
    in_python = {}
    for programme in programmes:
        estimate = costs.estimate(
            programme, choice.weeks, choice.currency, benchmarks, rates, with_pay=choice.with_pay
        )
        in_python[programme.pk] = (estimate.low, estimate.high)
    return in_sql, in_python


choices = st.builds(
    EstimateChoice,
    weeks=st.one_of(st.none(), st.integers(1, 52)),
    currency=st.sampled_from(["EUR", "GBP", "USD"]),
    with_pay=st.booleans(),
)


def _same(in_sql, in_python) -> None:
    assert in_sql.keys() == in_python.keys()
    for pk, (low, high) in in_python.items():
        assert in_sql[pk] == (low, high), pk


@EXAMPLES
@given(choice=choices)
def test_the_databases_total_is_the_estimates_for_any_weeks_currency_and_pay(
    seeded, generated, choice
):
    _same(*compared(choice))


def test_the_budget_keeps_exactly_the_programmes_whose_estimate_fits(seeded, generated):
    choice = EstimateChoice(weeks=4, currency="GBP")
    benchmarks = tuple(CostBenchmark.objects.all())
    rates = costs.Rates(ExchangeRate.objects.all())
    programmes = Programme.objects.published()
    estimates = [
        (p.pk, costs.estimate(p, 4, "GBP", benchmarks, rates))
        for p in programmes.prefetch_related("costs").with_rules()
    ]
    for budget_ in (0, 1000, 3000, 8000):  # one set of programmes, four budgets
        kept = set(
            budget.with_estimate(programmes, choice, benchmarks, rates, Vocabulary().longest_weeks)
            .filter(budget.within_q(budget_))
            .values_list("pk", flat=True)
        )
        fits = {pk for pk, estimate in estimates if results.within_budget(estimate, budget_)}

        assert kept == fits, budget_
