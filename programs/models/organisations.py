"""Organisations that host, run or broker placements."""

from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from .base import SlugNaturalKeyManager, serialized_after
from .sources import CitesSource


class Organisation(CitesSource):
    """An organisation cites a guide section or any other source (its own website, an email): a
    new host is often named by no guide (issue 23)."""

    class Kind(models.TextChoices):
        UNIVERSITY = "university", "University or medical school"
        HOSPITAL = "hospital", "Hospital or health trust"
        RESEARCH_INSTITUTE = "research_institute", "Research institute"
        GOVERNMENT_AGENCY = "government_agency", "Government agency"
        INTERNATIONAL_ORGANISATION = "international_organisation", "International organisation"
        STUDENT_ASSOCIATION = "student_association", "Student association"
        EXCHANGE_PROGRAMME = "exchange_programme", "Exchange programme"
        PRIVATE_PROVIDER = "private_provider", "Private provider"

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=40, choices=Kind)
    country = models.ForeignKey(
        "programs.Country",
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
        help_text="Where the organisation is based; empty for international bodies or when unstated.",
    )
    city = models.ForeignKey(
        "programs.City",
        on_delete=models.PROTECT,
        related_name="organisations",
        null=True,
        blank=True,
    )
    website = models.URLField(
        blank=True, help_text="The organisation's own website, as its source gives it."
    )
    description = models.TextField(blank=True)

    objects = SlugNaturalKeyManager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = CitesSource.cites_a_source_constraints("organisation")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        self.clean_citation(errors)
        if errors:
            raise ValidationError(errors)

    @serialized_after("programs.guide", "programs.country", "programs.city")
    def natural_key(self) -> tuple[str]:
        return (self.slug,)
