"""Per-programme legitimacy signals: what the source says about each of the guide's checks."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from .base import Sourced, serialized_after


class LegitimacySignalManager(models.Manager):
    def get_by_natural_key(self, programme_slug: str, topic_slug: str, key: str):
        return self.get(
            programme__slug=programme_slug, check_item__topic__slug=topic_slug, check_item__key=key
        )


class LegitimacySignal(Sourced):
    """What the source says about one of the guide's legitimacy checks or red flags for a programme.

    A check without a signal is "not stated"; the detail page turns it into a question to ask.
    """

    class State(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed in the source"
        NOT_STATED = "not_stated", "Not stated in source"
        RED_FLAG = "red_flag", "Red flag"

    programme = models.ForeignKey(
        "programs.Programme", on_delete=models.CASCADE, related_name="legitimacy_signals"
    )
    check_item = models.ForeignKey(
        "programs.GuideItem",
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"topic__slug": "legitimacy", "kind__in": ["check", "red_flag"]},
        help_text="The guide's legitimacy check or red flag this signal answers.",
    )
    state = models.CharField(max_length=20, choices=State, default=State.NOT_STATED)
    note = models.CharField(max_length=400, blank=True, help_text="What the source says.")

    objects = LegitimacySignalManager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "check_item__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "check_item"], name="legitimacy_signal_unique_per_check"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.check_item} ({self.get_state_display()})"

    @serialized_after("programs.programme", "programs.guideitem")
    def natural_key(self) -> tuple:
        return (self.programme.slug, *self.check_item.natural_key())

    def clean(self) -> None:
        item = getattr(self, "check_item", None) if self.check_item_id else None
        if item is not None and (
            item.topic.slug != "legitimacy" or item.kind not in ("check", "red_flag")
        ):
            raise ValidationError(
                {"check_item": "Choose one of the legitimacy guide's checks or red flags."}
            )
        if item is not None and self.state == self.State.CONFIRMED and item.kind == "red_flag":
            raise ValidationError(
                {"state": "A red flag is either present (red flag) or not stated."}
            )
