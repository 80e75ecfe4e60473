"""What a programme asks and costs: its eligibility rules and its costs, one row each."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from .base import (
    MIN_AGE_BOUNDS,
    check_bounds,
    check_range,
    clean_single_line_fields,
    serialized_after,
)
from .money import Amount
from .programmes import Programme
from .revisions import Revisioned
from .sources import Source


# Rules and costs are transcribed from their programme's guide section; one stated elsewhere (say
# in the provider's email) cites that source too.
def source_field() -> models.ForeignKey:
    return models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Leave empty when the programme's guide section states it.",
    )


class ProgrammeChildManager(models.Manager):
    def get_by_natural_key(self, programme_slug: str, key: str):
        return self.get(programme__slug=programme_slug, key=key)


class EligibilityRule(models.Model):
    """One structured eligibility condition with the sentence a student reads."""

    class Kind(models.TextChoices):
        MIN_AGE = "min_age", "Minimum age"
        STUDY_LEVEL = "study_level", "Study level"
        RESIDENCY = "residency", "Residency"
        ENROLMENT = "enrolment", "Enrolment"
        LANGUAGE = "language", "Language test"
        BACKGROUND = "background", "Background or diversity criteria"
        NOMINATION = "nomination", "Nomination"
        OWN_STUDENTS = "own_students", "Own students only"
        INTERNATIONAL = "international", "International students"
        OTHER = "other", "Other"

    class AppliesTo(models.TextChoices):
        ALL = "all", "All places"
        IN_PERSON = "in_person", "In-person places"
        VIRTUAL = "virtual", "Virtual places"

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="eligibility_rules"
    )
    key = models.SlugField(max_length=80, help_text="Stable identifier within the programme.")
    kind = models.CharField(max_length=20, choices=Kind)
    applies_to = models.CharField(max_length=20, choices=AppliesTo, default=AppliesTo.ALL)
    text = models.CharField(max_length=400, help_text="The rule as a student should read it.")
    min_age = models.PositiveSmallIntegerField(null=True, blank=True)
    study_levels = models.ManyToManyField(
        "programs.StudyLevel",
        blank=True,
        related_name="+",
        help_text="Levels the source's words clearly include.",
    )
    unclear_levels = models.ManyToManyField(
        "programs.StudyLevel",
        blank=True,
        related_name="+",
        help_text=(
            "Levels the source's words may or may not include (e.g. a medical student for "
            "'high school or college'): the student is told to check."
        ),
    )
    final_school_years = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text=(
            "For school students: only the last N years of secondary school (2 for 'high school "
            "juniors and seniors' or 'Year 12+', 1 for 'graduating seniors')."
        ),
    )
    university = models.ForeignKey(
        "programs.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="For an own-students rule: the university whose students the route is for.",
    )
    citizens_count = models.BooleanField(
        default=False,
        help_text=(
            "For a residency rule whose words may also cover the country's citizens living "
            "elsewhere (e.g. 'open to all US')."
        ),
    )
    residency_country = models.ForeignKey(
        "programs.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    residency_area = models.CharField(
        max_length=120, blank=True, help_text="A narrower area, e.g. 'Baltimore City'."
    )
    language_test = models.CharField(max_length=60, blank=True, help_text="e.g. IELTS")
    language_score_min = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    language_score_max = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    source = source_field()

    objects = ProgrammeChildManager()
    history = HistoricalRecords(bases=[Revisioned], m2m_fields=["study_levels", "unclear_levels"])

    class Meta:
        ordering = ["programme", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "key"], name="eligibility_rule_key_unique_per_programme"
            ),
            models.CheckConstraint(
                condition=~Q(kind="min_age") | Q(min_age__isnull=False),
                name="eligibility_min_age_rule_has_age",
            ),
            models.CheckConstraint(
                condition=~Q(kind="own_students") | Q(university__isnull=False),
                name="eligibility_own_students_rule_has_university",
            ),
            models.CheckConstraint(
                condition=Q(final_school_years__isnull=True) | Q(final_school_years__range=(1, 4)),
                name="eligibility_final_school_years_valid",
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True) | Q(min_age__range=MIN_AGE_BOUNDS),
                name="eligibility_min_age_plausible",
            ),
            models.CheckConstraint(
                condition=~Q(kind="language") | ~Q(language_test=""),
                name="eligibility_language_rule_has_test",
            ),
            models.CheckConstraint(
                condition=Q(language_score_min__isnull=True)
                | Q(language_score_max__isnull=True)
                | Q(language_score_min__lte=models.F("language_score_max")),
                name="eligibility_language_score_min_lte_max",
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @serialized_after("programs.programme")
    def natural_key(self) -> tuple[str, str]:
        return (self.programme.slug, self.key)

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if self.kind == self.Kind.MIN_AGE and self.min_age is None:
            errors["min_age"] = ValidationError("A minimum-age rule needs the age in years.")
        if self.kind == self.Kind.OWN_STUDENTS and self.university_id is None:
            errors["university"] = ValidationError(
                "An own-students rule needs the university whose students the route is for."
            )
        if self.final_school_years is not None and not 1 <= self.final_school_years <= 4:
            errors["final_school_years"] = ValidationError(
                "Give the last 1 to 4 years of secondary school (2 for 'juniors and seniors')."
            )
        low, high = MIN_AGE_BOUNDS
        check_bounds(
            errors,
            self.min_age,
            low,
            high,
            "min_age",
            f"Give the minimum age in years, from {low} to {high}, as the source states it.",
        )
        if self.kind == self.Kind.LANGUAGE and not self.language_test:
            errors["language_test"] = ValidationError(
                "A language rule needs the test's name (e.g. IELTS, TOEFL or 'equivalent')."
            )
        check_range(
            errors,
            self.language_score_min,
            self.language_score_max,
            "language_score_min",
            "language_score_max",
            "language score",
        )
        if errors:
            raise ValidationError(errors)

    def clean_fields(self, exclude=None) -> None:
        clean_single_line_fields(self, super().clean_fields, exclude)


class Cost(Amount):
    """A cost or payment attached to one programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="costs")
    key = models.SlugField(max_length=80, help_text="Stable identifier within the programme.")
    condition = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "Who the amount is for, in the source's words, when it is not for everyone (e.g. "
            "'for students with financial need'). Shown beside the figure wherever it appears."
        ),
    )
    source = source_field()

    objects = ProgrammeChildManager()
    history = HistoricalRecords(bases=[Revisioned])

    class Meta:
        ordering = ["programme", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "key"], name="cost_key_unique_per_programme"
            ),
            *Amount.amount_constraints("cost"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.programme}"

    def with_condition(self, text: str) -> str:
        """`text` (the amount as a page writes it) followed by who it is for, e.g. "US$3,000
        one-off, for students with financial need": a conditional figure is never shown bare."""
        return f"{text}, {self.condition}" if text and self.condition else text

    @serialized_after("programs.programme")
    def natural_key(self) -> tuple[str, str]:
        return (self.programme.slug, self.key)

    def clean_fields(self, exclude=None) -> None:
        clean_single_line_fields(self, super().clean_fields, exclude)
