"""Programmes (named placements and pathways) and the QuerySet that speaks their domain."""

import calendar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords

from programs.core import clock

from .application_page import application_page_constraints, clean_application_page
from .base import MAX_WEEKS, SlugNaturalKeyManager, check_bounds, check_range, serialized_after
from .programme_queries import ProgrammeQuerySet
from .revisions import Revisioned
from .sources import CitesSource


class Programme(CitesSource):
    class ListingKind(models.TextChoices):
        PROGRAMME = "programme", "Named programme"
        PATHWAY = "pathway", "Pathway or exchange route"

    class Type(models.TextChoices):
        SHADOWING = "shadowing", "Clinical shadowing"
        CLINICAL_ROTATION = "clinical_rotation", "Supervised clinical rotation or elective"
        SPECIALITY_ROTATION = "speciality_rotation", "Speciality rotation"
        RESEARCH = "research", "Research"
        PUBLIC_HEALTH = "public_health", "Public health"

    class Delivery(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        VIRTUAL = "virtual", "Virtual"
        HYBRID = "hybrid", "In person and virtual"
        UNKNOWN = "unknown", "Not stated in source"

    class DeadlineKind(models.TextChoices):
        # As the source states it; the guides give one cycle and no year (docs/decisions.md).
        FIXED = "fixed", "Day and month, as last stated"
        APPROXIMATE = "approximate", "Approximate day, month only, or season"
        ROLLING = "rolling", "Rolling, with a lead time"
        VARIES = "varies", "Varies"
        UNKNOWN = "unknown", "Not stated in source"

    class Pay(models.TextChoices):
        PAID = "paid", "Paid (salary or wage)"
        STIPEND = "stipend", "Stipend"
        PARTIAL = "partial", "Partial funding"
        UNPAID = "unpaid", "Unpaid"
        FEE = "fee", "Fee-charging"
        UNKNOWN = "unknown", "Not stated in source"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    listing_kind = models.CharField(
        max_length=20, choices=ListingKind, default=ListingKind.PROGRAMME
    )
    organisation = models.ForeignKey(
        "programs.Organisation", on_delete=models.PROTECT, related_name="programmes"
    )
    partners = models.ManyToManyField(
        "programs.Organisation",
        blank=True,
        related_name="partner_programmes",
        help_text="Partner hosts the guide names (labs, hospitals, universities).",
    )
    # A draft may lack its summary and type (saved incomplete, the review queue says what is
    # missing); a published programme has both (`programme_published_has_summary_and_type`).
    summary = models.TextField(
        blank=True, help_text="One or two sentences in our own words, for students."
    )
    programme_type = models.CharField("type", max_length=30, choices=Type, blank=True)
    delivery = models.CharField(max_length=20, choices=Delivery, default=Delivery.IN_PERSON)
    countries = models.ManyToManyField(
        "programs.Country", blank=True, related_name="programmes", help_text="Destinations."
    )
    cities = models.ManyToManyField("programs.City", blank=True, related_name="programmes")
    location_note = models.CharField(max_length=300, blank=True)
    specialities = models.ManyToManyField(
        "programs.Speciality", blank=True, related_name="programmes"
    )
    disciplines = models.ManyToManyField(
        "programs.Discipline", blank=True, related_name="programmes"
    )
    study_levels = models.ManyToManyField(
        "programs.StudyLevel", blank=True, related_name="programmes", verbose_name="study levels"
    )

    duration_min_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_max_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_note = models.CharField(
        max_length=300, blank=True, help_text="Word for word from the source, e.g. “4 to 8 weeks”."
    )
    start_month = models.PositiveSmallIntegerField(null=True, blank=True)
    end_month = models.PositiveSmallIntegerField(null=True, blank=True)
    dates_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Word for word from the source, e.g. “June to August”.",
    )

    deadline_kind = models.CharField(
        max_length=20, choices=DeadlineKind, default=DeadlineKind.UNKNOWN
    )
    deadline_month = models.PositiveSmallIntegerField(null=True, blank=True)
    deadline_day = models.PositiveSmallIntegerField(null=True, blank=True)
    deadline_lead_weeks = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For rolling deadlines: apply at least this many weeks ahead.",
    )
    deadline_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="Word for word from the source, e.g. “mid-February”; shown in quotes.",
    )

    pay = models.CharField(max_length=20, choices=Pay, default=Pay.UNKNOWN)
    pay_note = models.CharField(
        max_length=300, blank=True, help_text="Word for word from the source; shown in quotes."
    )

    role_includes = models.TextField(blank=True, help_text="What the intern does; one per line.")
    role_excludes = models.TextField(
        blank=True, help_text="What the role may not include; one per line."
    )
    certificate = models.CharField(max_length=300, blank=True)
    recognition_notes = models.TextField(blank=True)
    how_to_apply = models.TextField(blank=True)
    website = models.URLField(
        blank=True, help_text="The programme's official website, as its source gives it."
    )
    application_url = models.URLField(
        "official application page",
        blank=True,
        help_text="Where a student applies, checked by an adviser on the organisation's own site. "
        "Every listing shows a next step: this page, else the site the guide cites, else a web "
        "search for the programme's name.",
    )
    # An application page is a claim like any other: where an adviser found it and when they last
    # opened it (`programme_application_page_has_source_and_date`; both shown beside the link).
    application_url_source = models.ForeignKey(
        "programs.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="application page's source",
        help_text="Where the application page comes from (the provider's website, an email…); "
        "required with the page.",
    )
    application_url_checked_on = models.DateField(
        "application page checked on",
        null=True,
        blank=True,
        help_text="The day an adviser last opened the page and saw it take applications; "
        "required with the page, shown to students.",
    )
    guide_references = models.CharField(
        max_length=300,
        blank=True,
        help_text=(
            "Sites the guide itself cites, by the fact they support: "
            "'eligibility: literegal.co.uk; duration: literegal.co.uk' (facts: pay, eligibility, "
            "deadline, duration, details)."
        ),
    )

    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    # The search document (programs/models/search_text.py), kept by programs/listing/search_sync.py:
    # as folded text ("did you mean" reads its words) and, on PostgreSQL, as a weighted tsvector
    # (GIN-indexed for `WHERE search_document @@ query`; SQLite keeps an FTS5 table instead).
    search_text = models.TextField(editable=False, default="")
    search_document = SearchVectorField(null=True, editable=False)
    last_verified = models.DateField(null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who last checked every fact against the source.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The whole record's version: its own fields, linked lists, rules, costs and dated deadlines.
    # Only the write path (programs/catalogue/writing.py) moves it, once per save that changed
    # anything; a writer that started from another version is refused there.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = SlugNaturalKeyManager.from_queryset(ProgrammeQuerySet)()
    history = HistoricalRecords(
        bases=[Revisioned],
        excluded_fields=["updated_at", "search_document", "version"],
        m2m_fields=[
            "partners",
            "countries",
            "cities",
            "specialities",
            "disciplines",
            "study_levels",
        ],
    )

    class Meta:
        ordering = ["title"]
        indexes = [
            # The public list: published programmes filtered by type/pay, sorted by deadline.
            models.Index(fields=["status", "programme_type"], name="programme_status_type"),
            models.Index(fields=["status", "pay"], name="programme_status_pay"),
            models.Index(
                fields=["status", "deadline_month", "deadline_day"],
                name="programme_status_deadline",
            ),
            # The default sort, ORDER BY LOWER(title), id, and the sitemap/feed by update time.
            models.Index(Lower("title"), "id", name="programme_lower_title"),
            models.Index(fields=["status", "delivery"], name="programme_status_delivery"),
            # sort=duration and the duration filter compare both bounds.
            models.Index(
                fields=["status", "duration_min_weeks", "duration_max_weeks"],
                name="programme_status_duration",
            ),
            models.Index(fields=["status", "-updated_at"], name="programme_status_updated"),
        ]
        constraints = [
            *CitesSource.cites_a_source_constraints("programme"),
            *application_page_constraints(),
            models.CheckConstraint(
                condition=~Q(status="published") | (~Q(summary="") & ~Q(programme_type="")),
                name="programme_published_has_summary_and_type",
            ),
            models.CheckConstraint(
                condition=Q(duration_min_weeks__isnull=True)
                | Q(duration_max_weeks__isnull=True)
                | Q(duration_min_weeks__lte=models.F("duration_max_weeks")),
                name="programme_duration_min_lte_max",
            ),
            models.CheckConstraint(
                condition=(Q(duration_min_weeks__isnull=True) | Q(duration_min_weeks__gte=1))
                & (Q(duration_max_weeks__isnull=True) | Q(duration_max_weeks__lte=MAX_WEEKS)),
                name="programme_duration_within_two_years",
            ),
            models.CheckConstraint(
                condition=Q(deadline_lead_weeks__isnull=True)
                | Q(deadline_lead_weeks__range=(1, MAX_WEEKS)),
                name="programme_lead_time_within_two_years",
            ),
            models.CheckConstraint(
                condition=Q(deadline_month__isnull=True) | Q(deadline_month__range=(1, 12)),
                name="programme_deadline_month_valid",
            ),
            models.CheckConstraint(
                condition=Q(deadline_day__isnull=True) | Q(deadline_day__range=(1, 31)),
                name="programme_deadline_day_valid",
            ),
            models.CheckConstraint(
                condition=~Q(deadline_kind="fixed")
                | Q(deadline_month__isnull=False, deadline_day__isnull=False),
                name="programme_fixed_deadline_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(deadline_kind="rolling") | Q(deadline_lead_weeks__isnull=False),
                name="programme_rolling_deadline_has_lead_time",
            ),
            models.CheckConstraint(
                condition=Q(deadline_day__isnull=True) | Q(deadline_month__isnull=False),
                name="programme_deadline_day_needs_month",
            ),
            models.CheckConstraint(
                condition=(Q(start_month__isnull=True) | Q(start_month__range=(1, 12)))
                & (Q(end_month__isnull=True) | Q(end_month__range=(1, 12))),
                name="programme_season_months_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @serialized_after("programs.organisation", "programs.guide")
    def natural_key(self) -> tuple[str]:
        return (self.slug,)

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        self.clean_citation(errors)
        clean_application_page(self, errors)
        check_range(
            errors,
            self.duration_min_weeks,
            self.duration_max_weeks,
            "duration_min_weeks",
            "duration_max_weeks",
            "duration in weeks",
        )
        for field in ("duration_min_weeks", "duration_max_weeks"):
            check_bounds(
                errors,
                getattr(self, field),
                1,
                MAX_WEEKS,
                field,
                f"Give the length in weeks, from 1 to {MAX_WEEKS} (two years); for a longer "
                "programme, describe it in the duration note and leave the weeks empty.",
            )
        check_bounds(
            errors,
            self.deadline_lead_weeks,
            1,
            MAX_WEEKS,
            "deadline_lead_weeks",
            f"Give the lead time in weeks, from 1 to {MAX_WEEKS} (two years).",
        )
        if self.status == self.Status.PUBLISHED:
            for field, what in (("summary", "a summary"), ("programme_type", "its type")):
                if not getattr(self, field):
                    errors[field] = ValidationError(
                        f"A published programme needs {what}; save it as a draft until then."
                    )
        if self.last_verified is not None and self.last_verified > clock.today():
            errors["last_verified"] = ValidationError(
                "A programme cannot be verified in the future: tick “Checked against its source "
                "today” when you have checked it."
            )
        for field in ("deadline_month", "start_month", "end_month"):
            value = getattr(self, field)
            if value is not None and not 1 <= value <= 12:
                errors[field] = ValidationError("Enter a month number from 1 (January) to 12.")
        month, day = self.deadline_month, self.deadline_day
        if day is not None:
            if month is None:
                errors["deadline_month"] = ValidationError("A deadline day needs its month too.")
            elif 1 <= month <= 12 and not 1 <= day <= calendar.monthrange(2024, month)[1]:
                errors["deadline_day"] = ValidationError(
                    f"{calendar.month_name[month]} has no day {day}."
                )
        if self.deadline_kind == self.DeadlineKind.FIXED and (month is None or day is None):
            errors.setdefault(
                "deadline_day",
                ValidationError("A fixed yearly deadline needs both a month and a day."),
            )
        if self.deadline_kind == self.DeadlineKind.ROLLING and self.deadline_lead_weeks is None:
            errors["deadline_lead_weeks"] = ValidationError(
                "A rolling deadline needs the lead time in weeks (e.g. 8 for 'apply 8+ weeks before')."
            )
        if errors:
            raise ValidationError(errors)

    def set_status(self, status: str) -> bool:
        """Move along draft → published → archived (or back); False when already there."""
        if self.status == status:
            return False
        self.status = status
        self.save(update_fields=["status", "updated_at"])
        return True

    def mark_verified(self, user, today) -> None:
        """Record that `user` checked every fact against the source on `today`."""
        self.last_verified = today
        self.verified_by = user
        self.save(update_fields=["last_verified", "verified_by", "updated_at"])

    @property
    def cited_sites(self) -> dict[str, str]:
        """The sites the guide cites, by the fact they support: "eligibility: literegal.co.uk;
        duration: literegal.co.uk" → {"eligibility": "literegal.co.uk", …}. A part with no
        "fact:" prefix supports the whole entry ("all")."""
        cited: dict[str, str] = {}
        for part in self.guide_references.split(";"):
            fact, _, sites = part.rpartition(":")
            if sites.strip():
                cited[fact.strip().lower() or "all"] = sites.strip()
        return cited

    @property
    def role_includes_list(self) -> list[str]:
        return [line.strip() for line in self.role_includes.splitlines() if line.strip()]

    @property
    def role_excludes_list(self) -> list[str]:
        return [line.strip() for line in self.role_excludes.splitlines() if line.strip()]
