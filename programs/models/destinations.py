"""Where placements happen: regions, countries, cities, and the guides' notes on each."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .base import SlugNaturalKeyManager, Sourced, clean_single_line_fields, serialized_after


class Region(Sourced):
    """A world region with the guides' overview of what it offers."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)
    summary = models.TextField(help_text="What placements here are like, in our own words.")

    objects = SlugNaturalKeyManager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programs:region", kwargs={"slug": self.slug})

    def natural_key(self) -> tuple[str]:
        return (self.slug,)


class CountryManager(models.Manager):
    def get_by_natural_key(self, code: str):
        return self.get(code=code)


class Country(models.Model):
    code = models.CharField(
        max_length=2, unique=True, help_text="ISO 3166-1 alpha-2 code in capitals, e.g. GB."
    )
    name = models.CharField(max_length=120)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="countries")

    objects = CountryManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "countries"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z]{2}$"), name="country_code_is_two_capitals"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @serialized_after("programs.region")
    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def clean(self) -> None:
        if self.code and not (len(self.code) == 2 and self.code.isascii() and self.code.isupper()):
            raise ValidationError(
                {"code": "Use the two capital letters of the ISO 3166-1 code, e.g. GB or US."}
            )

    def clean_fields(self, exclude=None) -> None:
        clean_single_line_fields(self, super().clean_fields, exclude)


class CityManager(models.Manager):
    def get_by_natural_key(self, country_code: str, slug: str):
        return self.get(country__code=country_code, slug=slug)


class City(models.Model):
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="cities")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=80)

    objects = CityManager()

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "cities"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "slug"], name="city_slug_unique_per_country"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.country.name}"

    @serialized_after("programs.country")
    def natural_key(self) -> tuple[str, str]:
        return (self.country.code, self.slug)

    def clean_fields(self, exclude=None) -> None:
        clean_single_line_fields(self, super().clean_fields, exclude)


class DestinationNoteManager(models.Manager):
    def get_by_natural_key(self, region_slug: str, key: str):
        return self.get(region__slug=region_slug, key=key)


class DestinationNote(Sourced):
    """One point a guide makes about a region or a country: what it suits, or a caveat."""

    class Kind(models.TextChoices):
        OVERVIEW = "overview", "Overview"
        BEST_FOR = "best_for", "Best for"
        EXPECT = "expect", "What to expect"
        CAVEAT = "caveat", "Watch out for"

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="notes")
    country = models.ForeignKey(
        Country,
        on_delete=models.CASCADE,
        related_name="notes",
        null=True,
        blank=True,
        help_text="Set when the note is about one country rather than the whole region.",
    )
    key = models.SlugField(max_length=80, help_text="Stable identifier within the region.")
    kind = models.CharField(max_length=20, choices=Kind)
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    objects = DestinationNoteManager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["region", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "key"], name="destination_note_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.get_kind_display()}"

    @serialized_after("programs.region", "programs.country")
    def natural_key(self) -> tuple[str, str]:
        return (self.region.slug, self.key)
