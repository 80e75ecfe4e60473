"""The eligibility matcher on the real, seeded rules: a verdict and a reason for every rule."""

from decimal import Decimal

import pytest

from programs.decisions.matching import CHECK, ELIGIBLE, NOT_ELIGIBLE, Profile, match
from programs.models import Programme

pytestmark = pytest.mark.django_db

NIH = "nhgri-summer-internship-biomedical-research"
JHIBS = "johns-hopkins-internship-brain-sciences"
LITE_REGAL = "lite-regal-medical-internship-shadowing-london"
STANFORD = "stanford-pediatrics-internship-program"

UK_SCHOOL_STUDENT = Profile(
    age=17,
    level="secondary-school",
    level_name="Secondary school",
    country="GB",
    country_name="United Kingdom",
    enrolled="yes",
)


def programme(slug: str) -> Programme:
    return Programme.objects.get(slug=slug)


def states(verdict) -> list[tuple[str, str]]:
    return [(reason.state, reason.text) for reason in verdict.reasons]


def test_a_uk_17_year_old_school_student_must_check_the_nih_internship(seeded):
    verdict = match(programme(NIH), UK_SCHOOL_STUDENT)

    assert verdict.state == CHECK
    assert verdict.label == "Check"
    assert states(verdict) == [
        (ELIGIBLE, "Requires age 17 or over; you will be 17."),
        (
            ELIGIBLE,
            "Open to secondary school or pre-med and pre-health undergraduates: "
            "“Enrolled at least half-time in high school or college.”",
        ),
        (
            CHECK,
            "Ask the provider: “Graduating high school seniors need a letter of admission to "
            "college.”",
        ),
    ]


def test_a_16_year_old_is_not_eligible_for_the_nih_internship(seeded):
    verdict = match(programme(NIH), Profile(age=16))

    assert verdict.state == NOT_ELIGIBLE
    assert verdict.reasons[0].text == "Requires age 17 or over; you will be 16."


def test_a_pre_med_student_is_not_held_to_the_rule_for_graduating_high_school_seniors(seeded):
    profile = Profile(age=19, level="pre-med", level_name="Pre-med", enrolled="yes")

    verdict = match(programme(NIH), profile)

    assert verdict.state == ELIGIBLE
    assert verdict.reasons[2].state == ELIGIBLE


def test_a_student_who_is_not_enrolled_is_not_eligible_where_enrolment_is_required(seeded):
    verdict = match(programme(NIH), Profile(age=18, enrolled="no"))

    assert verdict.state == NOT_ELIGIBLE


def test_unknown_answers_give_check_never_a_guess(seeded):
    verdict = match(programme(NIH), Profile(area="somewhere"))

    assert verdict.state == CHECK
    assert [r.state for r in verdict.reasons] == [CHECK, CHECK, CHECK]
    assert verdict.reasons[0].text == "Requires age 17 or over; you did not give your age."


def test_jhibs_in_person_places_need_baltimore_city_residence_and_virtual_places_the_us(seeded):
    verdict = match(programme(JHIBS), UK_SCHOOL_STUDENT)

    assert verdict.state == NOT_ELIGIBLE
    assert (
        NOT_ELIGIBLE,
        "For in-person places: Requires residence in Baltimore City; you live in United Kingdom.",
    ) in states(verdict)
    assert (
        NOT_ELIGIBLE,
        "For virtual places: Requires residence in United States; you live in United Kingdom.",
    ) in states(verdict)


def test_a_us_school_student_outside_baltimore_may_still_take_a_virtual_place(seeded):
    us_student = Profile(
        level="secondary-school", level_name="Secondary school", country="US", area="Denver"
    )

    verdict = match(programme(JHIBS), us_student)

    # Background criteria can only be judged by the provider: Check, not Eligible.
    assert verdict.state == CHECK
    assert states(verdict) == [
        (
            ELIGIBLE,
            "Open to secondary school: “High school juniors and seniors.”",
        ),
        (CHECK, "Ask the provider: “Applicants from underrepresented backgrounds.”"),
        (
            CHECK,
            "For in-person places: Requires residence in Baltimore City; confirm that your "
            "address is inside it.",
        ),
        (ELIGIBLE, "For virtual places: Requires residence in United States; you live there."),
    ]


def test_an_ielts_score_below_the_band_is_not_eligible_and_another_test_is_check(seeded):
    lite_regal = programme(LITE_REGAL)

    low = match(lite_regal, Profile(english_test="IELTS", english_score=Decimal("4.5")))
    toefl = match(lite_regal, Profile(english_test="TOEFL", english_score=Decimal("90")))
    good = match(lite_regal, Profile(english_test="IELTS", english_score=Decimal("6.5")))

    assert low.state == NOT_ELIGIBLE
    assert low.reasons[3].text == ("Asks for IELTS 5–6 or an equivalent; your IELTS score is 4.5.")
    assert toefl.reasons[3].state == CHECK
    assert toefl.reasons[3].text == (
        "Asks for IELTS 5–6 or an equivalent; ask whether your TOEFL result counts."
    )
    assert good.reasons[3].state == ELIGIBLE


def test_stanford_requires_northern_california_residence(seeded):
    verdict = match(programme(STANFORD), UK_SCHOOL_STUDENT)

    assert verdict.state == NOT_ELIGIBLE
    assert (
        NOT_ELIGIBLE,
        "Requires residence in Northern California; you live in United Kingdom.",
    ) in states(verdict)


def test_a_programme_whose_source_states_no_rule_is_check(seeded):
    verdict = match(programme("ifmsa-clinical-exchanges"), UK_SCHOOL_STUDENT)

    assert verdict.state == CHECK
    assert states(verdict) == [(CHECK, "The source states no eligibility rules; ask.")]


def test_a_discipline_the_programme_does_not_list_is_check(seeded):
    nurse = Profile(discipline="nursing", discipline_name="Nursing")

    verdict = match(programme("uclh-hospital-shadowing-elective"), nurse)

    assert verdict.reasons[-1].text == (
        "Listed for medicine; ask whether nursing students can join."
    )
    assert verdict.state == CHECK
