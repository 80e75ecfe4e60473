"""Where a fact comes from: the guides, and the provider's own word recorded by an adviser.

A `Source` is a record any programme, rule, cost or dated deadline can cite. The two guides stay
cited the old way too (`source_guide` and `source_section`, as on `Sourced`), so the seeded data keeps its
citations; a record transcribed from elsewhere cites a `Source` instead, and public pages say it in
words (`Source.in_words()`): "from the provider's email of 12 December 2026, recorded by an
adviser".
"""

from __future__ import annotations

from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from programs.core import clock

from .base import Guide, clean_single_line_fields
from .revisions import Revisioned

# The earliest and latest years a deadline cycle may name: wide enough for any real cycle, narrow
# enough to catch a typed "207" or "20277".
FIRST_CYCLE, LAST_CYCLE = 2000, 2100


def long_date(day: date) -> str:
    """12 December 2026 (no leading zero, English month name, as pages write dates)."""
    return f"{day.day} {day:%B %Y}"


def host(url: str) -> str:
    """The site a web address points to, as a reader says it: "www.example.org"."""
    return urlsplit(url).hostname or url


class Source(models.Model):
    """One place facts come from, with what a reader needs to find or trust it."""

    class Kind(models.TextChoices):
        GUIDE = "guide", "One of the source guides"
        WEBSITE = "website", "The provider's website"
        EMAIL = "email", "An email from the provider"
        CALL = "call", "A call with the provider"
        PUBLICATION = "publication", "Another publication"
        # A suggestion an adviser accepted (programs/models/suggestions.py), dated as received.
        READER_REPORT = "reader_report", "A reader's report, checked by an adviser"
        PROVIDER_REPORT = "provider_report", "The provider's report, checked by an adviser"

    kind = models.CharField(max_length=20, choices=Kind)
    guide = models.ForeignKey(
        Guide,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
        help_text="For a guide: which one.",
    )
    section = models.CharField(
        max_length=200, blank=True, help_text="For a guide: the section heading, word for word."
    )
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="For another publication: its title. Otherwise an optional short label, "
        "e.g. 'Roswell Park admissions office'.",
    )
    url = models.URLField(
        "address (URL)", blank=True, help_text="For a website: the page read. Optional otherwise."
    )
    date = models.DateField(
        null=True,
        blank=True,
        help_text="When the website was read, the email received, the call held, or the "
        "publication dated.",
    )
    note = models.TextField(
        blank=True,
        help_text="For advisers only, never shown publicly: what the provider said, who wrote.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The adviser who recorded this source.",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "kind", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="guide") | (Q(guide__isnull=False) & ~Q(section="")),
                name="source_guide_has_guide_and_section",
            ),
            models.CheckConstraint(
                condition=~Q(kind="website") | (~Q(url="") & Q(date__isnull=False)),
                name="source_website_has_url_and_date",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["email", "call"])
                | Q(date__isnull=False, recorded_by__isnull=False),
                name="source_message_has_date_and_recorder",
            ),
            models.CheckConstraint(
                condition=~Q(kind="publication") | ~Q(title=""),
                name="source_publication_has_title",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["reader_report", "provider_report"])
                | Q(date__isnull=False, recorded_by__isnull=False),
                name="source_report_has_date_and_adviser",
            ),
            models.CheckConstraint(
                condition=~Q(kind="reader_report") | ~Q(url=""),
                name="source_reader_report_has_url",
            ),
        ]

    def __str__(self) -> str:
        # Advisers pick sources by this text: the label first, when there is one.
        words = self.in_words()
        said = words[:1].upper() + words[1:]
        if self.title and self.kind != self.Kind.PUBLICATION:
            return f"{self.title}: {words}"
        return said

    def clean_fields(self, exclude=None) -> None:
        clean_single_line_fields(self, super().clean_fields, exclude)

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.kind == self.Kind.GUIDE:
            if self.guide_id is None:
                errors["guide"] = ValidationError("Choose the guide this source is.")
            if not self.section:
                errors["section"] = ValidationError(
                    "Give the guide's section heading, word for word."
                )
        if self.kind == self.Kind.WEBSITE:
            if not self.url:
                errors["url"] = ValidationError("Give the address of the page you read.")
            if self.date is None:
                errors["date"] = ValidationError("Give the day you read the page.")
        if self.kind in (self.Kind.EMAIL, self.Kind.CALL):
            if self.date is None:
                errors["date"] = ValidationError(
                    "Give the day the email arrived or the call took place."
                )
            if self.recorded_by_id is None:
                errors["recorded_by"] = ValidationError(
                    "An email or call needs the adviser who recorded it."
                )
        if self.kind in (self.Kind.READER_REPORT, self.Kind.PROVIDER_REPORT):
            if self.date is None:
                errors["date"] = ValidationError("Give the day the report was received.")
            if self.recorded_by_id is None:
                errors["recorded_by"] = ValidationError(
                    "A report needs the adviser who checked and accepted it."
                )
        if self.kind == self.Kind.READER_REPORT and not self.url:
            errors["url"] = ValidationError("Give the address of the page the reader cited.")
        if self.kind == self.Kind.PUBLICATION and not self.title:
            errors["title"] = ValidationError("Give the publication's title.")
        if self.date is not None and self.date > clock.today():
            errors["date"] = ValidationError(
                f"{long_date(self.date)} is in the future; give the day it was actually "
                "read, received or published."
            )
        if errors:
            raise ValidationError(errors)

    def in_words(self) -> str:
        """How a public page says it, after "Source:" or inside a sentence (lower case first)."""
        when = long_date(self.date) if self.date else ""
        match self.kind:
            case self.Kind.GUIDE:
                title = self.guide.title if self.guide is not None else "the guide"
                return f"from the guide {title}, section “{self.section}”"
            case self.Kind.WEBSITE:
                return f"from the provider's website, read on {when}"
            case self.Kind.EMAIL:
                return f"from the provider's email of {when}, recorded by an adviser"
            case self.Kind.CALL:
                return f"from a call with the provider on {when}, recorded by an adviser"
            case self.Kind.READER_REPORT:
                return f"from a reader's report of {when} citing {host(self.url)}, checked by an adviser"
            case self.Kind.PROVIDER_REPORT:
                return f"from the provider's report of {when}, checked by an adviser"
            case _:
                return f"from {self.title}, {when}" if when else f"from {self.title}"


