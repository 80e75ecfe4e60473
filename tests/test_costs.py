"""The all-in estimate on the seeded programmes, benchmarks and (illustrative) exchange rates."""

from decimal import Decimal

import pytest

from programs.decisions import costs
from programs.models import Programme, Vocabulary

pytestmark = pytest.mark.django_db

LITE_REGAL = "lite-regal-medical-internship-shadowing-london"


def estimate_for(slug: str, weeks: int | None, currency: str) -> costs.Estimate:
    programme = Programme.objects.select_related("source_guide").get(slug=slug)
    vocabulary = Vocabulary()
    return costs.estimate(
        programme, weeks, currency, vocabulary.benchmarks, costs.Rates(vocabulary.rates)
    )


def figures(estimate: costs.Estimate) -> list[tuple[str, Decimal | None, Decimal | None]]:
    return [(line.label, line.low, line.high) for line in estimate.lines]


def test_the_london_shadowing_programme_for_2_weeks_in_eur(seeded):
    estimate = estimate_for(LITE_REGAL, 2, "EUR")

    assert figures(estimate) == [
        # US$2,000–5,000 a week × 2, at the illustrative 1 EUR = 1.16 USD.
        ("Programme fee", Decimal(3448), Decimal(8621)),
        ("Flights", Decimal(500), Decimal(1500)),
        # €200–1,200 a month for 2 weeks: × 2 × 12 / 52.
        ("Accommodation", Decimal(92), Decimal(554)),
        ("Insurance and visas", Decimal(100), Decimal(400)),
        ("Vaccinations and health checks", Decimal(50), Decimal(300)),
    ]
    assert (estimate.low, estimate.high, estimate.open_ended) == (
        Decimal(4190),
        Decimal(11375),
        True,
    )
    assert estimate.missing == []
    assert [rate.currency for rate in estimate.rates] == ["USD"]
    assert estimate.rates[0].illustrative


def test_the_same_estimate_in_gbp_and_usd(seeded):
    gbp, usd = estimate_for(LITE_REGAL, 2, "GBP"), estimate_for(LITE_REGAL, 2, "USD")

    assert (gbp.low, gbp.high) == (Decimal(3646), Decimal(9896))
    assert figures(gbp)[0] == ("Programme fee", Decimal(3000), Decimal(7500))
    assert (usd.low, usd.high) == (Decimal(4861), Decimal(13194))
    assert figures(usd)[0] == ("Programme fee", Decimal(4000), Decimal(10000))


def test_every_line_says_where_its_figure_comes_from(seeded):
    estimate = estimate_for(LITE_REGAL, 2, "EUR")

    assert estimate.lines[0].source == (
        "10 Best Medical Internship For International Students 2025/2026 — "
        "Internships in the United Kingdom: The NHS Experience"
    )
    assert estimate.lines[1].source.startswith("Typical 2026 range: International Medical")
    assert estimate.lines[2].note.startswith("per month × 2 weeks.")


def test_a_duration_outside_the_programmes_range_is_moved_inside_with_a_note(seeded):
    estimate = estimate_for(LITE_REGAL, 10, "EUR")

    assert estimate.weeks == 4
    assert estimate.weeks_note == ("This programme lasts at most 4 weeks, so the estimate uses 4.")


def test_a_stipend_lowers_only_the_best_case_and_a_missing_fee_is_listed(seeded):
    # MRC: ~£350 a week for 6–12 weeks; the guide gives no programme fee.
    estimate = estimate_for("mrc-lab-based-summer-studentships", None, "GBP")

    assert estimate.weeks == 6
    assert estimate.missing == ["Programme fee"]
    stipend = estimate.lines[-1]
    assert (stipend.label, stipend.low, stipend.high) == (
        "Stipend (if you receive it)",
        Decimal(2100),
        Decimal(2100),
    )
    # Costs (435 + 241 + 87 + 44 = 807) less the stipend, never below zero.
    assert estimate.low == Decimal(0)
    assert estimate.high == Decimal(1305 + 1446 + 348 + 261)


def test_a_salary_for_some_posts_of_an_unpaid_programme_is_not_subtracted(seeded):
    estimate = estimate_for("barts-health-summer-internship", 4, "GBP")

    assert not any(line.subtract for line in estimate.lines)


def test_a_programme_with_no_fee_adds_nothing_for_it(seeded):
    estimate = estimate_for("stanford-pediatrics-internship-program", None, "USD")

    assert figures(estimate)[0] == ("Programme fee", Decimal(0), Decimal(0))
    assert estimate.lines[-1].label == "Stipend (if you receive it)"
    assert estimate.lines[-1].low == Decimal(3000)
