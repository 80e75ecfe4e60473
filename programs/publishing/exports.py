"""The open-data exports (/programmes.csv, /programmes.json): a stable column set, one row per
programme. Column names and their order are a public contract (see README)."""

from __future__ import annotations

from collections.abc import Iterator

from programs.models import Programme

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
    "application_url",
    "last_verified",
    "updated_at",
    "source_guide",
    "source_section",
    # Appended (the column contract only grows): a newer source in words, e.g. the provider's email.
    "source",
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


def for_export(queryset):
    return queryset.select_related(
        "organisation", "source_guide", "source__guide"
    ).prefetch_related("countries")


def export_row(programme: Programme, base_url: str) -> dict[str, object]:
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
        "last_verified": programme.last_verified.isoformat() if programme.last_verified else None,
        "updated_at": programme.updated_at.isoformat(),
        "source_guide": programme.source_guide.title if programme.source_guide else "",
        "source_section": programme.source_section,
        "source": programme.source.in_words() if programme.source else "",
    }


def export_rows(queryset, base_url: str) -> Iterator[dict[str, object]]:
    for programme in for_export(queryset).iterator(chunk_size=2000):
        yield export_row(programme, base_url)