class CitesSource(models.Model):
    """A record that cites a guide section, a `Source`, or both; at least one of them (what
    `Sourced` is for records that always cite a guide).

    Subclasses add `cites_a_source_constraints(prefix)` to their `Meta.constraints`.
    """

    source_guide = models.ForeignKey(
        Guide,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The guide this record was transcribed from; may be empty when a source "
        "below is given.",
    )
    source_section = models.CharField(
        max_length=200, blank=True, help_text="The guide's section heading, word for word."
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Where newer facts come from, e.g. the provider's email.",
    )

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        # Line breaks in a single-line field (a title) would reach calendar files and headers.
        clean_single_line_fields(self, super().clean_fields, exclude)

    @staticmethod
    def cites_a_source_constraints(prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(
                condition=Q(source_guide__isnull=False) | Q(source__isnull=False),
                name=f"{prefix}_cites_guide_or_source",
            ),
            models.CheckConstraint(
                condition=Q(source_guide__isnull=True) | ~Q(source_section=""),
                name=f"{prefix}_guide_citation_has_section",
            ),
        ]

    def clean_citation(self, errors: dict[str, ValidationError]) -> None:
        """Twin of `cites_a_source_constraints()`, for clean()."""
        # `source`, not `source_id`: a form may give a source it saves with the record.
        if self.source_guide_id is None and self.source is None:
            errors["source_guide"] = ValidationError(
                "Cite the guide this record comes from, or choose a source (e.g. the "
                "provider's email) below."
            )
        if self.source_guide_id is not None and not self.source_section:
            errors["source_section"] = ValidationError(
                "Give the guide's section heading, word for word."
            )

    @property
    def quoted_from(self) -> str | Source | None:
        """What the record's words quoted "as the guide says it" (its notes) cite: its guide
        section when it cites one (a newer source, such as the provider's email, says its own
        facts in the rows citing it), else its source. For `References.of()`."""
        if self.source_guide is not None:
            return f"{self.source_guide.title} — {self.source_section}"
        return self.source

    @property
    def citation(self) -> str:
        if self.source_guide is not None:
            return f"{self.source_guide.title} — {self.source_section}"
        return str(self.source) if self.source is not None else ""


ONE_PER_CYCLE = (
    "This programme already has a confirmed deadline for that cycle: a cycle has one. Change "
    "the date of the one recorded (and its source) instead of adding a second."
)


class DatedDeadline(models.Model):
    """A deadline with its year, for one cycle of one programme, as its source states it.

    The guides give deadlines without a year; an adviser records the dated one when a source
    (usually the provider) confirms it. These are the *confirmed* deadlines of the decision tools.
    """

    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.CASCADE, related_name="dated_deadlines"
    )
    cycle = models.PositiveSmallIntegerField(
        help_text="The year of the placements this deadline is for, e.g. 2027."
    )
    date = models.DateField(help_text="The last day to apply, as the source states it.")
    note = models.CharField(
        max_length=300, blank=True, help_text="e.g. 'for the summer intake'; shown publicly."
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="dated_deadlines",
        help_text="Where this date comes from.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(bases=[Revisioned])

    class Meta:
        ordering = ["programme", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "date"], name="dated_deadline_unique_per_programme_and_date"
            ),
            # Students are shown one confirmed date per cycle: two would contradict each other.
            models.UniqueConstraint(
                fields=["programme", "cycle"],
                name="dated_deadline_one_per_programme_and_cycle",
                violation_error_message=ONE_PER_CYCLE,
            ),
            models.CheckConstraint(
                condition=Q(cycle__range=(FIRST_CYCLE, LAST_CYCLE)),
                name="dated_deadline_cycle_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{long_date(self.date)} ({self.cycle} cycle)"

    def clean_fields(self, exclude=None) -> None:
        clean_single_line_fields(self, super().clean_fields, exclude)

    def another_for_the_same_cycle(self) -> bool:
        """Twin of `dated_deadline_one_per_programme_and_cycle`, for clean(): an inline form leaves
        the programme out of its own checks, so the database's would be the first to object."""
        if self.programme_id is None or self.cycle is None:
            return False
        same = DatedDeadline.objects.filter(programme_id=self.programme_id, cycle=self.cycle)
        return same.exclude(pk=self.pk).exists()

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.cycle is not None and not FIRST_CYCLE <= self.cycle <= LAST_CYCLE:
            errors["cycle"] = ValidationError(
                f"Give the cycle's year in full, between {FIRST_CYCLE} and {LAST_CYCLE}."
            )
        elif (
            # A 2027 cycle may close in late 2026, never in 2025 or 2028.
            self.cycle is not None
            and self.date is not None
            and not self.cycle - 1 <= self.date.year <= self.cycle
        ):
            errors["date"] = ValidationError(
                f"A deadline for the {self.cycle} cycle falls in {self.cycle - 1} or "
                f"{self.cycle}; check the year of the date or of the cycle."
            )
        if "cycle" not in errors and self.another_for_the_same_cycle():
            errors["cycle"] = ValidationError(ONE_PER_CYCLE, code="one_per_cycle")
        if errors:
            raise ValidationError(errors)
