"""The all-in estimate on the seeded programmes, benchmarks and (illustrative) exchange rates.

Each test names the guide's words it relies on: the benchmarks are the 2026 guide's "€800 - €3,000+
per month for programme fees, €500 - €1,500+ for flights, €200 - €1,200 per month for
accommodation, €100 - €400 total for insurance & visas, €50 - €300+ for vaccinations/health checks".
"""

from decimal import Decimal

import pytest

from programs.decisions import costs
from programs.models import Programme, Vocabulary
from tests.factories import make_cost, make_programme

pytestmark = pytest.mark.django_db

LITE_REGAL = "lite-regal-medical-internship-shadowing-london"
STANFORD = "stanford-pediatrics-internship-program"
MRC = "mrc-lab-based-summer-studentships"
NIH = "nhgri-summer-internship-biomedical-research"
JHIBS = "johns-hopkins-internship-brain-sciences"


def estimate_for(
    slug: str, weeks: int | None, currency: str, *, with_pay: bool = False
) -> costs.Estimate:
    programme = Programme.objects.for_detail().get(slug=slug)
    vocabulary = Vocabulary()
    return costs.estimate(
        programme,
        weeks,
        currency,
        vocabulary.benchmarks,
        costs.Rates(vocabulary.rates),
        with_pay=with_pay,
    )


def figures(estimate: costs.Estimate) -> list[tuple[str, Decimal | None, Decimal | None]]:
    return [(line.label, line.low, line.high) for line in estimate.lines]


def test_the_london_shadowing_programme_for_2_weeks_in_eur_is_rounded_outwards(seeded):
    # Lite Regal: "program fee applies (~ US$2,000–5,000/week)"
    estimate = estimate_for(LITE_REGAL, 2, "EUR")

    assert figures(estimate) == [
        # US$4,000–10,000 at the illustrative 1 EUR = 1.16 USD is €3,448–8,621: rounded out to 50.
        ("Programme fee", Decimal(3400), Decimal(8650)),
        ("Flights", Decimal(500), Decimal(1500)),
        # €200–1,200 a month for 2 weeks: × 2 × 12 / 52.
        ("Accommodation", Decimal(92), Decimal(554)),
        ("Insurance and visas", Decimal(100), Decimal(400)),
        ("Vaccinations and health checks", Decimal(50), Decimal(300)),
    ]
    # 4,142–11,404 rounded outwards (50 below 10,000, 100 above).
    assert (estimate.low, estimate.high, estimate.open_ended) == (
        Decimal(4100),
        Decimal(11500),
        True,
    )
    assert estimate.figures() == "€4,100–11,500+"
    assert estimate.converted
    assert estimate.rate_caveat == (
        "Converted at an exchange rate an adviser set: an approximation, not a quote."
    )
    assert [rate.currency for rate in estimate.rates] == ["USD"]


def test_the_same_estimate_in_gbp_and_usd(seeded):
    gbp, usd = estimate_for(LITE_REGAL, 2, "GBP"), estimate_for(LITE_REGAL, 2, "USD")

    # US$4,000–10,000 at 0.87/1.16 is £3,000–7,500; the EUR benchmarks converted and rounded.
    assert figures(gbp)[0] == ("Programme fee", Decimal(3000), Decimal(7500))
    assert (gbp.low, gbp.high) == (Decimal(3600), Decimal(10000))
    assert figures(usd)[0] == ("Programme fee", Decimal(4000), Decimal(10000))
    assert (usd.low, usd.high) == (Decimal(4800), Decimal(13300))


def test_conditional_pay_is_never_subtracted_unless_the_student_opts_in(seeded):
    # MRC: "Paid stipends (~£350/week for many)"
    plain = estimate_for(MRC, None, "GBP")
    counted = estimate_for(MRC, None, "GBP", with_pay=True)

    assert plain.weeks == 6
    assert plain.missing == ["Programme fee"]
    assert [(line.label, line.low, line.high) for line in plain.reductions] == [
        ("Stipend (for many students, if you receive it)", Decimal(2100), Decimal(2100))
    ]
    assert not any(line.subtract for line in plain.lines)
    assert (plain.low, plain.high) == (Decimal(790), Decimal(3450))
    # Opting in takes it off the best case only, never below zero.
    assert (counted.low, counted.high) == (Decimal(0), Decimal(3450))


