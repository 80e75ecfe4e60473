"""Issue 22: alerts by email through a real SMTP server on loopback (aiosmtpd), sent by the task
worker (`db_worker` runs `send_alerts_task`): a confirmation link first and nothing else; then a
digest only when something the search shows changed, reminders 30 and 7 days before a deadline
(saying whether it is confirmed or expected); each message once, however often send_alerts runs;
a refused send retried later; one-click unsubscribe (RFC 8058) deletes the address."""

from __future__ import annotations

import datetime
import re
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from programs.alerts import schedule, sending
from programs.models import Alert, AlertMessage, Programme
from tests.factories import make_dated_deadline, make_programme
from tests.smtp import body, run_worker, smtp_inbox_fixture  # noqa: F401 (a fixture)
from tests.suggesting import with_token

pytestmark = pytest.mark.django_db(transaction=True)
STUDENT = "student@example.org"


def ask(client: Client, url: str, **fields) -> None:
    data = {
        "email": STUDENT,
        "frequency": "daily",
        "website": "",
        "submission": str(uuid.uuid4()),
        **fields,
    }
    page = client.get(url).content.decode()
    search = re.search(r'name="search" value="([^"]*)"', page)
    data.setdefault("search", search.group(1).replace("&amp;", "&") if search else "")
    response = with_token(client, url, data)
    assert response.status_code == 302, response.content.decode()


def link_in(message, path: str) -> str:
    found = re.search(rf"https?://\S+({path}\S+/)", body(message))
    assert found, body(message)
    return found.group(1)


def confirm(message) -> None:
    response = with_token(Client(), link_in(message, "/alerts/confirm/"), {})
    assert "Your alerts are on" in response.content.decode()


def send_alerts_by_the_worker() -> None:
    schedule.send_alerts_task.enqueue()
    run_worker()


def test_a_search_alert_sends_one_digest_of_what_changed_after_confirmation(smtp_inbox, settings):
    make_programme(title="Surgery in Lyon")
    ask(Client(), "/alerts/search/?q=surgery&page=2&p=x")
    assert smtp_inbox.messages == []  # nothing is sent inside the request
    make_programme(title="Surgery in Porto")  # before confirming: not news to the student

    run_worker()
    (confirmation,) = smtp_inbox.to(STUDENT)
    assert "Confirm your address" in str(confirmation["Subject"])
    send_alerts_by_the_worker()
    assert len(smtp_inbox.messages) == 1  # nothing else before the address is confirmed
    confirm(confirmation)
    assert Alert.objects.get().query == "q=surgery"  # the search, not the page or comparison

    send_alerts_by_the_worker()
    assert len(smtp_inbox.messages) == 1  # nothing changed since: no digest

    make_programme(title="Surgery in Leeds")
    make_programme(title="Cardiology in Leeds")  # outside the search
    send_alerts_by_the_worker()
    send_alerts_by_the_worker()  # run twice, send once

    (digest,) = smtp_inbox.to(STUDENT)[1:]
    text = body(digest)
    assert "1 change to your search" in str(digest["Subject"])
    assert "Surgery in Leeds" in text and "Now listed in the directory" in text
    assert "Cardiology" not in text and "Porto" not in text and "Lyon" not in text
    assert "/programmes/?q=surgery" in text
    unsubscribe = link_in(digest, "/alerts/unsubscribe/")
    assert digest["List-Unsubscribe"] == f"<{settings.SITE_URL}{unsubscribe}>"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/alerts/manage/" in text
    assert digest.get_content_type() == "text/plain"
    assert AlertMessage.objects.get().state == AlertMessage.State.SENT


def test_one_click_unsubscribe_deletes_the_alert_and_the_address(smtp_inbox):
    ask(Client(), "/alerts/search/?q=surgery")
    run_worker()
    confirm(smtp_inbox.messages[0])
    make_programme(title="Surgery in Leeds")
    send_alerts_by_the_worker()
    digest = smtp_inbox.messages[1]

    # What a mail client does for RFC 8058: a POST with no cookie and no CSRF token.
    url = digest["List-Unsubscribe"].strip("<>").split("://", 1)[1].split("/", 1)[1]
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/{url}", {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert not Alert.objects.filter(email=STUDENT).exists()
    assert not AlertMessage.objects.exists()


