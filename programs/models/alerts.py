"""Saved searches and deadline reminders by email, without an account.

An `Alert` keeps an address and a query string, nothing else about the person: a search alert
keeps the list's query (`alerts.query.saved_query`), a deadline alert the comparison's
programmes (`p=<slug>&p=<slug>`). Nothing but the confirmation link is sent before the address
is confirmed; deleting the alert deletes the address. Unconfirmed alerts are deleted after
UNCONFIRMED_DAYS (programs/alerts/sending.py).

An `AlertMessage` records each message an alert is owed, once per alert and period (a digest's
day or week, a reminder's programme, deadline and stage), by a named unique constraint: a run
that finds the row already there sends nothing, so `send_alerts` run twice sends once. A row
stays `pending` until the mail server takes the message; a failed send is tried again by a
later run.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from programs.models.base import clean_single_line_fields

UNCONFIRMED_DAYS = 14
MAX_QUERY = 2000  # the page cache's longest canonical query string
ALERTS_PER_ADDRESS = 10


class AlertQuerySet(models.QuerySet["Alert"]):
    def confirmed(self) -> AlertQuerySet:
        return self.filter(confirmed_at__isnull=False)

    def for_address(self, email: str) -> AlertQuerySet:
        return self.filter(email__iexact=email)


class Alert(models.Model):
    class Kind(models.TextChoices):
        SEARCH = "search", "Changes to a search"
        DEADLINES = "deadlines", "Deadline reminders"

    class Frequency(models.TextChoices):
        DAILY = "daily", "Daily, when something changed"
        WEEKLY = "weekly", "Weekly, when something changed"

    kind = models.CharField(max_length=20, choices=Kind)
    email = models.EmailField()
    query = models.CharField(max_length=MAX_QUERY, blank=True)
    frequency = models.CharField(max_length=10, choices=Frequency, default=Frequency.WEEKLY)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # A digest covers the changes after this moment (set at confirmation, moved by each digest).
    covered_until = models.DateTimeField(null=True, blank=True)
    # The problems with the query last reported, so a new one is reported in the next message.
    reported_problems = models.CharField(max_length=2000, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            # The confirmation pause and the per-address limit: alerts of one address.
            models.Index(fields=["email"], name="alert_email"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "kind", "query"], name="alert_one_per_address_and_query"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(covered_until__isnull=False),
                name="alert_confirmed_has_coverage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def clean_fields(self, exclude=None) -> None:
        clean_single_line_fields(self, super().clean_fields, exclude)


class AlertMessage(models.Model):
    class Kind(models.TextChoices):
        DIGEST = "digest", "Digest"
        REMINDER = "reminder", "Deadline reminder"

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENT = "sent", "Sent"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=20, choices=Kind)
    # A digest: "2026-12-07" (daily) or "2026-W49" (weekly). A reminder: "<programme id>:<the
    # deadline's date>:<30 or 7>", so a moved deadline is reminded again.
    period = models.CharField(max_length=60)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    # What a digest covers, fixed when the row is made, so a retry sends the same message.
    covers_from = models.DateTimeField(null=True, blank=True)
    covers_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            # Each run's "what is still to send".
            models.Index(fields=["state", "last_attempt_at"], name="alertmessage_pending"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "kind", "period"], name="alertmessage_once_per_alert_and_period"
            ),
            models.CheckConstraint(
                condition=Q(state="pending", sent_at__isnull=True)
                | Q(state="sent", sent_at__isnull=False),
                name="alertmessage_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} for alert #{self.alert_id}"
