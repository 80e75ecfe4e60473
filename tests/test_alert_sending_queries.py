"""Issue 22: send_alerts' work is linear at most in the alerts: the directory's changes are read
once a run, each distinct search asks the list once, and each message costs the same fixed
number of queries (query counts, not timings: speed is measured by `make bench`)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from programs.alerts.sending import send_alerts
from programs.models import Alert
from tests.factories import make_programme

pytestmark = pytest.mark.django_db
# Forgetting unconfirmed alerts, counting messages, the due alerts and their oldest coverage, the
# three history tables (and the versions before the window of the programmes changed), the list's
# vocabularies and its one query for the search, the deadline alerts, the waiting messages.
NOTHING_TO_SEND = 20


def alerts(count: int, query: str = "q=surgery") -> None:
    since = timezone.now() - datetime.timedelta(hours=1)
    Alert.objects.bulk_create(
        Alert(
            kind=Alert.Kind.SEARCH,
            email=f"s{n}@example.org",
            query=query,
            frequency="daily",
            confirmed_at=since,
            covered_until=since,
        )
        for n in range(count)
    )


def queries_of_a_run() -> int:
    with CaptureQueriesContext(connection) as captured:
        send_alerts()
    return len(captured)


@pytest.mark.parametrize("count", [3, 30])
def test_a_run_with_nothing_to_send_asks_each_search_once_however_many_alerts(count):
    make_programme(title="Cardiology in Leeds")
    alerts(count)
    make_programme(title="Research in Oslo")  # a change, outside the search

    assert queries_of_a_run() == NOTHING_TO_SEND


def test_each_message_costs_the_same_number_of_queries():
    alerts(3)
    make_programme(title="Surgery in Leeds")
    few = queries_of_a_run()
    Alert.objects.all().delete()

    alerts(30)
    make_programme(title="Surgery in Lyon")
    many = queries_of_a_run()

    assert (many - few) % 27 == 0 and (many - few) // 27 <= 8
