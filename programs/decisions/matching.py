"""The eligibility matcher: a student's profile against a programme's structured rules.

One function, `match()`, gives a verdict per rule and for the programme. A rule says "Eligible" or
"Not eligible" only when the source's own words decide it for this profile; anything else (an
answer the student did not give, words that may or may not cover the student, background,
nomination and free-text conditions) is "Check", with the reason and the question to ask. A
programme whose source states no rule at all is "Check" too. docs/decisions.md explains each rule.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from programs.core.text import fold

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
SECONDARY = "secondary-school"
# What a school student's year is, counted from the end of secondary school.
SCHOOL_YEARS = {"final": 1, "penultimate": 2, "earlier": 3}
OTHER_UNIVERSITY = "other"
# What neither guide states for any programme: an overall "Eligible" still says it in one line.
NEVER_STATED = (
    "The guides never state visa or nationality requirements: confirm them with the provider."
)
MINOR = "The guides never say whether you may travel or take part as a minor (under 18): ask."


@dataclass(frozen=True)
class Profile:
    """What a student told us, all optional; it lives only in the URL."""

    age: int | None = None
    level: str = ""  # StudyLevel slug
    level_name: str = ""
    school_year: str = ""  # "final", "penultimate", "earlier" (secondary school only) or ""
    university: str = ""  # Organisation slug, "other" (another university) or ""
    discipline: str = ""  # Discipline slug
    discipline_name: str = ""
    country: str = ""  # ISO 3166 alpha-2 code of the country of residence
    country_name: str = ""
    citizenship: str = ""  # ISO 3166 alpha-2 code
    citizenship_name: str = ""
    area: str = ""  # city, county or state, e.g. "Baltimore City"
    english_test: str = ""  # "IELTS", "TOEFL", "other" or "" (none / not said)
    english_score: Decimal | None = None
    enrolled: str = ""  # "yes" (at least half-time), "no" or "" (not said)
    start: date | None = None

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.age is not None,
                self.level,
                self.school_year,
                self.university,
                self.discipline,
                self.country,
                self.citizenship,
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
    # What the guides never state, said even (above all) when the verdict is "Eligible".
    unstated: str = NEVER_STATED

    @property
    def label(self) -> str:
        return LABELS[self.state]

    @property
    def tone(self) -> str:
        return TONES[self.state]

    @property
    def may_apply(self) -> bool:
        return self.state != NOT_ELIGIBLE

    @property
    def severity(self) -> int:
        """For sorting: Eligible first, then Check, then Not eligible."""
        return -SEVERITY[self.state]


def _names(levels) -> str:
    return " or ".join(level.name.lower() for level in levels)


def _school_year(rule: EligibilityRule, profile: Profile, words: str) -> Reason:
    """A school student against "the last N years of secondary school"."""
    years = rule.final_school_years or 0
    last = "final year" if years == 1 else f"last {years} years"
    if not profile.school_year:
        return Reason(
            CHECK,
            f"{words} means the {last} of secondary school; you did not give your school year.",
        )
    if SCHOOL_YEARS[profile.school_year] <= years:
        return Reason(ELIGIBLE, f"{words}: you are in the {last} of secondary school.")
    return Reason(NOT_ELIGIBLE, f"{words} means the {last} of secondary school; you are not yet.")


def _judge_level(rule: EligibilityRule, profile: Profile) -> Reason:
    """Study level and enrolment: "Eligible" only for a level the words clearly include."""
    clear, unclear = list(rule.study_levels.all()), list(rule.unclear_levels.all())
    words = f"“{rule.text}”"
    if rule.kind == "enrolment" and profile.enrolled == "no":
        return Reason(NOT_ELIGIBLE, f"Requires current enrolment: {words}")
    if not clear and not unclear:
        return Reason(CHECK, f"The source states: {words}")
    if not profile.level:
        return Reason(
            CHECK, f"Open to {_names(clear or unclear)}: {words} You did not give your study level."
        )
    if profile.level in {level.slug for level in unclear}:
        return Reason(
            CHECK,
            f"The source says {words} Ask whether that includes {profile.level_name.lower()}.",
        )
    if not clear:
        # Words that may reach some levels and cannot reach the others (a route the guide names
        # for medical school students, asked about by a secondary-school pupil).
        return Reason(
            NOT_ELIGIBLE,
            f"The source says {words} That may reach {_names(unclear)}; "
            f"you are at {profile.level_name.lower()} level.",
        )
    if profile.level not in {level.slug for level in clear}:
        return Reason(
            NOT_ELIGIBLE,
            f"Open to {_names(clear)}: {words} You are at {profile.level_name.lower()} level.",
        )
    if rule.final_school_years and profile.level == SECONDARY:
        return _school_year(rule, profile, words)
    if rule.kind == "enrolment" and profile.enrolled != "yes":
        return Reason(CHECK, f"Requires current enrolment: {words} Are you enrolled?")
    return Reason(ELIGIBLE, f"Open to {_names(clear)}: {words}")


def _judge_own_students(rule: EligibilityRule, profile: Profile) -> Reason:
    university = rule.university
    if university is None:  # a named constraint gives every own-students rule its university
        return Reason(CHECK, f"The source states: “{rule.text}”")
    words = f"A route for {university.name}'s own students: “{rule.text}”"
    if profile.level == SECONDARY:
        return Reason(NOT_ELIGIBLE, f"{words} You are at secondary school.")
    if not profile.university:
        return Reason(CHECK, f"{words} Tell us your university.")
    if profile.university != university.slug:
        return Reason(NOT_ELIGIBLE, f"{words} You study elsewhere.")
    return Reason(ELIGIBLE, f"{words} You study there.")


def _judge_international(rule: EligibilityRule, profile: Profile, hosts: Collection[str]) -> Reason:
    words = f"“{rule.text}”"
    if not profile.country:
        return Reason(CHECK, f"{words} You did not give your country of residence.")
    if profile.country in hosts:
        return Reason(
            CHECK, f"{words} You live in {profile.country_name}: ask whether residents can join."
        )
    return Reason(ELIGIBLE, f"{words} You live in {profile.country_name}.")


def _judge_other(rule: EligibilityRule, profile: Profile) -> Reason:
    """A condition for some students only (e.g. graduating seniors): it does not apply to others."""
    clear = list(rule.study_levels.all())
    words = f"“{rule.text}”"
    if clear and profile.level and profile.level not in {level.slug for level in clear}:
        return Reason(ELIGIBLE, f"Only for {_names(clear)}, so it does not apply to you: {words}")
    if (
        rule.final_school_years
        and profile.level == SECONDARY
        and profile.school_year
        and SCHOOL_YEARS[profile.school_year] > rule.final_school_years
    ):
        return Reason(ELIGIBLE, f"Not your school year, so it does not apply to you: {words}")
    return Reason(CHECK, f"Ask the provider: {words}")


def judge_rule(
    rule: EligibilityRule, profile: Profile, hosts: Collection[str] = frozenset()
) -> Reason:
    """One rule's verdict, with a sentence that says why. `hosts`: the programme's countries."""
    kind = rule.kind
    if kind == "min_age" and rule.min_age is not None:  # a named constraint guarantees the age
        said = f"Requires age {rule.min_age} or over"
        if profile.age is None:
            return Reason(CHECK, f"{said}; you did not give your age.")
        state = ELIGIBLE if profile.age >= rule.min_age else NOT_ELIGIBLE
        return Reason(state, f"{said}; you will be {profile.age}.")
    if kind in ("study_level", "enrolment"):
        return _judge_level(rule, profile)
    if kind == "own_students":
        return _judge_own_students(rule, profile)
    if kind == "international":
        return _judge_international(rule, profile, hosts)
    if kind == "residency":
        return _judge_residency(rule, profile)
    if kind == "language":
        return _judge_language(rule, profile)
    if kind == "other":
        return _judge_other(rule, profile)
    # Background and nomination: only the provider can say.
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
        if rule.citizens_count and not profile.citizenship:
            return Reason(
                CHECK,
                f"{where} (the source says “{rule.text}”); are you a {country.name} citizen?",
            )
        if rule.citizens_count and profile.citizenship == country.code:
            return Reason(
                CHECK,
                f"“{rule.text}”: ask whether citizens living abroad count; you live in "
                f"{profile.country_name}.",
            )
        return Reason(NOT_ELIGIBLE, f"{where}; you live in {profile.country_name}.")
    if not rule.residency_area or fold(profile.area.strip()) == fold(rule.residency_area):
        return Reason(ELIGIBLE, f"{where}; you live there.")
    if not profile.area:
        return Reason(CHECK, f"{where}; give your town, county or state.")
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
    high = rule.language_score_max
    if high is not None and low <= profile.english_score < high:
        # "IELTS 5–6": the provider's own bar lies somewhere in the band.
        return Reason(
            CHECK,
            f"{wanted}; your {test} score of {_score(profile.english_score)} is inside the "
            "band: ask whether it is enough.",
        )
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
    unstated = NEVER_STATED
    if profile.age is not None and profile.age < 18:
        unstated = f"{NEVER_STATED} {MINOR}"
    if not rules:
        return Verdict(
            CHECK, [Reason(CHECK, "The source states no eligibility rules; ask.")], unstated
        )
    hosts = {country.code for country in programme.countries.all()}
    reasons: list[Reason] = []
    by_mode: dict[str, list[Reason]] = {"all": []}
    for rule in rules:
        reason = judge_rule(rule, profile, hosts)
        if rule.applies_to != "all":
            reason = Reason(reason.state, f"For {MODES[rule.applies_to]}: {reason.text}")
        by_mode.setdefault(rule.applies_to, []).append(reason)
        reasons.append(reason)
    # Read only for a student who gave a discipline (the list prefetches them only then).
    disciplines = list(programme.disciplines.all()) if profile.discipline else []
    if disciplines:
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
    return Verdict(state, reasons, unstated)
