"""The eligibility matcher on the real, seeded rules: a verdict and a reason for every rule.

Every programme is tried with at least one profile for each verdict its guide's words allow; each
case names the words it relies on (from "10 Best Medical Internship For International Students
2025/2026" or "International Medical Internships 2026").
"""

from decimal import Decimal
from typing import Any

import pytest

from programs.decisions.matching import CHECK, ELIGIBLE, NOT_ELIGIBLE, Profile, match
from programs.models import Programme

pytestmark = pytest.mark.django_db

NIH = "nhgri-summer-internship-biomedical-research"
JHIBS = "johns-hopkins-internship-brain-sciences"
LITE_REGAL = "lite-regal-medical-internship-shadowing-london"
STANFORD = "stanford-pediatrics-internship-program"
ROSWELL = "roswell-park-summer-cancer-research-experience"
PENN = "penn-center-for-global-health-internship"

MED: dict[str, Any] = {"level": "medical-student", "level_name": "Medical and healthcare students"}
PRE_MED: dict[str, Any] = {
    "level": "pre-med",
    "level_name": "Pre-med and pre-health undergraduates",
}
SCHOOL: dict[str, Any] = {"level": "secondary-school", "level_name": "Secondary school"}
GRADUATE: dict[str, Any] = {"level": "graduate", "level_name": "Graduates and early-career doctors"}

UK_SCHOOL_STUDENT = Profile(
    age=17, **SCHOOL, country="GB", country_name="United Kingdom", enrolled="yes"
)
INDIAN_MEDICAL_STUDENT = Profile(
    age=20, **MED, country="IN", country_name="India", enrolled="yes", university="other"
)
US_JUNIOR_IN_BALTIMORE = Profile(
    age=16,
    **SCHOOL,
    school_year="penultimate",
    country="US",
    country_name="United States",
    area="Baltimore City",
    enrolled="yes",
)
US_SENIOR_IN_NORTHERN_CALIFORNIA = Profile(
    age=17,
    **SCHOOL,
    school_year="final",
    country="US",
    country_name="United States",
    area="Northern California",
)
FOURTEEN_YEAR_OLD = Profile(age=14, **SCHOOL)
FOURTEEN_YEAR_OLD_IN_YEAR_9 = Profile(age=14, **SCHOOL, school_year="earlier")


def programme(slug: str) -> Programme:
    return Programme.objects.get(slug=slug)


def states(verdict) -> list[tuple[str, str]]:
    return [(reason.state, reason.text) for reason in verdict.reasons]


