"""The eligibility matcher: a student's profile against a programme's structured rules.

One function, `match()`, gives a verdict per rule and for the programme. It never guesses: a rule
the profile leaves open, or one the data cannot decide (background, nomination, free-text
conditions), is "Check", and so is a programme whose source states no rule at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Prefetch

if TYPE_CHECKING:
    from programs.models import EligibilityRule, Programme

ELIGIBLE = "eligible"
CHECK = "check"
NOT_ELIGIBLE = "not_eligible"

LABELS = {ELIGIBLE: "Eligible", CHECK: "Check", NOT_ELIGIBLE: "Not eligible"}
TONES = {ELIGIBLE: "good", CHECK: "warn", NOT_ELIGIBLE: "bad"}
# Worst first: one "not eligible" rule decides the programme, then any "check".
SEVERITY = {NOT_ELIGIBLE: 0, CHECK: 1, ELIGIBLE: 2}
MODES = {"in_person": "in-person places", "virtual": "virtual places"}


@dataclass(frozen=True)
class Profile:
    """What a student told us, all optional; it lives only in the URL."""

    age: int | None = None
    level: str = ""  # StudyLevel slug
    level_name: str = ""
    discipline: str = ""  # Discipline slug
    discipline_name: str = ""
    country: str = ""  # ISO code, or "other" for a country the directory does not list
    country_name: str = ""
    area: str = ""  # city, county or state, e.g. "Baltimore City"
    english_test: str = ""  # "IELTS", "TOEFL", "other" or "" (none / not said)
    english_score: Decimal | None = None
    enrolled: str = ""  # "yes", "no" or "" (not said)
    start: date | None = None

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.age is not None,
                self.level,
                self.discipline,
                self.country,
                self.area,
                self.english_test,
                self.enrolled,
            )
        )


@dataclass(frozen=True)
class Reason:
    state: str
    text: str

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def tone(self) -> str:
        return TONES[self.state]


@dataclass
class Verdict:
    state: str
    reasons: list[Reason] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def tone(self) -> str:
        return TONES[self.state]

    @property
    def may_apply(self) -> bool:
        return self.state != NOT_ELIGIBLE


def rules_prefetch() -> Prefetch:
    """Everything `match()` reads from a programme's rules, in two queries for any number."""
    from programs.models import EligibilityRule

    return Prefetch(
        "eligibility_rules",
        queryset=EligibilityRule.objects.prefetch_related("study_levels").select_related(
            "residency_country"
        ),
    )


def _levels(rule: EligibilityRule) -> tuple[set[str], str]:
    levels = list(rule.study_levels.all())
    return {level.slug for level in levels}, " or ".join(level.name.lower() for level in levels)


def judge_rule(rule: EligibilityRule, profile: Profile) -> Reason:
    """One rule's verdict, with a sentence that says why."""
    kind = rule.kind
    if kind == "min_age" and rule.min_age is not None:  # a named constraint guarantees the age
        if profile.age is None:
            return Reason(CHECK, f"Requires age {rule.min_age} or over; you did not give your age.")
        if profile.age >= rule.min_age:
            return Reason(
                ELIGIBLE, f"Requires age {rule.min_age} or over; you will be {profile.age}."
            )
        return Reason(
            NOT_ELIGIBLE, f"Requires age {rule.min_age} or over; you will be {profile.age}."
        )
    if kind in ("study_level", "enrolment"):
        slugs, names = _levels(rule)
        if kind == "enrolment" and profile.enrolled == "no":
            return Reason(NOT_ELIGIBLE, f"Requires current enrolment: “{rule.text}”")
        if not slugs:
            return Reason(CHECK, f"The source states: “{rule.text}”")
        if not profile.level:
            return Reason(CHECK, f"Open to {names}; you did not give your study level.")
        if profile.level not in slugs:
            return Reason(
                NOT_ELIGIBLE, f"Open to {names}; you are at {profile.level_name.lower()} level."
            )
        if kind == "enrolment" and profile.enrolled != "yes":
            return Reason(CHECK, f"Requires current enrolment: “{rule.text}”")
        return Reason(ELIGIBLE, f"Open to {names}: “{rule.text}”")
    if kind == "residency":
        return _judge_residency(rule, profile)
    if kind == "language":
        return _judge_language(rule, profile)
    if kind == "other" and rule.study_levels.all():
        slugs, names = _levels(rule)
        if profile.level and profile.level not in slugs:
            return Reason(ELIGIBLE, f"Only for {names}, so it does not apply to you: “{rule.text}”")
    # Background, nomination and free-text conditions: only the provider can say.
    return Reason(CHECK, f"Ask the provider: “{rule.text}”")


