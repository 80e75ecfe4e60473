"""What the decision tools add to a page: the profile, verdicts, the estimate, the plan and the
legitimacy checklist, read from the query string and computed from already-fetched rows."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest, QueryDict

from programs import costs, planning
from programs.matching import Profile, Verdict, match
from programs.models import GuideItem, LegitimacySignal, Programme
from programs.profile import PROFILE_FIELDS, EstimateForm, ProfileForm
from programs.snapshot import Vocabulary

MAX_COMPARE = 4


def read_profile(
    request: HttpRequest, today: date, vocabulary: Vocabulary
) -> tuple[ProfileForm, Profile]:
    form = ProfileForm(request.GET, today=today, vocabulary=vocabulary)
    return form, form.profile()


def profile_query(data: QueryDict) -> str:
    """The profile part of a query string, to carry it to another page."""
    kept = QueryDict(mutable=True)
    for name in PROFILE_FIELDS:
        values = [v for v in data.getlist(name) if v]
        if values:
            kept.setlist(name, values)
    return kept.urlencode()


def compare_slugs(data: QueryDict) -> tuple[list[str], list[str]]:
    """The first four distinct slugs of `p`, and messages about the rest."""
    slugs, messages = [], []
    for raw in data.getlist("p"):
        slug = raw.strip()
        if slug and slug not in slugs:
            slugs.append(slug)
    if len(slugs) > MAX_COMPARE:
        messages.append(
            f"You can compare up to {MAX_COMPARE} programmes at once; you asked for {len(slugs)}, "
            f"so only the first {MAX_COMPARE} are shown."
        )
        slugs = slugs[:MAX_COMPARE]
    return slugs, messages


@dataclass(frozen=True)
class Signal:
    item: GuideItem
    state: str  # LegitimacySignal.State value
    note: str
    source: object  # a record with source_guide/source_section

    @property
    def is_red_flag_item(self) -> bool:
        return self.item.kind == GuideItem.Kind.RED_FLAG

    @property
    def question(self) -> str:
        title = self.item.title
        return f"Ask the provider: {title[:1].lower()}{title[1:]}?"


def legitimacy(programme: Programme, items: Iterable[GuideItem]) -> list[Signal]:
    """Every legitimacy check and red flag, with what the source says about this programme;
    `programme.legitimacy_signals` should be prefetched."""
    recorded = {s.check_item_id: s for s in programme.legitimacy_signals.all()}
    rows = []
    for item in items:
        signal = recorded.get(item.pk)
        if signal is None:
            rows.append(Signal(item, LegitimacySignal.State.NOT_STATED, "", item))
        else:
            rows.append(Signal(item, signal.state, signal.note, signal))
    return rows


def has_red_flag(programme: Programme) -> bool:
    return any(
        s.state == LegitimacySignal.State.RED_FLAG for s in programme.legitimacy_signals.all()
    )


@dataclass
class Decision:
    """Everything the detail and compare pages show for one programme."""

    verdict: Verdict | None
    estimate: costs.Estimate
    plan: planning.Plan | None


def decide(
    programme: Programme,
    profile: Profile,
    weeks: int | None,
    currency: str,
    benchmarks: list,
    rates: costs.Rates,
    stages: list | None,
    today: date,
) -> Decision:
    verdict = None if profile.is_empty else match(programme, profile)
    estimate = costs.estimate(programme, weeks, currency, benchmarks, rates)
    plan = (
        planning.plan(profile.start, today, stages, programme)
        if profile.start and stages is not None
        else None
    )
    return Decision(verdict, estimate, plan)


def read_estimate(request: HttpRequest) -> tuple[EstimateForm, int | None, str]:
    form = EstimateForm(request.GET)
    weeks, currency = form.choice()
    return form, weeks, currency


def input_problems(*forms) -> list[str]:
    """Each invalid answer as "Label: message", for the notice at the top of a page."""
    return [
        f"{form.fields[name].label}: {' '.join(errors)}"
        for form in forms
        for name, errors in form.errors.items()
        if name in form.fields
    ] + [
        " ".join(errors)
        for form in forms
        for name, errors in form.errors.items()
        if name == "__all__"
    ]