# (programme, profile, verdict, the guide's words the verdict rests on)
CASES = [
    # Lite Regal: "International students aged ≥ 17 (Year 12+ or MBBS undergrad) with good
    # English (IELTS 5–6 or equivalent)"
    (
        LITE_REGAL,
        Profile(
            age=20,
            **MED,
            country="IN",
            country_name="India",
            english_test="IELTS",
            english_score=Decimal("6.5"),
        ),
        ELIGIBLE,
        "International students aged ≥ 17 … MBBS undergrad … IELTS 5–6",
    ),
    (LITE_REGAL, Profile(age=16), NOT_ELIGIBLE, "aged ≥ 17"),
    (
        LITE_REGAL,
        Profile(age=20, **MED, country="IN", english_test="IELTS", english_score=Decimal("5.5")),
        CHECK,
        "IELTS 5–6: a 5.5 is inside the band",
    ),
    (LITE_REGAL, Profile(age=18, **SCHOOL, school_year="earlier"), NOT_ELIGIBLE, "Year 12+"),
    # UCLH: "Medical students (esp. international)"
    (
        "uclh-hospital-shadowing-elective",
        Profile(**MED, discipline="medicine", discipline_name="Medicine"),
        ELIGIBLE,
        "Medical students",
    ),
    ("uclh-hospital-shadowing-elective", Profile(**PRE_MED), NOT_ELIGIBLE, "Medical students"),
    ("uclh-hospital-shadowing-elective", Profile(age=30), CHECK, "Medical students"),
    # Barts: "Medical undergrads looking for clinical exposure"
    ("barts-health-summer-internship", Profile(**MED), ELIGIBLE, "Medical undergrads"),
    ("barts-health-summer-internship", Profile(**GRADUATE), NOT_ELIGIBLE, "Medical undergrads"),
    ("barts-health-summer-internship", Profile(age=20), CHECK, "Medical undergrads"),
    # UCL: "Undergraduate students in biomedical fields"
    ("ucl-summer-research-internship", Profile(**PRE_MED), ELIGIBLE, "biomedical fields"),
    ("ucl-summer-research-internship", Profile(**MED), CHECK, "biomedical fields"),
    ("ucl-summer-research-internship", Profile(**SCHOOL), NOT_ELIGIBLE, "Undergraduate students"),
    # MRC: "Biomedical undergraduates (UK & possibly international via university nomination)"
    ("mrc-lab-based-summer-studentships", Profile(**PRE_MED), CHECK, "via university nomination"),
    ("mrc-lab-based-summer-studentships", Profile(**SCHOOL), NOT_ELIGIBLE, "undergraduates"),
    # NHGRI: "Minimum 17 years old; enrolled at least half-time in high school or college;
    # graduating seniors need college admission letter"
    (NIH, Profile(age=18, **PRE_MED, enrolled="yes"), ELIGIBLE, "enrolled … in … college"),
    (
        NIH,
        Profile(age=17, **SCHOOL, school_year="penultimate", enrolled="yes"),
        ELIGIBLE,
        "enrolled … in high school; graduating seniors (not this student)",
    ),
    (NIH, INDIAN_MEDICAL_STUDENT, CHECK, "high school or college: is a medical school college?"),
    (NIH, Profile(age=16), NOT_ELIGIBLE, "Minimum 17 years old"),
    (NIH, Profile(age=18, enrolled="no"), NOT_ELIGIBLE, "enrolled at least half-time"),
    # JHIBS: "High school juniors/seniors; underrepresented backgrounds; in-person must be
    # Baltimore City resident (virtual is open to all US)" — backgrounds only the provider judges.
    (JHIBS, US_JUNIOR_IN_BALTIMORE, CHECK, "underrepresented backgrounds"),
    (JHIBS, FOURTEEN_YEAR_OLD_IN_YEAR_9, NOT_ELIGIBLE, "High school juniors/seniors"),
    (JHIBS, INDIAN_MEDICAL_STUDENT, NOT_ELIGIBLE, "High school juniors/seniors"),
    # Roswell Park: "High school juniors and seniors"
    (ROSWELL, US_JUNIOR_IN_BALTIMORE, ELIGIBLE, "High school juniors and seniors"),
    (ROSWELL, FOURTEEN_YEAR_OLD, CHECK, "juniors and seniors: which school year?"),
    (ROSWELL, FOURTEEN_YEAR_OLD_IN_YEAR_9, NOT_ELIGIBLE, "High school juniors and seniors"),
    (ROSWELL, INDIAN_MEDICAL_STUDENT, NOT_ELIGIBLE, "High school juniors and seniors"),
    # Stanford: "High school juniors/seniors residing in Northern California; diverse/
    # underrepresented backgrounds"
    (STANFORD, US_SENIOR_IN_NORTHERN_CALIFORNIA, CHECK, "diverse/underrepresented backgrounds"),
    (STANFORD, UK_SCHOOL_STUDENT, NOT_ELIGIBLE, "residing in Northern California"),
    # Penn: "Enrolled in medical school (IMGs welcome) with genuine interest in global health"
    (PENN, INDIAN_MEDICAL_STUDENT, CHECK, "genuine interest in global health"),
    (PENN, Profile(**GRADUATE), CHECK, "IMGs welcome"),
    (PENN, Profile(**SCHOOL), NOT_ELIGIBLE, "Enrolled in medical school"),
    # The 2026 guide's own-students routes: "allow students to join" (Semmelweis), "with students
    # being able to complete clinical rotations" (UHSA), "as part of its medical curriculum" (Ross)
    (
        "semmelweis-international-mobility-placements",
        Profile(**MED, university="semmelweis-university"),
        ELIGIBLE,
        "Semmelweis … allow students to join",
    ),
    (
        "semmelweis-international-mobility-placements",
        INDIAN_MEDICAL_STUDENT,
        NOT_ELIGIBLE,
        "Semmelweis's own students",
    ),
    ("semmelweis-international-mobility-placements", Profile(**MED), CHECK, "which university?"),
    (
        "uhsa-clinical-rotations-abroad",
        Profile(university="uhsa"),
        ELIGIBLE,
        "its medical programmes",
    ),
    ("uhsa-clinical-rotations-abroad", INDIAN_MEDICAL_STUDENT, NOT_ELIGIBLE, "UHSA's students"),
    ("uhsa-clinical-rotations-abroad", Profile(age=22), CHECK, "which university?"),
    (
        "ross-global-health-electives",
        Profile(university="ross-university-school-of-medicine"),
        ELIGIBLE,
        "as part of its medical curriculum",
    ),
    ("ross-global-health-electives", INDIAN_MEDICAL_STUDENT, NOT_ELIGIBLE, "its curriculum"),
    ("ross-global-health-electives", Profile(age=22), CHECK, "which university?"),
    # Networks and organisations the 2026 guide names without any terms: only "Check".
    ("erasmus-bilateral-mobility-electives", INDIAN_MEDICAL_STUDENT, CHECK, "no terms stated"),
    ("ifmsa-clinical-exchanges", INDIAN_MEDICAL_STUDENT, CHECK, "no terms stated"),
    ("who-internships", INDIAN_MEDICAL_STUDENT, CHECK, "no terms stated"),
    ("unicef-internships", INDIAN_MEDICAL_STUDENT, CHECK, "no terms stated"),
    ("paho-internships", INDIAN_MEDICAL_STUDENT, CHECK, "no terms stated"),
    # ... named under "How Students Can Get Internships Even Without University Support": "Not
    # every medical school runs a dedicated international internship programme, but in practice,
    # students can apply on their own": medical school students, not a secondary-school pupil.
    ("ifmsa-clinical-exchanges", FOURTEEN_YEAR_OLD, NOT_ELIGIBLE, "not every medical school"),
    ("who-internships", FOURTEEN_YEAR_OLD, NOT_ELIGIBLE, "not every medical school"),
    ("unicef-internships", UK_SCHOOL_STUDENT, NOT_ELIGIBLE, "not every medical school"),
    ("paho-internships", Profile(**GRADUATE), CHECK, "students can apply on their own"),
    # An own-students route ("For Semmelweis University students") is not a school pupil's.
    ("semmelweis-international-mobility-placements", FOURTEEN_YEAR_OLD, NOT_ELIGIBLE, "students"),
]