def _judge_residency(rule: EligibilityRule, profile: Profile) -> Reason:
    country = rule.residency_country
    place = rule.residency_area or (country.name if country else "")
    where = f"Requires residence in {place}" if place else f"“{rule.text}”"
    if country is None:
        return Reason(CHECK, f"{where}; the source names no country.")
    if not profile.country:
        return Reason(CHECK, f"{where}; you did not give your country of residence.")
    if profile.country != country.code:
        return Reason(NOT_ELIGIBLE, f"{where}; you live in {profile.country_name}.")
    if not rule.residency_area:
        return Reason(ELIGIBLE, f"{where}; you live there.")
    if profile.area.strip().casefold() == rule.residency_area.casefold():
        return Reason(ELIGIBLE, f"{where}; you live there.")
    # A different spelling or a neighbouring place is not proof either way.
    return Reason(CHECK, f"{where}; confirm that your address is inside it.")


def _score(value: Decimal) -> str:
    """5.0 → "5", 6.5 → "6.5"."""
    return f"{value.normalize():f}"


def _judge_language(rule: EligibilityRule, profile: Profile) -> Reason:
    test = rule.language_test
    low = rule.language_score_min
    band = ""
    if low is not None:
        high = rule.language_score_max
        band = (
            f" {_score(low)}–{_score(high)}"
            if high is not None and high != low
            else f" {_score(low)} or more"
        )
    wanted = f"Asks for {test}{band} or an equivalent"
    if not profile.english_test:
        return Reason(CHECK, f"{wanted}; you did not give an English test.")
    if profile.english_test.casefold() != test.casefold():
        return Reason(CHECK, f"{wanted}; ask whether your {profile.english_test} result counts.")
    if low is None or profile.english_score is None:
        return Reason(CHECK, f"{wanted}; compare your score with the provider's requirement.")
    if profile.english_score >= low:
        return Reason(ELIGIBLE, f"{wanted}; your {test} score is {_score(profile.english_score)}.")
    return Reason(NOT_ELIGIBLE, f"{wanted}; your {test} score is {_score(profile.english_score)}.")


def _combine(reasons: Iterable[Reason]) -> str:
    return min((r.state for r in reasons), key=SEVERITY.__getitem__, default=ELIGIBLE)


def match(programme: Programme, profile: Profile) -> Verdict:
    """The programme's verdict for this profile, with the reason for every rule.

    A hybrid programme may set different rules for in-person and virtual places: the verdict is the
    better of the two, and each mode-specific reason says which places it is about.
    """
    rules = list(programme.eligibility_rules.all())
    if not rules:
        return Verdict(CHECK, [Reason(CHECK, "The source states no eligibility rules; ask.")])
    reasons: list[Reason] = []
    by_mode: dict[str, list[Reason]] = {"all": []}
    for rule in rules:
        reason = judge_rule(rule, profile)
        if rule.applies_to != "all":
            reason = Reason(reason.state, f"For {MODES[rule.applies_to]}: {reason.text}")
        by_mode.setdefault(rule.applies_to, []).append(reason)
        reasons.append(reason)
    disciplines = list(programme.disciplines.all())
    if profile.discipline and disciplines:
        names = " or ".join(d.name.lower() for d in disciplines)
        if profile.discipline in {d.slug for d in disciplines}:
            reasons.append(Reason(ELIGIBLE, f"Listed for {names}."))
        else:
            text = f"Listed for {names}; ask whether {profile.discipline_name.lower()} students can join."
            reason = Reason(CHECK, text)
            reasons.append(reason)
            by_mode["all"].append(reason)
    common = _combine(by_mode["all"])
    modes = [m for m in MODES if m in by_mode]
    if programme.delivery == "hybrid" and modes:
        # Places without a mode-specific rule count too (e.g. virtual places when only the in-person
        # places have a residency rule).
        states = [_combine(by_mode.get(m, [])) for m in MODES]
        best = max(states, key=SEVERITY.__getitem__)
        state = min((common, best), key=SEVERITY.__getitem__)
    else:
        state = _combine(reasons)
    return Verdict(state, reasons)
