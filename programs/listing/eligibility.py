"""The matcher's verdicts as conditions the database tests, so "eligible only" narrows in SQL.

`programs.decisions.matching.match()` stays the one place that writes verdicts and reasons; it
judges the cards a page shows. This module restates, for one profile, when each rule says
"Eligible" and when "Not eligible", over the facts the rules already store (minimum age, the
levels the words clearly or unclearly include, the school years, the university of an
own-students route, the residence country and area, whether citizens count, the language test
and its band) and a programme's disciplines and countries. Every branch mirrors a branch of
`judge_rule()`; tests/test_eligibility_in_sql.py proves, over generated programmes and profiles,
that `may_apply_q()` keeps exactly what `match()` calls Eligible or Check and `eligible_q()`
exactly what it calls Eligible.
"""

from __future__ import annotations

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from programs.core.text import fold
from programs.decisions.matching import SCHOOL_YEARS, SECONDARY, Profile
from programs.models import Country, EligibilityRule, Programme

Kind = EligibilityRule.Kind
LEVEL_KINDS = (Kind.STUDY_LEVEL, Kind.ENROLMENT)
NOWHERE = Q(pk__in=[])


def _levels(field: str, slug: str | None = None) -> Q:
    """The rule lists any level (or the level `slug`) in `field` (study_levels, unclear_levels)."""
    link = getattr(EligibilityRule, field).through.objects.filter(eligibilityrule_id=OuterRef("pk"))
    if slug is not None:
        link = link.filter(studylevel__slug=slug)
    return Q(Exists(link))


def _school_year_within(profile: Profile) -> Q:
    """The student's school year is among the rule's last `final_school_years` years."""
    if not profile.school_year:
        return NOWHERE
    return Q(final_school_years__gte=SCHOOL_YEARS[profile.school_year])


def _school_year_before(profile: Profile) -> Q:
    if not profile.school_year:
        return NOWHERE
    return Q(final_school_years__lt=SCHOOL_YEARS[profile.school_year])


def _areas_matching(profile: Profile) -> list[str]:
    """The stored residence areas that name the student's own area (as the matcher folds them)."""
    mine = fold(profile.area.strip())
    areas = EligibilityRule.objects.exclude(residency_area="").values_list("residency_area")
    return [area for (area,) in areas.distinct() if fold(area) == mine]


def rule_not_eligible_q(profile: Profile) -> Q:
    """Rules that say "Not eligible" for this profile."""
    p = profile
    found = NOWHERE
    if p.age is not None:
        found |= Q(kind=Kind.MIN_AGE, min_age__gt=p.age)
    if p.enrolled == "no":
        found |= Q(kind=Kind.ENROLMENT)
    if p.level:
        named = _levels("study_levels") | _levels("unclear_levels")
        outside = named & ~_levels("unclear_levels", p.level) & ~_levels("study_levels", p.level)
        found |= Q(outside, kind__in=LEVEL_KINDS)
        if p.level == SECONDARY:
            found |= Q(
                _levels("study_levels", p.level),
                ~_levels("unclear_levels", p.level),
                _school_year_before(p),
                kind__in=LEVEL_KINDS,
                final_school_years__gt=0,
            )
    own = Q(kind=Kind.OWN_STUDENTS, university__isnull=False)
    if p.level == SECONDARY:  # a university's own students are not at school
        found |= own
    elif p.university:
        found |= own & ~Q(university__slug=p.university)
    if p.country:
        elsewhere = Q(residency_country__isnull=False) & ~Q(residency_country__code=p.country)
        citizens = Q(citizens_count=False)
        if p.citizenship:
            citizens |= ~Q(residency_country__code=p.citizenship)
        found |= Q(elsewhere, citizens, kind=Kind.RESIDENCY)
    if p.english_test and p.english_score is not None:
        found |= Q(
            kind=Kind.LANGUAGE,
            language_test__iexact=p.english_test,
            language_score_min__gt=p.english_score,
        )
    return found