def test_reminders_come_30_and_7_days_before_and_say_confirmed_or_expected(smtp_inbox, pin_today):
    pin_today(datetime.date(2027, 1, 25))
    confirmed = make_programme(title="Cardiology in Leeds")
    make_dated_deadline(confirmed, date=datetime.date(2027, 2, 20))  # 26 days ahead
    expected = make_programme(
        title="Surgery in Lyon", deadline_kind="fixed", deadline_month=2, deadline_day=1
    )  # 7 days ahead, from the guide's cycle
    make_programme(title="Far off", deadline_kind="fixed", deadline_month=6, deadline_day=1)
    ask(Client(), f"/alerts/deadlines/?p={confirmed.slug}&p={expected.slug}&p=far-off&weeks=4")
    run_worker()
    confirm(smtp_inbox.messages[0])

    send_alerts_by_the_worker()
    send_alerts_by_the_worker()

    reminders = {str(m["Subject"]): body(m) for m in smtp_inbox.messages[1:]}
    assert set(reminders) == {
        "26 days left: Cardiology in Leeds (confirmed deadline)",
        "7 days left: Surgery in Lyon (expected deadline)",
    }
    assert (
        "This is your 30-day reminder"
        in reminders["26 days left: Cardiology in Leeds (confirmed deadline)"]
    )
    lyon = reminders["7 days left: Surgery in Lyon (expected deadline)"]
    assert "expected, not confirmed" in lyon and "This is your 7-day reminder" in lyon

    pin_today(datetime.date(2027, 2, 14))  # Leeds is now 6 days ahead: its 7-day reminder
    send_alerts_by_the_worker()
    assert [str(m["Subject"]) for m in smtp_inbox.messages[3:]] == [
        "6 days left: Cardiology in Leeds (confirmed deadline)"
    ]


def test_a_refused_send_is_retried_later_and_sent_once(smtp_inbox, settings):
    ask(Client(), "/alerts/search/?q=surgery")
    run_worker()
    confirm(smtp_inbox.messages[0])
    make_programme(title="Surgery in Leeds")
    port = settings.MAILERS["default"]["OPTIONS"]["port"]
    settings.MAILERS["default"]["OPTIONS"]["port"] = 1  # nothing listens there

    report = sending.send_alerts()
    assert (report.sent, report.failed) == (0, 1)
    message = AlertMessage.objects.get()
    assert (message.state, message.attempts) == (AlertMessage.State.PENDING, 1)

    settings.MAILERS["default"]["OPTIONS"]["port"] = port
    assert sending.send_alerts().sent == 0  # too soon: it waits RETRY_AFTER
    later = timezone.now() + sending.RETRY_AFTER
    assert sending.send_alerts(now=later).sent == 1
    assert sending.send_alerts(now=later).sent == 0
    assert len(smtp_inbox.messages) == 2
    assert "Surgery in Leeds" in body(smtp_inbox.messages[1])


def test_a_parameter_the_list_no_longer_has_is_reported_in_the_next_message(smtp_inbox):
    ask(Client(), "/alerts/search/?q=surgery&colour=blue&region=atlantis")
    run_worker()
    confirm(smtp_inbox.messages[0])

    send_alerts_by_the_worker()
    send_alerts_by_the_worker()

    (digest,) = smtp_inbox.messages[1:]
    text = body(digest)
    assert "Part of your search no longer works" in text
    assert "colour: the list has no such filter any more" in text
    problems = text.split("to change it):")[1].split("Your search:")[0]
    assert "Region:" in problems and "atlantis" not in problems  # no typed value is repeated
    assert "Part of your search no longer works" in str(digest["Subject"])


def test_an_address_is_asked_once_a_day_and_one_link_confirms_all_its_alerts(smtp_inbox):
    client = Client()
    ask(client, "/alerts/search/?q=surgery")
    ask(client, "/alerts/search/?q=cardiology")
    run_worker()

    (confirmation,) = smtp_inbox.to(STUDENT)
    confirm(confirmation)
    assert Alert.objects.confirmed().count() == 2


def test_a_draft_published_by_an_adviser_is_news_and_so_is_its_deadline(smtp_inbox):
    draft = make_programme(title="Surgery in Leeds", status=Programme.Status.DRAFT)
    ask(Client(), "/alerts/search/?q=surgery")
    run_worker()
    confirm(smtp_inbox.messages[0])

    draft.status = Programme.Status.PUBLISHED
    draft.save()
    make_dated_deadline(draft)
    send_alerts_by_the_worker()

    text = body(smtp_inbox.messages[1])
    assert "Now listed in the directory" in text
    assert "Confirmed deadline: 20 February 2027 (2027 cycle)" in text


def test_the_worker_runs_send_alerts_every_hour_with_one_run_queued(smtp_inbox):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    call_command("send_alerts", "--schedule")
    call_command("send_alerts", "--schedule")
    queued = DBTaskResult.objects.filter(task_path=schedule.send_alerts_task.module_path)
    assert queued.filter(status="READY").count() == 1

    run_worker()

    assert queued.filter(status="SUCCESSFUL").count() == 1
    (waiting,) = queued.filter(status="READY")
    assert waiting.run_after >= timezone.now() + schedule.EVERY - datetime.timedelta(minutes=1)
