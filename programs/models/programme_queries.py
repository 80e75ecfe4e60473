"""The QuerySet that speaks a programme's domain: what each page fetches, in how many queries."""

from typing import Any

from django.db import models

from .destinations import City
from .review import ReviewQuerySet
from .suggestions import last_report

# The next step says where a recorded application page comes from (decisions/next_step.py).
APPLICATION_PAGE = ("application_url_source", "application_url_source__guide")


# The type argument is Any rather than Programme: programmes.py imports this module for its manager,
# and importing Programme back, even for the type checker only, would make an import cycle.
class ProgrammeQuerySet(ReviewQuerySet[Any]):
    def published(self) -> "ProgrammeQuerySet":
        return self.filter(status="published")

    def renamed_from(self, old_slug: str) -> str | None:
        """The current slug of the programme that once had `old_slug`, from its history."""
        former = self.model.history.filter(slug=old_slug).values("id")
        renamed = self.filter(pk__in=former).exclude(slug=old_slug)
        return renamed.values_list("slug", flat=True).first()

    def for_listing(self) -> "ProgrammeQuerySet":
        """Everything a result card shows, fetched in a fixed number of queries."""
        return self.select_related("organisation", *APPLICATION_PAGE).prefetch_related(
            "countries",
            models.Prefetch("cities", queryset=City.objects.select_related("country")),
            "study_levels",
            "specialities",
            self.costs_prefetch(),
            self.rules_prefetch(),
            self.deadlines_prefetch(),
        )

    def for_cards(self) -> "ProgrammeQuerySet":
        """Only what a result card shows: one query per related list, whatever the page size."""
        return self.select_related("organisation", *APPLICATION_PAGE).prefetch_related(
            "countries",
            models.Prefetch("cities", queryset=City.objects.select_related("country")),
            "study_levels",
            self.costs_prefetch(),
            # The estimate reads the residency rules (local-residents-only places).
            self.rules_prefetch(),
            self.deadlines_prefetch(),
        )

    def for_detail(self) -> "ProgrammeQuerySet":
        return self.select_related(
            "organisation",
            "organisation__country",
            "source_guide",
            "source__guide",
            *APPLICATION_PAGE,
        ).prefetch_related(
            "countries__region",
            "cities__country",
            "study_levels",
            "specialities",
            "disciplines",
            "partners",
            # Each cost, rule and dated deadline may cite a source: joined, never fetched one by one.
            self.costs_prefetch(),
            self.rules_prefetch(),
            self.deadlines_prefetch(),
        )

    def with_last_report(self) -> "ProgrammeQuerySet":
        """`report_accepted_at` and `report_from_provider`: when a reader's or provider's report
        last changed each programme (the page says so), in the same query."""
        return self.annotate(**last_report())

    def with_deadlines(self) -> "ProgrammeQuerySet":
        return self.prefetch_related(self.deadlines_prefetch())

    def deadlines_prefetch(self) -> models.Prefetch:
        """The confirmed (dated) deadlines with their sources, for decisions.deadlines."""
        dated = self.model.dated_deadlines.rel.related_model
        return models.Prefetch(
            "dated_deadlines",
            queryset=dated._default_manager.select_related("source", "source__guide"),
        )

    def costs_prefetch(self) -> models.Prefetch:
        """The costs with the source each cites (an estimate line cites its cost's own)."""
        # Costs are defined after Programme (models/conditions.py): read them off the relation.
        costs = self.model.costs.rel.related_model
        return models.Prefetch(
            "costs", queryset=costs._default_manager.select_related("source__guide")
        )

    def with_rules(self) -> "ProgrammeQuerySet":
        return self.prefetch_related(self.rules_prefetch())

    def rules_prefetch(self) -> models.Prefetch:
        """Everything the matcher and the estimate read from a programme's rules, in a fixed
        number of queries for any number of programmes."""
        # The rule model is defined after Programme (models/conditions.py); read it off the relation.
        rules = self.model.eligibility_rules.rel.related_model
        return models.Prefetch(
            "eligibility_rules",
            queryset=rules._default_manager.prefetch_related(
                "study_levels", "unclear_levels"
            ).select_related("residency_country", "university", "source__guide"),
        )
