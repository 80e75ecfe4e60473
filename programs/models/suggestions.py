"""What readers and providers propose: a correction to a programme's fact, or a new programme.

Nothing here reaches a public page by itself: an adviser accepts a correction by saving the
programme's change form (which then cites a new `Source`, a reader's or provider's report) or turns
a proposal into a draft programme; or rejects it with a reason. Suggestions keep no history
(simple-history would keep the sender's email address after it is deleted), and the address is
deleted once the suggestion is closed and the sender told, or after `KEEP_ADDRESSES_DAYS`
(programs/suggestions/retention.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Q, Subquery
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from programs.models.base import clean_single_line_fields

# Caps on what a reader may write, enforced by the public forms and the database alike.
CAPS = {
    "proposed": 1000,
    "contact": 300,
    "evidence_url": 500,
    "title": 200,
    "organisation_name": 200,
    "location": 300,
    "eligibility": 1000,
    "dates": 300,
    "cost": 300,
    "official_url": 500,
    "reason": 1000,
}
# Text fields without a database length of their own: a check constraint caps them.
LONG_TEXT = ("proposed", "eligibility", "reason")
KEEP_ADDRESSES_DAYS = 90


class SuggestionQuerySet(models.QuerySet["Suggestion"]):
    def open(self) -> SuggestionQuerySet:
        return self.filter(status=Suggestion.Status.OPEN)

    def first_of_each_group(self) -> SuggestionQuerySet:
        """The suggestions advisers read in the inbox: each duplicate is shown with its first."""
        return self.filter(duplicate_of__isnull=True)


class Suggestion(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction to a programme"
        PROGRAMME = "programme", "Proposed programme"

    class Fact(models.TextChoices):
        DEADLINE = "deadline", "Deadline"
        FEE = "fee", "Fee or cost"
        PAY = "pay", "Pay or stipend"
        LENGTH = "length", "Length"
        ELIGIBILITY = "eligibility", "Who may apply"
        HOW_TO_APPLY = "how_to_apply", "How to apply"
        OTHER = "other", "Something else"

    class Evidence(models.TextChoices):
        LINK = "link", "A web page that shows it"
        RUNS_PROGRAMME = "runs_programme", "I run this programme"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    kind = models.CharField(max_length=20, choices=Kind)
    # A correction's programme; a proposal's draft once an adviser made one.
    programme = models.ForeignKey(
        "programs.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    fact = models.CharField(max_length=20, choices=Fact, blank=True)
    proposed = models.TextField(
        "what it should say", blank=True, help_text="For a proposal: anything else to know."
    )
    proposed_date = models.DateField("proposed deadline date", null=True, blank=True)
    # A proposed programme: what a listing needs to be useful.
    title = models.CharField(max_length=CAPS["title"], blank=True)
    organisation_name = models.CharField(
        "organisation", max_length=CAPS["organisation_name"], blank=True
    )
    location = models.CharField("where", max_length=CAPS["location"], blank=True)
    eligibility = models.TextField("who may apply", blank=True)
    dates = models.CharField("dates and deadline", max_length=CAPS["dates"], blank=True)
    cost = models.CharField("cost or pay", max_length=CAPS["cost"], blank=True)
    official_url = models.URLField("official page", max_length=CAPS["official_url"], blank=True)

    evidence = models.CharField(max_length=20, choices=Evidence)
    evidence_url = models.URLField(
        "evidence (web page)", max_length=CAPS["evidence_url"], blank=True
    )
    contact = models.CharField(
        "provider's contact", max_length=CAPS["contact"], blank=True, help_text="Never public."
    )
    # The sender's address, only for the confirmation link and the one message about the decision.
    email = models.EmailField(blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    email_confirmed_at = models.DateTimeField(null=True, blank=True)
    decision_sent_at = models.DateTimeField(null=True, blank=True)

    # One per form shown, so a form sent twice (a double click, a retry) is stored once.
    submission = models.UUIDField(unique=True, editable=False)
    # Suggestions saying the same thing share a fingerprint; later ones point at the first open one.
    fingerprint = models.CharField(max_length=64, editable=False)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )

    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    received_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.TextField(
        "reason for rejecting", blank=True, help_text="Sent to the sender if they confirmed."
    )
    # The reader's or provider's report an accepted suggestion became (what the saved change cites).
    source = models.ForeignKey(
        "programs.Source", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            # The review queue's count of open suggestions per programme, and the inbox's list.
            models.Index(fields=["programme", "status"], name="suggestion_programme_status"),
            # Finding the open suggestion a new one duplicates.
            models.Index(fields=["fingerprint", "status"], name="suggestion_fingerprint_open"),
            # The 90-day deletion of addresses.
            models.Index(fields=["received_at"], name="suggestion_received"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="correction") | ~Q(fact=""),
                name="suggestion_correction_names_a_fact",
            ),
            models.CheckConstraint(
                condition=~Q(kind="programme") | (~Q(title="") & ~Q(organisation_name="")),
                name="suggestion_proposal_has_title_and_organisation",
            ),
            models.CheckConstraint(
                condition=~Q(evidence="link") | ~Q(evidence_url=""),
                name="suggestion_link_evidence_has_url",
            ),
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True)
                | (~Q(status="open") & Q(decided_at__isnull=False)),
                name="suggestion_decided_when_closed",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""),
                name="suggestion_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(*(LessThanOrEqual(Length(name), CAPS[name]) for name in LONG_TEXT)),
                name="suggestion_text_within_caps",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == self.Kind.PROGRAMME:
            return f"Proposed programme: {self.title}"
        return f"{self.get_fact_display()}: {self.proposed[:60]}"

    def clean_fields(self, exclude=None) -> None:
        clean_single_line_fields(self, super().clean_fields, exclude)

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.kind == self.Kind.CORRECTION and not self.fact:
            errors["fact"] = ValidationError("Choose which fact is wrong.")
        if self.kind == self.Kind.PROGRAMME:
            for name in ("title", "organisation_name"):
                if not getattr(self, name):
                    errors[name] = ValidationError("A proposed programme needs this.")
        if self.evidence == self.Evidence.LINK and not self.evidence_url:
            errors["evidence_url"] = ValidationError("Give the address of the page that shows it.")
        # Required when sent; deleted with the address later (retention.py), so no constraint.
        if (
            self._state.adding
            and self.evidence == self.Evidence.RUNS_PROGRAMME
            and not self.contact
        ):
            errors["contact"] = ValidationError(
                "Say how an adviser can reach you to check (name and work email or phone)."
            )
        if (self.status == self.Status.OPEN) != (self.decided_at is None):
            errors["status"] = ValidationError("A closed suggestion records when it was decided.")
        if self.status == self.Status.REJECTED and not self.reason:
            errors["reason"] = ValidationError("Give the reason for rejecting it.")
        for name in LONG_TEXT:
            if len(getattr(self, name)) > CAPS[name]:
                errors[name] = ValidationError(f"At most {CAPS[name]} characters.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_from_provider(self) -> bool:
        return self.evidence == self.Evidence.RUNS_PROGRAMME

    @property
    def about(self) -> str:
        """What it concerns, for lists: the programme's title or the proposed one."""
        if self.kind == self.Kind.PROGRAMME:
            return self.title
        return self.programme.title if self.programme is not None else "(programme deleted)"


def last_report() -> dict[str, Subquery]:
    """Annotations for programmes: when a report last changed each (`report_accepted_at`) and
    whether the provider sent it (`report_from_provider`), from its latest accepted suggestion."""
    latest = Suggestion.objects.filter(
        programme=OuterRef("pk"), status=Suggestion.Status.ACCEPTED
    ).order_by("-decided_at", "-id")
    return {
        "report_accepted_at": Subquery(latest.values("decided_at")[:1]),
        "report_from_provider": Subquery(
            latest.annotate(
                from_provider=ExpressionWrapper(
                    Q(evidence=Suggestion.Evidence.RUNS_PROGRAMME), output_field=BooleanField()
                )
            ).values("from_provider")[:1]
        ),
    }
