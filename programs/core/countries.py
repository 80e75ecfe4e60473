"""Every country of ISO 3166-1, for the questions a student answers about themselves (residence,
citizenship): the directory's own `Country` rows are destinations only."""

from functools import cache

import pycountry

from programs.core.text import fold


@cache
def iso_countries() -> tuple[tuple[str, str], ...]:
    """(alpha-2 code, everyday name) for every ISO 3166-1 country, in folded name order."""
    rows = (
        (country.alpha_2, getattr(country, "common_name", None) or country.name)
        for country in pycountry.countries
    )
    return tuple(sorted(rows, key=lambda row: fold(row[1])))


def country_name(code: str) -> str:
    return dict(iso_countries()).get(code, "")
