"""The open-data exports (/programmes.csv, /programmes.json): a stable column set, one row per
programme. Column names and their order are a public contract (see README).

The derived columns at the end are the values the list page shows, under the same parameters
(profile, `weeks`, `currency`, `with_pay`): the deadline's state and next date, the all-in
estimate, and, with a profile, the verdict (docs/decisions.md)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from programs.decisions import costs
from programs.decisions.deadlines import deadline_status
from programs.decisions.matching import Profile, match
from programs.decisions.profile import EstimateChoice
from programs.models import CostBenchmark, Programme

# Exports: one row per programme, these columns in this order, forever (add, never rename).
EXPORT_COLUMNS = (
    "slug",
    "title",
    "url",
    "organisation",
    "listing_kind",
    "programme_type",
    "delivery",
    "country_codes",
    "countries",
    "pay",
    "duration_min_weeks",
    "duration_max_weeks",
    "deadline_kind",
    "deadline_month",
    "deadline_day",
    "deadline_lead_weeks",
    "start_month",
    "end_month",
    "website",
    "last_verified",
    "updated_at",
    "source_guide",
    "source_section",
    # Appended (the column contract only grows): a newer source in words, e.g. the provider's email.
    "source",
    # Derived, as the list page shows them (appended in round two).
    "deadline_state",
    "next_deadline",
    "deadline_confirmed",
    "estimate_weeks",
    "estimate_currency",
    "estimate_min",
    "estimate_max",
    "verdict",
    "verdict_reasons",
    # The official application page an adviser recorded (appended).
    "application_url",
    # Where the confirmed deadline in next_deadline comes from, in words (appended; issue 23).
    "deadline_source",
    # When an adviser last checked the application page, and where it comes from (appended).
    "application_url_checked_on",
    "application_url_source",
)


# What spreadsheets read as the start of a formula (OWASP's list, as django-import-export uses).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(row: dict[str, object]) -> dict[str, object]:
    """The CSV row with text that a spreadsheet would run as a formula prefixed by a quote, the
    rule django-import-export applies to the admin's exports
    (IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT). JSON is not a spreadsheet format and stays exact."""
    return {
        key: "'" + value if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value
        for key, value in row.items()
    }


@dataclass(frozen=True)
class Derivation:
    """What the derived columns are computed for: the day, the student and the estimate."""

    today: date
    profile: Profile
    choice: EstimateChoice
    benchmarks: Iterable[CostBenchmark]
    rates: costs.Rates


def for_export(queryset):
    return (
        queryset.select_related(
            "organisation",
            "source_guide",
            "source__guide",
            "application_url_source__guide",
        )
        .prefetch_related("countries", "disciplines", queryset.costs_prefetch())
        .with_rules()
        .with_deadlines()
    )


def derived(programme: Programme, how: Derivation) -> dict[str, object]:
    status = deadline_status(programme, how.today)
    estimate = costs.estimate(
        programme,
        how.choice.weeks,
        how.choice.currency,
        how.benchmarks,
        how.rates,
        with_pay=how.choice.with_pay,
    )
    verdict = None if how.profile.is_empty else match(programme, how.profile)
    return {
        "deadline_state": status.state,
        "next_deadline": status.date.isoformat()
        if status.date and status.state != "passed"
        else "",
        "deadline_confirmed": status.confirmed,
        "deadline_source": status.source if status.confirmed and status.state != "passed" else "",
        "estimate_weeks": estimate.weeks if estimate.available else None,
        "estimate_currency": estimate.currency if estimate.available else "",
        "estimate_min": int(estimate.low) if estimate.low is not None else None,
        "estimate_max": int(estimate.high) if estimate.high is not None else None,
        "verdict": verdict.state if verdict else "",
        "verdict_reasons": " | ".join(r.text for r in verdict.reasons) if verdict else "",
    }


def export_row(programme: Programme, base_url: str, how: Derivation) -> dict[str, object]:
    countries = list(programme.countries.all())
    return {
        "slug": programme.slug,
        "title": programme.title,
        "url": base_url + programme.get_absolute_url(),
        "organisation": programme.organisation.name,
        "listing_kind": programme.listing_kind,
        "programme_type": programme.programme_type,
        "delivery": programme.delivery,
        "country_codes": ";".join(c.code for c in countries),
        "countries": ";".join(c.name for c in countries),
        "pay": programme.pay,
        "duration_min_weeks": programme.duration_min_weeks,
        "duration_max_weeks": programme.duration_max_weeks,
        "deadline_kind": programme.deadline_kind,
        "deadline_month": programme.deadline_month,
        "deadline_day": programme.deadline_day,
        "deadline_lead_weeks": programme.deadline_lead_weeks,
        "start_month": programme.start_month,
        "end_month": programme.end_month,
        "website": programme.website,
        "application_url": programme.application_url,
        "application_url_checked_on": (
            programme.application_url_checked_on.isoformat()
            if programme.application_url_checked_on
            else ""
        ),
        "application_url_source": (
            programme.application_url_source.in_words() if programme.application_url_source else ""
        ),
        "last_verified": programme.last_verified.isoformat() if programme.last_verified else None,
        "updated_at": programme.updated_at.isoformat(),
        "source_guide": programme.source_guide.title if programme.source_guide else "",
        "source_section": programme.source_section,
        "source": programme.source.in_words() if programme.source else "",
        **derived(programme, how),
    }


def export_rows(
    programmes: Iterable[Programme], base_url: str, how: Derivation
) -> Iterator[dict[str, object]]:
    """One row per programme, each fetched with `for_export()`."""
    for programme in programmes:
        yield export_row(programme, base_url, how)
