"""The legitimacy checklist for one programme: each check and red flag from the 2026 guide, with
what the source says about this programme, or a question to ask the provider."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from programs.models import GuideItem, LegitimacySignal, Programme


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


@dataclass(frozen=True)
class Checklist:
    """The rows as a programme page shows them: what the source settles first, then the checks
    nobody has assessed (questions to ask), then the red flags."""

    assessed: list[Signal]
    questions: list[Signal]
    red_flags: list[Signal]

    @property
    def red_flag_recorded(self) -> bool:
        return any(row.state == LegitimacySignal.State.RED_FLAG for row in self.red_flags)


def checklist(rows: Iterable[Signal]) -> Checklist:
    rows = list(rows)
    checks = [row for row in rows if not row.is_red_flag_item]
    return Checklist(
        assessed=[row for row in checks if row.state != LegitimacySignal.State.NOT_STATED],
        questions=[row for row in checks if row.state == LegitimacySignal.State.NOT_STATED],
        red_flags=[row for row in rows if row.is_red_flag_item],
    )
