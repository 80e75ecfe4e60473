"""What the directory does not list yet, said plainly on an empty result: each kind of placement
the directory's own vocabularies name (types, pay, delivery, disciplines, study levels) that no
published programme has today. Counted from the data (three queries, on empty results only),
never a fixed list: a kind leaves the list when its first programme is published."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q

from programs.models import Discipline, Programme, StudyLevel

PUBLISHED = Programme.Status.PUBLISHED
# The kinds of pay a student asks for by name ("not stated" is no kind of placement).
PAY_KINDS = {
    Programme.Pay.PAID: "paid posts (a salary or wage)",
    Programme.Pay.STIPEND: "placements with a stipend",
    Programme.Pay.PARTIAL: "placements with partial funding",
    Programme.Pay.UNPAID: "unpaid placements",
    Programme.Pay.FEE: "fee-charging placements",
}


@dataclass(frozen=True)
class NotListedYet:
    kinds: tuple[str, ...]  # each a phrase: "virtual (online) placements"…

    def __bool__(self) -> bool:
        return bool(self.kinds)


def not_listed_yet() -> NotListedYet:
    published = Programme.objects.published()
    counts = published.aggregate(
        **{
            f"type_{value}": Count("pk", filter=Q(programme_type=value)) for value in Programme.Type
        },
        **{f"pay_{value}": Count("pk", filter=Q(pay=value)) for value in PAY_KINDS},
        virtual=Count("pk", filter=published.delivered_q(Programme.Delivery.VIRTUAL)),
    )
    kinds = [
        f"placements of the type “{label}”"
        for value, label in Programme.Type.choices
        if not counts[f"type_{value}"]
    ]
    kinds += [words for value, words in PAY_KINDS.items() if not counts[f"pay_{value}"]]
    if not counts["virtual"]:
        kinds.append("virtual (online) placements")
    disciplines = _without_programmes(Discipline)
    if disciplines:
        kinds.append(f"placements for students of {_joined(disciplines)}")
    levels = _without_programmes(StudyLevel)
    if levels:
        kinds.append(f"placements for {_joined(levels)}")
    return NotListedYet(tuple(kinds))


def _without_programmes(model: type[Discipline] | type[StudyLevel]) -> list[str]:
    rows = model.objects.annotate(
        published=Count("programmes", filter=Q(programmes__status=PUBLISHED))
    ).filter(published=0)
    return [name.lower() for name in rows.order_by("name").values_list("name", flat=True)]


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