@pytest.mark.parametrize(("slug", "profile", "expected", "words"), CASES)
def test_each_programme_gives_the_verdict_its_guide_words_decide(
    seeded, slug, profile, expected, words
):
    assert match(programme(slug), profile).state == expected, words


def test_every_published_programme_has_a_case_for_each_verdict_it_can_give(seeded):
    covered = {slug for slug, *_ in CASES}

    assert covered == set(Programme.objects.published().values_list("slug", flat=True))


def test_an_enrolled_medical_student_from_india_is_told_the_own_students_routes_are_not_for_them(
    seeded,
):
    # "Semmelweis has extensive international partnerships and mobility agreements that allow
    # students to join clinical rotations"
    verdict = match(
        programme("semmelweis-international-mobility-placements"), INDIAN_MEDICAL_STUDENT
    )

    assert states(verdict) == [
        (
            NOT_ELIGIBLE,
            "A route for Semmelweis University's own students: “For Semmelweis University "
            "students, through the university's partnership and mobility agreements.” You study "
            "elsewhere.",
        )
    ]


def test_a_medical_student_is_asked_whether_high_school_or_college_includes_them(seeded):
    # NHGRI: "enrolled at least half-time in high school or college"
    verdict = match(programme(NIH), INDIAN_MEDICAL_STUDENT)

    assert states(verdict) == [
        (ELIGIBLE, "Requires age 17 or over; you will be 20."),
        (
            CHECK,
            "The source says “Enrolled at least half-time in high school or college.” Ask whether "
            "that includes medical and healthcare students.",
        ),
        (
            ELIGIBLE,
            "Only for secondary school, so it does not apply to you: “Graduating high school "
            "seniors need a letter of admission to college.”",
        ),
    ]


def test_a_14_year_old_without_a_school_year_is_asked_for_it_not_told_eligible(seeded):
    # Roswell Park: "High school juniors and seniors"
    verdict = match(programme(ROSWELL), FOURTEEN_YEAR_OLD)

    assert states(verdict) == [
        (
            CHECK,
            "“High school juniors and seniors.” means the last 2 years of secondary school; you "
            "did not give your school year.",
        )
    ]