def test_stanford_is_not_free_by_default_and_counts_no_travel_for_its_residents_only_places(
    seeded,
):
    # Stanford: "Free; $3,000 stipend available for students with financial need"; "residing in
    # Northern California"
    estimate = estimate_for(STANFORD, None, "EUR")

    assert figures(estimate) == [
        ("Programme fee", Decimal(0), Decimal(0)),
        ("Vaccinations and health checks", Decimal(50), Decimal(300)),
    ]
    assert estimate.assumptions == [
        "Places are only for residents of Northern California, who need no flights, "
        "accommodation, insurance or visas: none counted."
    ]
    assert estimate.figures() == "€50–300+"
    # The US$3,000 is shown converted (and rounded), so the rate's caveat goes with it.
    reduction = estimate.reductions[0]
    assert (reduction.label, reduction.low, reduction.high) == (
        "Stipend (for students with financial need, if you receive it)",
        Decimal(2550),
        Decimal(2600),
    )
    assert estimate.converted


def test_jhibs_counts_no_travel_without_assuming_where_the_student_lives(seeded):
    # JHIBS: "in-person must be Baltimore City resident; virtual open to all US": neither needs
    # travel, and the estimate does not say the student lives in Baltimore.
    estimate = estimate_for(JHIBS, None, "EUR")

    assert estimate.weeks == 5
    assert [line.label for line in estimate.lines] == [
        "Programme fee",
        "Vaccinations and health checks",
    ]
    assert estimate.assumptions[0] == (
        "In-person places are only for residents of Baltimore City, and virtual places need no "
        "travel: no flights, accommodation, insurance or visas counted."
    )
    assert not any("assumes you" in note for note in estimate.assumptions)


def test_no_length_is_invented_where_the_source_states_none(seeded):
    # NHGRI: "Dates: Summer (varies; typically June–August)", no length.
    none = estimate_for(NIH, None, "EUR")
    eight = estimate_for(NIH, 8, "EUR")

    assert none.needs_weeks and not none.available
    assert (none.low, none.high, none.figures(), none.lines) == (None, None, "", [])
    assert eight.weeks == 8
    # 500 + 369 + 100 + 50 = 1,019 → 1,000; 1,500 + 2,215 + 400 + 300 = 4,415 → 4,450.
    assert (eight.low, eight.high) == (Decimal(1000), Decimal(4450))


def test_a_duration_outside_the_programmes_range_is_moved_inside_with_a_note(seeded):
    # Lite Regal: "from 1 to 4 weeks"
    estimate = estimate_for(LITE_REGAL, 10, "EUR")

    assert estimate.weeks == 4
    assert estimate.weeks_note == "This programme lasts at most 4 weeks, so the estimate uses 4."


def test_a_salary_for_some_posts_of_an_unpaid_programme_is_not_even_offered(seeded):
    # Barts: "Often unpaid, but some paid posts exist"
    estimate = estimate_for("barts-health-summer-internship", 4, "GBP", with_pay=True)

    assert not any(line.subtract for line in estimate.lines)
    assert estimate.reductions == []


def test_every_line_says_where_its_figure_comes_from(seeded):
    estimate = estimate_for(LITE_REGAL, 2, "EUR")

    assert estimate.lines[0].source == (
        "10 Best Medical Internship For International Students 2025/2026 — "
        "Internships in the United Kingdom: The NHS Experience"
    )
    assert estimate.lines[1].source_words.startswith("Typical 2026 range: International Medical")
    assert estimate.lines[2].note.startswith("per month × 2 weeks.")


def test_virtual_places_count_no_travel_or_accommodation(seeded):
    virtual = make_programme(delivery="virtual", duration_min_weeks=5, duration_max_weeks=5)
    make_cost(virtual, amount_min=Decimal(100), currency="EUR", period="one_off")
    vocabulary = Vocabulary()

    estimate = costs.estimate(
        Programme.objects.for_detail().get(pk=virtual.pk),
        None,
        "EUR",
        vocabulary.benchmarks,
        costs.Rates(vocabulary.rates),
    )

    assert figures(estimate) == [("Programme fee", Decimal(100), Decimal(100))]
    assert estimate.assumptions == [
        "Virtual places: no flights, accommodation, insurance, visas or vaccinations counted."
    ]


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (Decimal("92.3"), Decimal("553.8"), (Decimal(90), Decimal(560))),
        (Decimal("3448.28"), Decimal("8620.69"), (Decimal(3400), Decimal(8650))),
        (Decimal("4142"), Decimal("11404"), (Decimal(4100), Decimal(11500))),
        (Decimal(0), Decimal(0), (Decimal(0), Decimal(0))),
    ],
)
def test_ranges_are_rounded_outwards_to_a_step_that_fits_their_size(low, high, expected):
    assert costs.round_out(low, high) == expected
