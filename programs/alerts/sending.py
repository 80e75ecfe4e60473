"""`send_alerts`: digests of what changed in each confirmed search, reminders of deadlines on
each confirmed comparison, sent once, retried until the mail server takes them.

Two steps, each safe to repeat:

1. **Plan**: every message an alert is owed now becomes an `AlertMessage` row, one per alert and
   period (its unique constraint makes a second run create nothing):
   - a *digest* for a search alert whose period (today, or this ISO week) has none yet and whose
     search shows a programme that changed since the last digest (`changes`), or whose query has
     a problem not yet reported (a filter the list no longer has);
   - a *reminder* for a deadline alert when a programme on its list has its next deadline
     (confirmed, or expected from the guide's cycle) 30 or fewer days ahead (the 30-day
     reminder) or 7 or fewer (the 7-day one), once per programme, date and stage.
2. **Deliver**: each pending row is sent, then marked sent in the same transaction (its row
   locked, so two runs at once never send it twice). A refused send leaves it pending with one
   more attempt; the next run after RETRY_AFTER tries again. Nothing is dropped.

Work is linear in the alerts: the directory's changes are read once per run, each distinct
query asks the list once, and programmes on deadline lists are read in one query.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from programs import mail
from programs.core import clock
from programs.decisions import deadlines
from programs.listing.query import ListQuery
from programs.models import Alert, AlertMessage, Programme, Vocabulary

from . import changes, links, query, subscribing

logger = logging.getLogger(__name__)
RETRY_AFTER = timedelta(minutes=30)
REMINDER_DAYS = (30, 7)  # the stages, furthest first


@dataclass
class Report:
    planned: int = 0
    sent: int = 0
    failed: int = 0
    dropped: int = 0  # owed when planned, nothing left to say when sent (a deadline removed)
    forgotten: int = 0


def digest_period(frequency: str, now: datetime) -> str:
    day = timezone.localdate(now)
    if frequency == Alert.Frequency.DAILY:
        return day.isoformat()
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def reminder_stage(days_left: int) -> int | None:
    """The reminder owed with this many days left: 7 within a week, 30 within a month."""
    owed = [stage for stage in REMINDER_DAYS if 0 <= days_left <= stage]
    return min(owed) if owed else None


@dataclass
class Run:
    """What one run reads once and every alert shares."""

    now: datetime
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    since: datetime | None = None  # the directory's changes read for (since, now]
    changed: dict[int, list[changes.Change]] = field(default_factory=dict)
    selected: dict[str, list[int]] = field(default_factory=dict)  # by query string
    problems: dict[str, list[query.Problem]] = field(default_factory=dict)
    queries: dict[str, ListQuery] = field(default_factory=dict)
    programmes: dict[int, Programme] = field(default_factory=dict)  # the changed ones, once

    def programmes_by_id(self, ids: list[int]) -> dict[int, Programme]:
        missing = [pid for pid in ids if pid not in self.programmes]
        if missing:
            wanted = set(missing) | (set(self.changed) - set(self.programmes))
            found = Programme.objects.select_related("organisation").in_bulk(sorted(wanted))
            self.programmes.update(found)
        return {pid: self.programmes[pid] for pid in ids if pid in self.programmes}

    def query_for(self, saved: str) -> ListQuery:
        if saved not in self.queries:
            self.queries[saved] = query.read(QueryDict(saved), self.vocabulary)
        return self.queries[saved]

    def read_changes(self, since: datetime) -> None:
        self.since = since
        self.changed = changes.changes_between(since, self.now)

    def changes_for(
        self, saved: str, since: datetime, until: datetime
    ) -> list[tuple[int, list[changes.Change]]]:
        """The programmes this search shows that changed in (since, until], in its order."""
        if self.since is None or since < self.since or until > self.now:
            found = changes.changes_between(since, until)
        else:
            found = self.changed
        ids = self.selected_for(saved, found)
        shown = [(pid, changes.within(found[pid], since, until)) for pid in ids if pid in found]
        return [(pid, rows) for pid, rows in shown if rows]

    def selected_for(self, saved: str, found: dict[int, list[changes.Change]]) -> list[int]:
        def select() -> list[int]:
            return query.selected_among(
                QueryDict(saved), set(found), self.vocabulary, self.query_for(saved)
            )

        if found is not self.changed:
            return select()
        if saved not in self.selected:
            self.selected[saved] = select()
        return self.selected[saved]

    def problems_for(self, saved: str) -> list[query.Problem]:
        if saved not in self.problems:
            self.problems[saved] = query.problems(
                QueryDict(saved), self.vocabulary, self.query_for(saved)
            )
        return self.problems[saved]


def _problem_text(problems: list[query.Problem]) -> str:
    return "; ".join(str(problem) for problem in problems)[:2000]


def plan_digests(run: Run) -> int:
    periods: dict[str, str] = {f.value: digest_period(f, run.now) for f in Alert.Frequency}
    has_one = Q()
    for frequency, period in periods.items():
        has_one |= Q(alert__frequency=frequency, period=period)
    digests = AlertMessage.objects.filter(alert=OuterRef("pk"), kind=AlertMessage.Kind.DIGEST)
    due = (
        Alert.objects.confirmed()
        .filter(kind=Alert.Kind.SEARCH)
        .exclude(Exists(digests.filter(has_one | Q(state=AlertMessage.State.PENDING))))
    )
    since = due.aggregate(since=Min("covered_until"))["since"]
    if since is None:
        return 0
    run.read_changes(since)
    owed = []
    for alert in due.iterator(chunk_size=2000):
        assert alert.covered_until is not None  # noqa: S101 (a constraint says so)
        problems = _problem_text(run.problems_for(alert.query))
        new_problem = bool(problems) and problems != alert.reported_problems
        if new_problem or run.changes_for(alert.query, alert.covered_until, run.now):
            owed.append(
                AlertMessage(
                    alert=alert,
                    kind=AlertMessage.Kind.DIGEST,
                    period=periods[alert.frequency],
                    covers_from=alert.covered_until,
                    covers_until=run.now,
                )
            )
    return len(AlertMessage.objects.bulk_create(owed, ignore_conflicts=True, batch_size=1000))


def slugs_of(saved: str) -> list[str]:
    return QueryDict(saved).getlist("p")


def plan_reminders(run: Run) -> int:
    today = clock.today()
    alerts = list(
        Alert.objects.confirmed().filter(kind=Alert.Kind.DEADLINES).values_list("pk", "query")
    )
    watching: dict[str, list[int]] = defaultdict(list)
    for pk, saved in alerts:
        for slug in slugs_of(saved):
            watching[slug].append(pk)
    if not watching:
        return 0
    owed: list[AlertMessage] = []
    programmes = Programme.objects.published().with_deadlines().filter(slug__in=list(watching))
    for programme in programmes:
        status = deadlines.deadline_status(programme, today)
        if not status.in_calendar or status.date is None or status.days_left is None:
            continue
        stage = reminder_stage(status.days_left)
        if stage is None:
            continue
        period = f"{programme.pk}:{status.date.isoformat()}:{stage}"
        owed.extend(
            AlertMessage(alert_id=pk, kind=AlertMessage.Kind.REMINDER, period=period)
            for pk in watching[programme.slug]
        )
    return len(AlertMessage.objects.bulk_create(owed, ignore_conflicts=True, batch_size=1000))


def _letter_digest(
    run: Run, message: AlertMessage, standing: dict[str, str]
) -> tuple[mail.Letter, str] | None:
    alert = message.alert
    assert message.covers_from is not None and message.covers_until is not None  # noqa: S101
    found = run.changes_for(alert.query, message.covers_from, message.covers_until)
    problems = run.problems_for(alert.query)
    if not found and not problems:
        return None
    programmes = Programme.objects.select_related("organisation").in_bulk([pid for pid, _ in found])
    listed = reverse("programs:list")
    items: list[dict[str, Any]] = [
        {
            "programme": programmes[pid],
            "url": f"{settings.SITE_URL}{programmes[pid].get_absolute_url()}",
            "changes": rows,
        }
        for pid, rows in found
        if pid in programmes
    ]
    context = {
        "items": items,
        "count": sum(len(rows) for _, rows in found),
        "since": timezone.localdate(message.covers_from),
        "search_url": f"{settings.SITE_URL}{listed}?{alert.query}".rstrip("?"),
        "feed_url": f"{settings.SITE_URL}{reverse('programs:feed')}?{alert.query}".rstrip("?"),
        "problems": problems,
        "weekly": alert.frequency == Alert.Frequency.WEEKLY,
        **standing,
    }
    return mail.render("alert_digest", context), _problem_text(problems)


def _letter_reminder(message: AlertMessage, standing: dict[str, str]) -> mail.Letter | None:
    programme_id, _, stage = message.period.split(":")
    programme = (
        Programme.objects.published()
        .select_related("organisation")
        .with_deadlines()
        .filter(pk=int(programme_id))
        .first()
    )
    if programme is None:
        return None
    today = clock.today()
    status = deadlines.deadline_status(programme, today)
    if not status.in_calendar or status.date is None or status.days_left is None:
        return None  # the deadline passed or was removed before the message could go
    context = {
        "programme": programme,
        "status": status,
        "stage": int(stage),
        "url": f"{settings.SITE_URL}{programme.get_absolute_url()}",
        "compare_url": f"{settings.SITE_URL}{reverse('programs:compare')}?{message.alert.query}",
        **standing,
    }
    return mail.render("alert_reminder", context)


def _standing_links(alert: Alert) -> dict[str, str]:
    """The manage and unsubscribe links of one message, signed once: the body and the
    List-Unsubscribe header give the same address (signed a second apart, they differed)."""
    return {"manage_url": links.manage_url(alert), "unsubscribe_url": links.unsubscribe_url(alert)}


def _message_id(message: AlertMessage) -> str:
    domain = settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":")[0] or "localhost"
    period = message.period.replace(":", ".")
    return f"<alert-{message.alert_id}-{message.kind}-{period}@{domain}>"


def deliver_one(run: Run, message_id: int) -> str:
    """ "sent", "failed", "dropped" (nothing left to say) or "" (another run has it, or done)."""
    with transaction.atomic():
        message = (
            AlertMessage.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("alert")
            .filter(pk=message_id, state=AlertMessage.State.PENDING)
            .first()
        )
        if message is None:
            return ""
        alert = message.alert
        reported = alert.reported_problems
        standing = _standing_links(alert)
        if message.kind == AlertMessage.Kind.DIGEST:
            made = _letter_digest(run, message, standing)
            letter, reported = made if made is not None else (None, reported)
        else:
            letter = _letter_reminder(message, standing)
        if letter is None:
            message.delete()
            return "dropped"
        headers = {
            **links.list_headers(standing["unsubscribe_url"]),
            "Message-ID": _message_id(message),
        }
        try:
            mail.send(alert.email, letter, headers=headers)
        except mail.NotSent:
            message.attempts += 1
            message.last_attempt_at = run.now
            message.save(update_fields=["attempts", "last_attempt_at"])
            return "failed"
        message.state, message.sent_at = AlertMessage.State.SENT, timezone.now()
        message.attempts += 1
        message.last_attempt_at = run.now
        message.save(update_fields=["state", "sent_at", "attempts", "last_attempt_at"])
        if message.kind == AlertMessage.Kind.DIGEST and message.covers_until is not None:
            alert.covered_until = max(
                alert.covered_until or message.covers_until, message.covers_until
            )
            alert.reported_problems = reported
            alert.save(update_fields=["covered_until", "reported_problems"])
        return "sent"


def deliver(run: Run, report: Report) -> None:
    waiting = AlertMessage.objects.filter(state=AlertMessage.State.PENDING).filter(
        Q(last_attempt_at__isnull=True) | Q(last_attempt_at__lte=run.now - RETRY_AFTER)
    )
    for message_id in list(waiting.values_list("pk", flat=True)):
        outcome = deliver_one(run, message_id)
        report.sent += outcome == "sent"
        report.failed += outcome == "failed"
        report.dropped += outcome == "dropped"


def send_alerts(now: datetime | None = None) -> Report:
    """Plan and send what every confirmed alert is owed now; run it as often as you like."""
    run = Run(now or timezone.now())
    report = Report(forgotten=subscribing.forget_unconfirmed(run.now))
    before = AlertMessage.objects.count()
    plan_digests(run)
    plan_reminders(run)
    report.planned = AlertMessage.objects.count() - before
    deliver(run, report)
    if report.failed:
        logger.warning("send_alerts: %s message(s) not sent; retried later", report.failed)
    return report
