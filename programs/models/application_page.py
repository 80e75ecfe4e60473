"""A programme's official application page is a claim like any other: an adviser records where it
comes from (a `Source`: the provider's website, an email…) and the day they last opened it, and a
student sees both beside the link (`decisions/next_step.py`). The page is https: students send
their details there.

The constraints and `clean_application_page()` are twins: what one refuses, the other says in words.
"""

from __future__ import annotations

import datetime
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from programs.core import clock


class HasApplicationPage(Protocol):
    """A Programme, as far as its application page goes (no import of programmes.py: no cycle)."""

    application_url: str
    application_url_source: Any
    application_url_checked_on: datetime.date | None


def application_page_constraints() -> list[models.BaseConstraint]:
    recorded = Q(application_url_source__isnull=False, application_url_checked_on__isnull=False)
    none = Q(
        application_url="",
        application_url_source__isnull=True,
        application_url_checked_on__isnull=True,
    )
    return [
        models.CheckConstraint(
            condition=none | (~Q(application_url="") & recorded),
            name="programme_application_page_has_source_and_date",
        ),
        models.CheckConstraint(
            condition=Q(application_url="") | Q(application_url__startswith="https://"),
            name="programme_application_page_is_https",
        ),
    ]


def clean_application_page(
    programme: HasApplicationPage, errors: dict[str, ValidationError]
) -> None:
    # The source itself, not its id: the add page gives a source it saves with the programme.
    source, checked = programme.application_url_source, programme.application_url_checked_on
    if programme.application_url:
        if not programme.application_url.startswith("https://"):
            errors["application_url"] = ValidationError(
                "Give the page's secure address, starting with https://: students send their "
                "details there."
            )
        if source is None:
            errors["application_url_source"] = ValidationError(
                "Say where this application page comes from (e.g. the provider's website)."
            )
        if checked is None:
            errors["application_url_checked_on"] = ValidationError(
                "Give the day you opened the page and saw it take applications."
            )
    elif source is not None or checked is not None:
        errors["application_url"] = ValidationError(
            "Give the application page's address, or clear its source and date."
        )
    if checked is not None and checked > clock.today():
        errors["application_url_checked_on"] = ValidationError(
            "A page cannot be checked in the future: give the day you opened it."
        )
