"""The words the directory uses when a source is silent: one spelling, everywhere; and a season
and a length in words, as pages and the admin write them."""

import calendar
from typing import Any

NOT_STATED = "Not stated in source"
AMOUNT_NOT_STATED = "Amount not stated in source"


def month_name(value: int | None) -> str:
    if not value or not 1 <= value <= 12:
        return ""
    return calendar.month_name[value]


def month_span(programme: Any) -> str:
    """The season from start_month and end_month: "June–August", "From June", "Until August"."""
    start, end = month_name(programme.start_month), month_name(programme.end_month)
    if start and end:
        return start if start == end else f"{start}–{end}"
    if start:
        return f"From {start}"
    if end:
        return f"Until {end}"
    return ""


def weeks(programme: Any) -> str:
    """Duration from the week range: "1–4 weeks", "8 weeks", "From 6 weeks", "Up to 4 weeks"."""
    low, high = programme.duration_min_weeks, programme.duration_max_weeks

    def unit(n: int) -> str:
        return "week" if n == 1 else "weeks"

    if low is not None and high is not None:
        return f"{low} {unit(low)}" if low == high else f"{low}–{high} {unit(high)}"
    if low is not None:
        return f"From {low} {unit(low)}"
    if high is not None:
        return f"Up to {high} {unit(high)}"
    return ""
