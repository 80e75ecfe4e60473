"""The guides' advice as data: topics, their items, the timeline and the 2026 cost ranges."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .base import (
    SlugNaturalKeyManager,
    Sourced,
    check_range,
    clean_single_line_fields,
    serialized_after,
)
from .money import Amount


class GuideTopic(models.Model):
    """A page under /guides/: timeline, documents, legitimacy checklist, FAQ…"""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(help_text="Why this matters, in our own words.")
    position = models.PositiveSmallIntegerField(default=0)

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:guide", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean_fields(self, exclude=None) -> None:
        clean_single_line_fields(self, super().clean_fields, exclude)


class TimelineStage(Sourced):
    """A stage of the application timeline, counted in months before the start date."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    months_before_min = models.PositiveSmallIntegerField(null=True, blank=True)
    months_before_max = models.PositiveSmallIntegerField(null=True, blank=True)
    summary = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(months_before_min__isnull=True)
                | models.Q(months_before_max__isnull=True)
                | models.Q(months_before_min__lte=models.F("months_before_max")),
                name="timeline_stage_months_min_lte_max",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        check_range(
            errors,
            self.months_before_min,
            self.months_before_max,
            "months_before_min",
            "months_before_max",
            "months before the start",
        )
        if errors:
            raise ValidationError(errors)


class GuideItemManager(models.Manager):
    def get_by_natural_key(self, topic_slug: str, key: str):
        return self.get(topic__slug=topic_slug, key=key)


class GuideItem(Sourced):
    """One point of advice: a checklist line, a red flag, a document, a question, an FAQ…"""

    class Kind(models.TextChoices):
        POINT = "point", "Point"
        STEP = "step", "Step"
        CHECK = "check", "Checklist item"
        RED_FLAG = "red_flag", "Red flag"
        DOCUMENT = "document", "Document"
        REQUIREMENT = "requirement", "Requirement"
        QUESTION = "question", "Question to ask yourself"
        FAQ = "faq", "Frequently asked question"
        TIP = "tip", "Tip"

    topic = models.ForeignKey(GuideTopic, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=80, help_text="Stable identifier within the topic.")
    kind = models.CharField(max_length=20, choices=Kind)
    title = models.CharField(max_length=300, help_text="The point itself, or the FAQ question.")
    body = models.TextField(blank=True, help_text="Explanation or answer, in our own words.")
    group = models.CharField(
        max_length=120, blank=True, help_text="Optional sub-heading within the topic page."
    )
    stage = models.ForeignKey(
        TimelineStage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        help_text="For timeline checklists: the stage this item belongs to.",
    )
    study_level = models.ForeignKey(
        "programs.StudyLevel",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guide_items",
        help_text="For level-of-study rules: the level this item is about.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = GuideItemManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["topic", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["topic", "key"], name="guide_item_key_unique_per_topic"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @serialized_after(
        "programs.guidetopic", "programs.timelinestage", "programs.studylevel", "programs.guide"
    )
    def natural_key(self) -> tuple[str, str]:
        return (self.topic.slug, self.key)


class CostBenchmark(Amount, Sourced):
    """A typical cost range for 2026 from the guide (flights, accommodation per month…)."""

    slug = models.SlugField(max_length=80, unique=True)

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]
        constraints = Amount.amount_constraints("cost_benchmark")

    def __str__(self) -> str:
        return self.get_kind_display()

    def natural_key(self) -> tuple[str]:
        return (self.slug,)