def test_a_graduating_senior_is_asked_for_the_college_admission_letter(seeded):
    # NHGRI: "graduating seniors need college admission letter"
    senior = Profile(age=18, **SCHOOL, school_year="final", enrolled="yes")

    verdict = match(programme(NIH), senior)

    assert verdict.state == CHECK
    assert verdict.reasons[2] == (
        verdict.reasons[2].__class__(
            CHECK,
            "Ask the provider: “Graduating high school seniors need a letter of admission to "
            "college.”",
        )
    )


def test_jhibs_virtual_places_ask_a_student_abroad_whether_they_are_a_us_citizen(seeded):
    # JHIBS: "in-person must be Baltimore City resident (virtual is open to all US)"
    verdict = match(programme(JHIBS), UK_SCHOOL_STUDENT)

    assert (
        NOT_ELIGIBLE,
        "For in-person places: Requires residence in Baltimore City; you live in United Kingdom.",
    ) in states(verdict)
    assert (
        CHECK,
        "For virtual places: Requires residence in United States (the source says “Virtual "
        "places are open to applicants from anywhere in the US.”); are you a United States "
        "citizen?",
    ) in states(verdict)


def test_jhibs_virtual_places_are_closed_to_a_student_who_neither_lives_in_nor_is_from_the_us(
    seeded,
):
    british = Profile(**SCHOOL, country="GB", country_name="United Kingdom", citizenship="GB")

    verdict = match(programme(JHIBS), british)

    assert verdict.state == NOT_ELIGIBLE
    assert (
        NOT_ELIGIBLE,
        "For virtual places: Requires residence in United States; you live in United Kingdom.",
    ) in states(verdict)


def test_an_ielts_score_below_the_band_is_not_eligible_inside_it_check_above_it_eligible(
    seeded,
):
    # Lite Regal: "good English (IELTS 5–6 or equivalent)"
    lite_regal = programme(LITE_REGAL)

    low = match(lite_regal, Profile(english_test="IELTS", english_score=Decimal("4.5")))
    inside = match(lite_regal, Profile(english_test="IELTS", english_score=Decimal("5.5")))
    toefl = match(lite_regal, Profile(english_test="TOEFL", english_score=Decimal("90")))
    good = match(lite_regal, Profile(english_test="IELTS", english_score=Decimal("6")))

    assert low.state == NOT_ELIGIBLE
    assert low.reasons[3].text == "Asks for IELTS 5–6 or an equivalent; your IELTS score is 4.5."
    assert inside.reasons[3].state == CHECK
    assert inside.reasons[3].text == (
        "Asks for IELTS 5–6 or an equivalent; your IELTS score of 5.5 is inside the band: ask "
        "whether it is enough."
    )
    assert toefl.reasons[3].text == (
        "Asks for IELTS 5–6 or an equivalent; ask whether your TOEFL result counts."
    )
    assert good.reasons[3].state == ELIGIBLE


def test_an_overall_eligible_still_says_what_the_guides_never_state(seeded):
    # Roswell Park's entry states no residence, nationality or visa rule.
    verdict = match(programme(ROSWELL), US_JUNIOR_IN_BALTIMORE)

    assert verdict.state == ELIGIBLE
    assert verdict.unstated == (
        "The guides never state visa or nationality requirements: confirm them with the "
        "provider. The guides never say whether you may travel or take part as a minor (under "
        "18): ask."
    )


def test_international_students_living_in_the_host_country_are_asked_not_told(seeded):
    # Lite Regal: "International students"
    verdict = match(programme(LITE_REGAL), Profile(country="GB", country_name="United Kingdom"))

    assert verdict.reasons[0] == verdict.reasons[0].__class__(
        CHECK,
        "“Open to international students.” You live in United Kingdom: ask whether residents "
        "can join.",
    )


def test_a_programme_whose_source_states_no_rule_is_check(seeded):
    verdict = match(programme("erasmus-bilateral-mobility-electives"), UK_SCHOOL_STUDENT)

    assert verdict.state == CHECK
    assert states(verdict) == [(CHECK, "The source states no eligibility rules; ask.")]


def test_a_discipline_the_programme_does_not_list_is_check(seeded):
    nurse = Profile(discipline="nursing", discipline_name="Nursing")

    verdict = match(programme("uclh-hospital-shadowing-elective"), nurse)

    assert verdict.reasons[-1].text == (
        "Listed for medicine; ask whether nursing students can join."
    )
    assert verdict.state == CHECK