def rule_eligible_q(profile: Profile) -> Q:
    """Rules that say "Eligible" for this profile."""
    p = profile
    found = NOWHERE
    if p.age is not None:
        found |= Q(kind=Kind.MIN_AGE, min_age__lte=p.age)
    if p.level:
        clearly = Q(_levels("study_levels", p.level), ~_levels("unclear_levels", p.level))
        if p.enrolled == "no":
            clearly &= ~Q(kind=Kind.ENROLMENT)
        enrolled = ~Q(kind=Kind.ENROLMENT) if p.enrolled != "yes" else Q()
        if p.level == SECONDARY:
            years = Q(final_school_years__gt=0)
            rest = (years & _school_year_within(p)) | (~years | Q(final_school_years=None)) & (
                enrolled
            )
        else:
            rest = enrolled
        found |= Q(clearly, rest, kind__in=LEVEL_KINDS)
        # A condition for other students only does not apply.
        found |= Q(_levels("study_levels"), ~_levels("study_levels", p.level), kind=Kind.OTHER)
        if p.level == SECONDARY:
            found |= Q(_school_year_before(p), kind=Kind.OTHER, final_school_years__gt=0)
    if p.university and p.level != SECONDARY:
        found |= Q(kind=Kind.OWN_STUDENTS, university__slug=p.university)
    if p.country:
        hosts = Country.programmes.through.objects.filter(
            programme_id=OuterRef("programme_id"), country__code=p.country
        )
        found |= Q(~Exists(hosts), kind=Kind.INTERNATIONAL)
        area = Q(residency_area="") | Q(residency_area__in=_areas_matching(p))
        found |= Q(area, kind=Kind.RESIDENCY, residency_country__code=p.country)
    if p.english_test and p.english_score is not None:
        band = Q(language_score_max=None) | Q(language_score_max__lte=p.english_score)
        found |= Q(
            band,
            kind=Kind.LANGUAGE,
            language_test__iexact=p.english_test,
            language_score_min__lte=p.english_score,
        )
    return found


def _any_rule(condition: Q, applies_to: str | None = None) -> Exists:
    rules = EligibilityRule.objects.filter(condition, programme_id=OuterRef("pk"))
    if applies_to is not None:
        rules = rules.filter(applies_to=applies_to)
    return Exists(rules)


HYBRID = Q(delivery=Programme.Delivery.HYBRID)
ALL, IN_PERSON, VIRTUAL = (
    EligibilityRule.AppliesTo.ALL,
    EligibilityRule.AppliesTo.IN_PERSON,
    EligibilityRule.AppliesTo.VIRTUAL,
)


def not_eligible_q(profile: Profile) -> Q:
    """Programmes the matcher calls Not eligible: a rule for every place says so, or (hybrid
    places) a rule for each kind of place does."""
    no = rule_not_eligible_q(profile)
    return (
        Q(_any_rule(no, ALL))
        | (~HYBRID & Q(_any_rule(no)))
        | (HYBRID & Q(_any_rule(no, IN_PERSON)) & Q(_any_rule(no, VIRTUAL)))
    )


def may_apply_q(profile: Profile) -> Q:
    """Programmes the matcher calls Eligible or Check ("eligible only")."""
    return ~not_eligible_q(profile)


def eligible_q(profile: Profile) -> Q:
    """Programmes the matcher calls Eligible: rules that all say so (for a hybrid programme, the
    rules for every place and those of one kind of place), and a listed discipline that is the
    student's when both are given."""
    other = ~rule_eligible_q(profile)
    found = Q(_any_rule(Q())) & ~Q(_any_rule(other, ALL))
    found &= (~HYBRID & ~Q(_any_rule(other))) | (
        HYBRID & (~Q(_any_rule(other, IN_PERSON)) | ~Q(_any_rule(other, VIRTUAL)))
    )
    if profile.discipline:
        link = Programme.disciplines.through.objects.filter(programme_id=OuterRef("pk"))
        listed = Q(Exists(link))
        theirs = Q(Exists(link.filter(discipline__slug=profile.discipline)))
        found &= ~listed | theirs
    return found


def verdict_order(profile: Profile) -> Case:
    """0 for Eligible, 1 otherwise: "eligible only" lists Eligible before Check."""
    return Case(
        When(eligible_q(profile), then=Value(0)), default=Value(1), output_field=IntegerField()
    )
