"""The list's fixed options: duration buckets, deadline states, delivery modes and sort orders.
Shared by the filters and the list index, so both read one definition."""

from __future__ import annotations

from django.db import models

from programs.decisions import deadlines
from programs.models import Programme


class DurationBucket(models.TextChoices):
    """Each label says what the option keeps: a programme whose stated length is a range (4–8
    weeks) can be done at any length in it, so it is under every option its range reaches."""

    UP_TO_4 = "up-to-4", "Can be done in 4 weeks or less"
    FROM_4_TO_8 = "4-to-8", "Can last between 4 and 8 weeks"
    FROM_8 = "8-plus", "Can last 8 weeks or more"


LENGTH_HINT = (
    "A programme with a range of lengths, e.g. 4–8 weeks, is under each option it reaches."
)

# Inclusive week ranges; a programme matches when its own [min, max] overlaps
# (`ProgrammeQuerySet.lasting_q()`), which is what the labels above say.
DURATION_WEEKS: dict[str, tuple[int | None, int | None]] = {
    DurationBucket.UP_TO_4: (None, 4),
    DurationBucket.FROM_4_TO_8: (4, 8),
    DurationBucket.FROM_8: (8, None),
}


class DeadlineChoice(models.TextChoices):
    """The deadline filter, in students' words; each value is a `deadline_q()` state."""

    WITHIN_A_MONTH = deadlines.CLOSING_SOON, "Due within a month"
    WITHIN_3_MONTHS = "within_3_months", "Due within three months"
    ROLLING = deadlines.ROLLING, "Rolling: apply ahead of your start"
    VARIES = deadlines.VARIES, "Varies, or a season only"
    UNKNOWN = deadlines.UNKNOWN, "No deadline stated"


class DeliveryChoice(models.TextChoices):
    IN_PERSON = Programme.Delivery.IN_PERSON, "In person"
    VIRTUAL = Programme.Delivery.VIRTUAL, "Virtual"


class Sort(models.TextChoices):
    NAME = "name", "Name (A–Z)"
    DEADLINE = "deadline", "Next deadline"
    DURATION = "duration", "Shortest first"
    COST = "cost", "Lowest estimated all-in cost"
