"""Issue 21: the sender hears back, by email through a real SMTP server on loopback (aiosmtpd),
sent by the task worker (`db_worker`), never in the request: a confirmation link first and
nothing else to an unconfirmed address; then one message with the decision and the reason; then
the address is deleted (and in any case after 90 days)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from programs.models import Suggestion
from programs.suggestions import outcome
from tests.factories import make_programme
from tests.smtp import body, run_worker, smtp_inbox_fixture  # noqa: F401 (a fixture)
from tests.suggesting import correction, proposal, suggest_url, with_token

# The worker checks its connection between tasks as in production: these tests commit.
pytestmark = pytest.mark.django_db(transaction=True)
READER = "reader@example.org"
HOSTILE = '<script>alert("x")</script> visit http://evil.example'


@pytest.fixture
def programme():
    return make_programme(title="Summer School in Surgery")


def send(programme, client=None, **fields) -> Suggestion:
    client = client or Client()
    response = with_token(client, suggest_url(programme), correction(email=READER, **fields))
    assert response.status_code == 302
    return Suggestion.objects.latest("id")


def confirm(message) -> None:
    link = re.search(r"https?://\S+/suggestions/confirm/(\S+)/", body(message))
    assert link, body(message)
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    response = with_token(Client(), f"/{path}", {})
    assert "Your address is confirmed" in response.content.decode()


def test_a_confirmed_sender_hears_the_decision_with_the_reason_then_the_address_is_gone(
    smtp_inbox, programme, adviser
):
    suggestion = send(programme, proposed=HOSTILE)
    assert smtp_inbox.messages == []  # nothing is sent inside the request

    run_worker()
    (confirmation,) = smtp_inbox.to(READER)
    assert "Confirm your address" in str(confirmation["Subject"])
    assert "/suggestions/confirm/" in body(confirmation)
    assert "evil" not in body(confirmation) and "script" not in body(confirmation)
    confirm(confirmation)

    outcome.reject(suggestion, adviser, "The official page still says 21 February <b>2027</b>.")
    assert len(smtp_inbox.messages) == 1
    run_worker()

    decision = smtp_inbox.to(READER)[1]
    assert "declined" in str(decision["Subject"])
    text = body(decision)
    assert "The official page still says 21 February <b>2027</b>." in text
    assert '"Summer School in Surgery"' in text and "deadline" in text
    assert "evil" not in text
    assert decision.get_content_type() == "text/plain" and not decision.is_multipart()
    suggestion.refresh_from_db()
    assert (suggestion.email, suggestion.contact) == ("", "")
    assert suggestion.decision_sent_at is not None
    run_worker()
    assert len(smtp_inbox.messages) == 2  # one message about the decision, once


def test_an_accepted_correction_is_announced_with_the_programmes_page(
    smtp_inbox, programme, adviser, settings
):
    suggestion = send(programme)
    run_worker()
    confirm(smtp_inbox.messages[0])

    outcome.accept(suggestion, adviser, programme)
    run_worker()

    text = body(smtp_inbox.messages[1])
    assert "was accepted" in str(smtp_inbox.messages[1]["Subject"])
    assert f"{settings.SITE_URL}/programmes/{programme.slug}/" in text


def test_an_unconfirmed_address_gets_the_link_only_and_is_deleted_at_the_decision(
    smtp_inbox, programme, adviser
):
    suggestion = send(programme)
    run_worker()

    outcome.reject(suggestion, adviser, "Not what the provider's page says.")
    run_worker()

    assert len(smtp_inbox.messages) == 1  # the confirmation, nothing more
    suggestion.refresh_from_db()
    assert suggestion.email == ""


def test_one_address_gets_one_confirmation_a_day_however_many_it_sends(smtp_inbox, programme):
    client = Client()
    for n in range(3):
        send(programme, client=client, proposed=f"Closes on the {n + 10}th of March")
    run_worker()

    assert len(smtp_inbox.to(READER)) == 1
    confirm(smtp_inbox.messages[0])
    assert Suggestion.objects.filter(email_confirmed_at__isnull=False).count() == 3


def test_a_proposal_accepted_as_a_draft_says_so(smtp_inbox, adviser):
    from tests.factories import make_organisation

    organisation = make_organisation()
    with_token(Client(), "/suggestions/propose/", proposal(email=READER))
    run_worker()
    confirm(smtp_inbox.messages[0])

    outcome.make_draft(
        Suggestion.objects.get(),
        adviser,
        title="Lakeside Paediatrics Elective",
        slug="lakeside",
        organisation=organisation,
        programme_type="clinical_rotation",
        summary="A paediatrics elective.",
    )
    run_worker()

    text = body(smtp_inbox.messages[1])
    assert "as a draft" in text and "Lakeside" not in text  # no stranger's words in mail


def test_a_mail_server_that_is_down_fails_the_task_without_storing_the_address(
    smtp_inbox, programme, settings
):
    send(programme)
    settings.MAILERS["default"]["OPTIONS"]["port"] = 1  # nothing listens there

    run_worker()

    failed = DBTaskResult.objects.get()
    assert failed.status == "FAILED"
    assert READER not in failed.traceback and READER not in str(failed.args_kwargs)
    assert Suggestion.objects.get().confirmation_sent_at is None


def test_addresses_older_than_90_days_are_deleted_by_the_nightly_command(programme):
    old = send(programme, evidence="runs_programme", contact="Dr A, +256 700 000000")
    recent = send(programme, proposed="Another date")
    Suggestion.objects.filter(pk=old.pk).update(
        received_at=timezone.now() - datetime.timedelta(days=91)
    )

    call_command("forget_addresses")

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.email, old.contact, old.status) == ("", "", "open")
    assert recent.email == READER


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DJANGO_EMAIL_PORT", "twenty-five"),
        ("DJANGO_EMAIL_PORT", "70000"),
        ("DJANGO_EMAIL_USE_TLS", "maybe"),
        ("DJANGO_DEFAULT_FROM_EMAIL", "not an address"),
        ("DJANGO_SITE_URL", "internships.example.org"),
    ],
)
def test_a_bad_mail_setting_stops_startup_with_its_name(variable, value):
    from tests.test_production import PRODUCTION_ENV, run

    result = run(["manage.py", "check"], {**PRODUCTION_ENV, variable: value})

    assert result.returncode != 0 and variable in result.stderr


def test_tls_and_ssl_together_stop_startup():
    from tests.test_production import PRODUCTION_ENV, run

    env = {**PRODUCTION_ENV, "DJANGO_EMAIL_USE_TLS": "true", "DJANGO_EMAIL_USE_SSL": "true"}

    result = run(["manage.py", "check"], env)

    assert result.returncode != 0 and "DJANGO_EMAIL_USE_SSL" in result.stderr


def test_production_sends_through_smtp_from_the_environment():
    from tests.test_production import PRODUCTION_ENV, run

    env = {
        **PRODUCTION_ENV,
        "DJANGO_EMAIL_HOST": "smtp.example.org",
        "DJANGO_EMAIL_PORT": "587",
        "DJANGO_EMAIL_USE_TLS": "true",
    }
    code = "from django.conf import settings; m = settings.MAILERS['default']; print(m['BACKEND'], m['OPTIONS']['host'], m['OPTIONS']['port'], settings.DEFAULT_FROM_EMAIL)"

    result = run(
        ["-c", f"import django; django.setup(); {code}"],
        {**env, "DJANGO_SETTINGS_MODULE": "internships.settings"},
    )

    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "Medical",
        "Internships",
        "Directory",
        "<directory@internships.example.org>",
    ], result.stderr
