"""Today's date, in one place: pages, the admin and the commands all read it here, and tests pin it
by replacing `today` (see tests/conftest.py's `pin_today`). Call it as `clock.today()` so the pin
reaches every caller."""

from datetime import date

from django.utils import timezone


def today() -> date:
    """Today's date in the site's time zone."""
    return timezone.localdate()
