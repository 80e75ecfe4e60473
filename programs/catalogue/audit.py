"""The nightly audit: the review queue plus any record that no longer passes validation.

`manage.py audit_directory` prints this report and exits non-zero when anything needs attention,
so a scheduler (cron, a CI job) can alert someone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from programs.models import Cost, EligibilityRule, Programme
from programs.models.review import review_reasons


@dataclass
class AuditReport:
    today: date
    queue: list[tuple[Programme, list[str]]] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)

    @property
    def needs_attention(self) -> bool:
        return bool(self.queue or self.broken)

    def lines(self) -> list[str]:
        lines = [f"Directory audit for {self.today.isoformat()}"]
        lines.append(f"Needs review: {len(self.queue)} programme(s)")
        for programme, reasons in self.queue:
            lines.append(f"  {programme.slug}: {'; '.join(reasons)}")
        lines.append(f"Broken constraints: {len(self.broken)} record(s)")
        lines.extend(f"  {problem}" for problem in self.broken)
        return lines


def _problems(record, label: str) -> list[str]:
    try:
        record.full_clean(validate_constraints=True)
    except ValidationError as exc:
        return [
            f"{label}: field {name!r}: {' '.join(messages)}"
            for name, messages in exc.message_dict.items()
        ]
    return []


def audit_directory(today: date) -> AuditReport:
    report = AuditReport(today)
    report.queue = [
        (programme, review_reasons(programme))
        for programme in Programme.objects.needs_review(today).order_by("slug")
    ]
    live = (
        Programme.objects.exclude(status=Programme.Status.ARCHIVED)
        .order_by("slug")
        .prefetch_related(
            Prefetch("eligibility_rules", queryset=EligibilityRule.objects.order_by("key")),
            Prefetch("costs", queryset=Cost.objects.order_by("key")),
        )
    )
    for programme in live:
        report.broken += _problems(programme, f"programme {programme.slug}")
        children: list[EligibilityRule | Cost] = [
            *programme.eligibility_rules.all(),
            *programme.costs.all(),
        ]
        for child in children:
            name = type(child).__name__.lower()
            report.broken += _problems(child, f"{name} {programme.slug}/{child.key}")
    return report
