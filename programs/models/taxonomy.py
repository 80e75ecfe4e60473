"""Vocabularies students filter by: study levels, specialities and disciplines."""

from django.db import models
from simple_history.models import HistoricalRecords

from .base import SlugNaturalKeyManager, Sourced


class Vocabulary(Sourced):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    description = models.TextField(blank=True)

    objects = SlugNaturalKeyManager()

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class StudyLevel(Vocabulary):
    """A stage of study (secondary school, pre-med, medical student, graduate doctor…).

    `description` holds the guide's level-of-study rule: what this level may usually do abroad.
    """

    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        pass


class Speciality(Vocabulary):
    is_emerging = models.BooleanField(
        default=False, help_text="Named by the guide as an emerging area to watch."
    )

    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        verbose_name_plural = "specialities"


class Discipline(Vocabulary):
    """A field of study: medicine, dentistry, pharmacy, nursing, physiotherapy…"""

    history = HistoricalRecords()

    class Meta(Vocabulary.Meta):
        pass
