"""Shared pieces: the source guides, provenance and natural-key managers."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models


def serialized_after[F: Callable[..., tuple]](*model_labels: str) -> Callable[[F], F]:
    """Django's `natural_key.dependencies`: the models `dumpdata` must write before this one.

    Typed: a function attribute assigned in the class body is an error to mypy (django-stubs #297).
    """

    def mark(natural_key: F) -> F:
        vars(natural_key)["dependencies"] = list(model_labels)
        return natural_key

    return mark


class SlugNaturalKeyManager(models.Manager):
    """Seeded models are looked up by slug, so fixtures re-load instead of duplicating."""

    def get_by_natural_key(self, slug: str):
        return self.get(slug=slug)


class Guide(models.Model):
    """A published guide that the directory's facts are transcribed from."""

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    short_title = models.CharField(max_length=80)
    publisher = models.CharField(max_length=120, blank=True)
    file_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="File of the transcribed text in shared/source-guides.",
    )
    summary = models.TextField(blank=True)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class Sourced(models.Model):
    """A record that cites the guide and the section heading it was transcribed from."""

    source_guide = models.ForeignKey(
        Guide,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The guide this record was transcribed from.",
    )
    source_section = models.CharField(
        max_length=200, help_text="The guide's section heading, word for word."
    )

    class Meta:
        abstract = True

    @property
    def citation(self) -> str:
        return f"{self.source_guide.title} — {self.source_section}"


def check_range(errors: dict, low, high, low_field: str, high_field: str, what: str) -> None:
    """Shared twin of the min ≤ max database constraints, for clean()."""
    if low is not None and high is not None and low > high:
        errors[high_field] = ValidationError(
            f"The maximum {what} ({high}) is below the minimum ({low}); swap them or correct one.",
            code="min_above_max",
        )
