""" "Eligible only" narrows in the database (programs/listing/eligibility.py), and the matcher
(programs/decisions/matching.py) writes every verdict a page shows: for any profile, the database
keeps exactly the programmes the matcher calls Eligible or Check, and calls Eligible exactly those
the matcher does. Tried on generated programmes with every kind of rule and on the real directory,
on SQLite and PostgreSQL (whichever the run uses)."""

from __future__ import annotations

import os
import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.decisions.matching import ELIGIBLE, SECONDARY, Profile, match
from programs.listing.eligibility import eligible_q, may_apply_q
from programs.models import EligibilityRule, Programme
from tests.factories import (
    make_country,
    make_discipline,
    make_organisation,
    make_programme,
    make_rule,
    make_study_level,
)

pytestmark = pytest.mark.django_db

LEVELS = [SECONDARY, "pre-med", "medical-student", "graduate"]
DISCIPLINES = ["medicine", "nursing", "dentistry"]
UNIVERSITIES = ["uni-a", "uni-b"]
COUNTRIES = ["US", "GB", "KE", "IN"]
AREAS = ["Baltimore City", "Northern California"]
TESTS = ["IELTS", "TOEFL", "ielts", "Cambridge"]
EXAMPLES = settings(
    # A quick look in `make test`; the full budget in `make test-scale` (HYPOTHESIS_PROFILE=ci).
    max_examples=int(
        os.environ.get(
            "ELIGIBILITY_EXAMPLES", "200" if os.environ.get("HYPOTHESIS_PROFILE") else "40"
        )
    ),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def _rule(programme: Programme, rng: random.Random, levels: dict, universities: dict, countries):
    kind = rng.choice(EligibilityRule.Kind.values)
    fields: dict = {"kind": kind, "applies_to": rng.choice(EligibilityRule.AppliesTo.values)}
    clear, unclear = [], []
    if kind == "min_age":
        fields["min_age"] = rng.randint(14, 25)
    if kind in ("study_level", "enrolment", "other"):
        chosen = rng.sample(LEVELS, rng.randint(0, 3))
        split = rng.randint(0, len(chosen))
        clear, unclear = chosen[:split], chosen[split:]
        fields["final_school_years"] = rng.choice([None, None, 1, 2, 3])
    if kind == "own_students":
        fields["university"] = universities[rng.choice(UNIVERSITIES)]
    if kind == "residency":
        fields["residency_country"] = rng.choice([None, *countries.values()])
        fields["residency_area"] = rng.choice(["", "", *AREAS])
        fields["citizens_count"] = rng.random() < 0.4
    if kind == "language":
        fields["language_test"] = rng.choice(TESTS)
        low = rng.choice([None, Decimal("5.0"), Decimal("6.5"), Decimal("80")])
        fields["language_score_min"] = low
        if low is not None and rng.random() < 0.5:
            fields["language_score_max"] = low + Decimal("1.0")
    rule = make_rule(programme, **fields)
    rule.study_levels.set([levels[slug] for slug in clear])
    rule.unclear_levels.set([levels[slug] for slug in unclear])


@pytest.fixture
def generated():
    """80 programmes of every delivery with 0 to 4 rules of random kinds, places and words."""
    rng = random.Random(19)
    levels = {slug: make_study_level(slug=slug) for slug in LEVELS}
    disciplines = [make_discipline(slug=slug) for slug in DISCIPLINES]
    universities = {slug: make_organisation(slug=slug) for slug in UNIVERSITIES}
    countries = {code: make_country(code) for code in COUNTRIES}
    for _ in range(80):
        programme = make_programme(
            delivery=rng.choice(Programme.Delivery.values),
            countries=rng.sample(list(countries.values()), rng.randint(0, 2)),
        )
        programme.disciplines.set(rng.sample(disciplines, rng.randint(0, 2)))
        for _ in range(rng.choice([0, 1, 1, 2, 2, 3, 4])):
            _rule(programme, rng, levels, universities, countries)


def optional(values) -> st.SearchStrategy:
    return st.sampled_from(["", *values])


profiles = st.builds(
    Profile,
    age=st.one_of(st.none(), st.integers(12, 30)),
    level=optional(LEVELS),
    school_year=optional(["final", "penultimate", "earlier"]),
    university=optional([*UNIVERSITIES, "other"]),
    discipline=optional(DISCIPLINES),
    country=optional(COUNTRIES),
    citizenship=optional(COUNTRIES),
    area=st.sampled_from(["", *AREAS, " baltimore city ", "Bāltimore City", "Elsewhere"]),
    english_test=optional(["IELTS", "TOEFL", "other"]),
    english_score=st.one_of(
        st.none(), st.decimals(min_value=0, max_value=120, places=1, allow_nan=False)
    ),
    enrolled=optional(["yes", "no"]),
)


def decided(profile: Profile) -> tuple[set[int], set[int], set[int], set[int]]:
    """(kept by SQL, may apply by the matcher, Eligible by SQL, Eligible by the matcher)."""
    published = Programme.objects.published()
    everyone = published.prefetch_related("countries", "disciplines").with_rules()
    verdicts = {p.pk: match(p, profile) for p in everyone}
    return (
        set(published.filter(may_apply_q(profile)).values_list("pk", flat=True)),
        {pk for pk, verdict in verdicts.items() if verdict.may_apply},
        set(published.filter(eligible_q(profile)).values_list("pk", flat=True)),
        {pk for pk, verdict in verdicts.items() if verdict.state == ELIGIBLE},
    )


@EXAMPLES
@given(profile=profiles)
def test_the_database_keeps_exactly_what_the_matcher_calls_eligible_or_check(generated, profile):
    kept, may_apply, eligible, called_eligible = decided(profile)

    assert kept == may_apply
    assert eligible == called_eligible


@pytest.mark.parametrize(
    "profile",
    [
        Profile(age=17, level=SECONDARY, country="GB", enrolled="yes"),
        Profile(age=20, level="medical-student", country="IN", enrolled="yes", university="other"),
        Profile(
            age=16,
            level=SECONDARY,
            school_year="penultimate",
            country="US",
            area="Baltimore City",
            enrolled="yes",
        ),
        Profile(
            age=17, level=SECONDARY, school_year="final", country="US", area="Northern California"
        ),
        Profile(age=14, level=SECONDARY, school_year="earlier"),
        Profile(age=22),
        # A university's own-students route, asked about by its student and by a pupil there.
        Profile(level="medical-student", university="semmelweis-university"),
        Profile(level=SECONDARY, university="semmelweis-university"),
        Profile(level="graduate", english_test="IELTS", english_score=Decimal("6.0")),
        Profile(
            level="pre-med", discipline="nursing", enrolled="no", citizenship="US", country="GB"
        ),
    ],
)
def test_on_the_real_directory_the_database_and_the_matcher_agree(seeded, profile):
    kept, may_apply, eligible, called_eligible = decided(profile)

    assert kept == may_apply
    assert eligible == called_eligible
