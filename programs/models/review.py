"""Which programmes an adviser should look at next, and why.

The second layer of `ProgrammeQuerySet`, over `FindingQuerySet`. The same conditions feed the admin's "needs review" filter, the
counts on the admin index and `manage.py audit_directory`, so the three always agree. A programme
needs review (archived ones never do) when it is:

- **stale**: never verified, or last verified more than `STALE_AFTER_DAYS` days ago;
- **past its deadline**: a yearly deadline (fixed, or approximate with a month) has passed this
  year and nobody has verified the record since that date, so the next cycle's facts are
  unchecked; a confirmed (dated) deadline still ahead answers it, since an adviser recorded the
  next date with its source. Verification, not any update: a save that checked nothing clears no reason;
- **without an application page**: published with no official application page recorded, so its
  next step is only the site the guide cites or a web search;
- **missing facts**: a named programme (not a pathway, whose terms vary by host and are rightly
  left open) whose pay, deadline and duration are all unknown, so a student learns nothing
  practical from it;
- **not ready to publish**: a draft missing what publishing needs (`READY_TO_PUBLISH`: its
  summary, its type, a destination unless virtual, the study levels it takes); the admin's column
  names what is missing, from the `missing_<part>` columns of `with_review_flags()`;
- **suggested**: a reader or provider sent a correction nobody has decided yet (the inbox,
  admin/suggestions.py; `with_open_suggestions()` counts them per programme).
"""

from datetime import date, timedelta
from typing import Self

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear

from .destinations import Country
from .finding import FindingQuerySet
from .suggestions import Suggestion
from .taxonomy import StudyLevel

STALE_AFTER_DAYS = 180

REASONS = {
    "stale": f"Not verified in {STALE_AFTER_DAYS} days",
    "past_deadline": "Deadline passed this cycle; not verified since",
    "missing_facts": "Pay, deadline and duration all unknown",
    "no_application_page": "No official application page",
    "suggested": "Open suggestions from readers or providers",
    "incomplete": "Draft not ready to publish",
}


def ready_to_publish() -> dict[str, Q]:
    """What publishing honestly needs, each part as the condition of its absence. Pay, length and
    deadline may rightly be "not stated"; a student cannot use a listing without these."""
    return {
        "summary": Q(summary=""),
        "type": Q(programme_type=""),
        "destination": ~Q(delivery="virtual")
        & ~Q(Exists(Country.objects.filter(programmes=OuterRef("pk")))),
        "study levels": ~Q(Exists(StudyLevel.objects.filter(programmes=OuterRef("pk")))),
    }


def missing_column(part: str) -> str:
    return "missing_" + part.replace(" ", "_")


def incomplete_q() -> Q:
    missing = Q()
    for condition in ready_to_publish().values():
        missing |= condition
    return Q(status="draft") & missing


def stale_q(today: date) -> Q:
    cutoff = today - timedelta(days=STALE_AFTER_DAYS)
    return Q(last_verified__isnull=True) | Q(last_verified__lt=cutoff)


def past_deadline_q(today: date) -> Q:
    """This year's deadline has passed and `last_verified` is empty or falls on a day before it.

    Dates are compared by their parts because the deadline is a month and day without a year;
    a missing day (the month's last) counts any verification within that month as made in time.
    """
    closed = FindingQuerySet.deadline_q("closed", today)
    year, month, day = "verified_year", "verified_month", "verified_day"
    before_deadline = (
        Q(last_verified__isnull=True)
        | Q(**{f"{year}__lt": today.year})
        | Q(**{year: today.year, f"{month}__lt": F("deadline_month")})
        | Q(
            **{year: today.year, month: F("deadline_month"), f"{day}__lt": F("deadline_day")},
            deadline_day__isnull=False,
        )
    )
    # A confirmed date ahead is the next cycle's, recorded with its source: nothing has passed.
    confirmed_ahead = FindingQuerySet.confirmed_q(date__gte=today)
    return closed & before_deadline & ~confirmed_ahead


def missing_facts_q() -> Q:
    return Q(
        listing_kind="programme",
        pay="unknown",
        deadline_kind="unknown",
        duration_min_weeks__isnull=True,
        duration_max_weeks__isnull=True,
    )


def no_application_page_q() -> Q:
    return Q(status="published", application_url="")


def open_suggestions() -> QuerySet:
    return Suggestion.objects.open().filter(programme=OuterRef("pk"))


def suggested_q() -> Q:
    return Q(Exists(open_suggestions()))


def review_column(reason: str) -> str:
    """The boolean column `with_review_flags()` adds for one reason: "review_stale"…"""
    return f"review_{reason}"


def reason_conditions(today: date) -> dict[str, Q]:
    return {
        "stale": stale_q(today),
        "past_deadline": past_deadline_q(today),
        "missing_facts": missing_facts_q(),
        "no_application_page": no_application_page_q(),
        "suggested": suggested_q(),
        "incomplete": incomplete_q(),
    }


def any_reason_q(today: date) -> Q:
    any_reason = Q()
    for condition in reason_conditions(today).values():
        any_reason |= condition
    return any_reason


class ReviewQuerySet[M: Model](FindingQuerySet[M]):
    def with_verified_parts(self) -> Self:
        return self.annotate(
            verified_year=ExtractYear("last_verified"),
            verified_month=ExtractMonth("last_verified"),
            verified_day=ExtractDay("last_verified"),
        )

    def with_review_flags(self, today: date) -> Self:
        """Each reason to review as a boolean column `review_<reason>`, computed in the query."""
        flags = {**reason_conditions(today)}
        flags = {review_column(name): condition for name, condition in flags.items()}
        flags |= {missing_column(part): q for part, q in ready_to_publish().items()}
        return self.with_verified_parts().annotate(
            **{
                name: ExpressionWrapper(condition, output_field=BooleanField())
                for name, condition in flags.items()
            }
        )

    def with_open_suggestions(self) -> Self:
        """`open_suggestions`: how many undecided suggestions each programme has, in the query."""
        count = open_suggestions().order_by().values("programme").annotate(n=Count("pk"))
        return self.annotate(open_suggestions=Coalesce(Subquery(count.values("n")[:1]), 0))

    def needs_review(self, today: date) -> Self:
        """Live (not archived) programmes with at least one reason to review."""
        return self.exclude(status="archived").with_review_flags(today).filter(any_reason_q(today))

    def review_counts(self, today: date) -> dict[str, int]:
        """How many live programmes need review, in total and per reason, in one query."""
        conditions = reason_conditions(today)
        return (
            self.exclude(status="archived")
            .with_verified_parts()
            .aggregate(
                total=Count("pk", filter=any_reason_q(today)),
                **{name: Count("pk", filter=q) for name, q in conditions.items()},
            )
        )


def missing_for_publishing(programme) -> list[str]:
    """What a programme fetched through `with_review_flags()` lacks for publishing."""
    return [part for part in ready_to_publish() if getattr(programme, missing_column(part), False)]


def review_reasons(programme) -> list[str]:
    """The labels of a programme fetched through `with_review_flags()` or `needs_review()`; an
    incomplete draft's names what it is missing."""
    labels = []
    for name, label in REASONS.items():
        if getattr(programme, review_column(name), False):
            if name == "incomplete":
                label = f"{label}: missing {', '.join(missing_for_publishing(programme))}"
            labels.append(label)
    return labels
