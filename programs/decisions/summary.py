"""Everything the detail and compare pages decide for one programme: the verdict for a profile,
the all-in estimate and the backward plan."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from programs.decisions import costs, planning
from programs.decisions.matching import Profile, Verdict, match
from programs.models import CostBenchmark, Programme


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
    benchmarks: Iterable[CostBenchmark],
    rates: costs.Rates,
    stages: list[planning.Stage] | None,
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
