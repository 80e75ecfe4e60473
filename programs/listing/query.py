"""One list query: everything a list of programmes is asked for, read once from the query string,
and one method that runs it.

`ListQuery.read(data, today, vocabulary)` validates the filters (`ProgrammeFilter`), the search,
the profile, the budget, the sort, the page and the comparison together. The list page, the
open-data exports (/programmes.csv, /programmes.json) and the calendar feed all ask it for their
programmes, so they list the same programmes in the same order:

- `run(page)`: the list page's count, its page of rows (with each shown card's verdict and
  estimate), the facet counts and the calendar flag; each row is fetched once.
- `rows(prepare)`: every result in order, fetched in chunks with `prepare` (the exports' and the
  feed's related rows).

The database decides everything a list keeps and its order: every filter and the search
(`ProgrammeFilter.conditions()`), "eligible only" and Eligible before Check
(`listing.eligibility`, proved equal to the matcher by tests/test_eligibility_in_sql.py), the
budget and the cost sort (`listing.budget`, proved equal to `costs.estimate()` by
tests/test_budget_in_sql.py). Python writes the verdicts and estimates of the cards a page shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import QueryDict

from programs.caching import vocabulary as shared_vocabulary
from programs.decisions import costs
from programs.decisions.matching import Profile, Verdict, match
from programs.decisions.profile import EstimateChoice, ListExtrasForm
from programs.listing import asked, budget, eligibility, results
from programs.listing.choices import Sort
from programs.listing.facets import Option, counts, facets
from programs.listing.filters import ProgrammeFilter
from programs.models import Programme, ProgrammeQuerySet, Vocabulary

PER_PAGE = 20
EXPORT_CHUNK = 2000


@dataclass(frozen=True)
class Shown:
    """One programme on the page with what its card says about the student."""

    programme: Programme
    verdict: Verdict | None  # with a profile only
    estimate: costs.Estimate


@dataclass(frozen=True)
class ListPage:
    """What `ListQuery.run()` found: the results' number, the page asked for (or the nearest
    real one, with a note), its programmes, and every filter option with its count."""

    count: int
    page: Page
    page_note: str
    shown: list[Shown]
    options: dict[str, list[Option]]
    has_calendar: bool  # some result has a dated deadline ahead (the feed would hold something)


class ListQuery:
    """A list of programmes as the query string asks for it (module docstring)."""

    def __init__(self, data: QueryDict, today: date, vocabulary: Vocabulary):
        self.data, self.today, self.vocabulary = data, today, vocabulary
        self.published = Programme.objects.published()
        self.filterset = ProgrammeFilter(
            data, queryset=self.published, today=today, vocabulary=vocabulary
        )
        self.filterset.is_valid()
        self.asked = asked.read(data, today, vocabulary)
        self.rates = costs.Rates(vocabulary.rates)

    @classmethod
    def read(cls, data: QueryDict, today: date, vocabulary: Vocabulary | None = None) -> ListQuery:
        return cls(
            data, today, vocabulary if vocabulary is not None else shared_vocabulary.shared()
        )

    # What was asked, validated once.

    @property
    def profile(self) -> Profile:
        return self.asked.profile

    @property
    def choice(self) -> EstimateChoice:
        return self.asked.choice

    @property
    def extras(self) -> ListExtrasForm:
        return self.asked.extras

    @property
    def eligible_only(self) -> bool:
        """ "Eligible only" applies when a profile gives the matcher something to judge."""
        return bool(self.extras.cleaned_data.get("eligible")) and not self.profile.is_empty

    @property
    def budget(self) -> int | None:
        return self.extras.cleaned_data.get("max_cost")

    @property
    def by_cost(self) -> bool:
        return self.filterset.form.cleaned_data.get("sort") == Sort.COST

    @property
    def search_text(self) -> str:
        return self.filterset.form.cleaned_data.get("q") or ""

    @property
    def errors(self) -> bool:
        return bool(self.filterset.errors)

    @cached_property
    def conditions(self) -> dict[str, Q]:
        return self.filterset.conditions()

    @cached_property
    def sql_q(self) -> Q:
        """What the database decides beyond the filters: "eligible only"."""
        return eligibility.may_apply_q(self.profile) if self.eligible_only else Q()

    # Running it.

    @cached_property
    def within(self) -> Q:
        """Every condition beyond the filters, as the results and every facet count apply it:
        "eligible only", and the budget (the programmes within it among those some facet count
        may count, found by the database once)."""
        if self.budget is None:
            return self.sql_q
        scope = self.published.filter(self.sql_q, results.counted_q(self.conditions))
        kept = self._with_estimate(scope).filter(budget.within_q(self.budget))
        return self.sql_q & ProgrammeQuerySet.among_q(list(kept.values_list("pk", flat=True)))

    def _with_estimate(self, found: ProgrammeQuerySet) -> ProgrammeQuerySet:
        return budget.with_estimate(
            found,
            self.choice,
            self.vocabulary.benchmarks,
            self.rates,
            self.vocabulary.longest_weeks,
        )

    def results(self) -> ProgrammeQuerySet:
        """The results in the list's order: search rank, title, deadline, length or cost (no
        estimate last) as asked; with "eligible only", Eligible before Check, each in that order."""
        found = self.filterset.qs.filter(self.within)
        order = list(found.query.order_by)
        if self.by_cost:
            found = self._with_estimate(found)
            order = [*budget.cost_order(), *order]
        if self.eligible_only:
            found = found.annotate(verdict_order=eligibility.verdict_order(self.profile))
            order.insert(0, "verdict_order")
        return found.order_by(*order)

    def estimate(self, programme: Programme) -> costs.Estimate:
        return results.estimate_for(programme, self.choice, self.vocabulary.benchmarks, self.rates)

    def _for_cards(self, found: ProgrammeQuerySet) -> ProgrammeQuerySet:
        found = found.for_cards().select_related("source_guide")
        # The matcher reads a programme's disciplines only for a student who gave theirs.
        return found.prefetch_related("disciplines") if self.profile.discipline else found

    def run(self, page: str | None) -> ListPage:
        """The page numbered `page` (as the query string says it), the count and the facets."""
        counted = counts(self.filterset, self.published, self.within)
        paginator = Counted(self._for_cards(self.results()), PER_PAGE, counted.results)
        shown_page, note = page_of(paginator, page)
        judge = not self.profile.is_empty
        shown = [
            Shown(p, match(p, self.profile) if judge else None, self.estimate(p))
            for p in shown_page.object_list
        ]
        options = facets(self.filterset, self.vocabulary, counted)
        return ListPage(counted.results, shown_page, note, shown, options, counted.has_calendar)

    def rows(
        self, prepare: Callable[[ProgrammeQuerySet], ProgrammeQuerySet]
    ) -> Iterator[Programme]:
        """Every result in the list's order, fetched in chunks through `prepare` (which adds
        the related rows the caller reads, and may narrow them further; it must not reorder)."""
        yield from prepare(self.results()).iterator(chunk_size=EXPORT_CHUNK)


class Counted(Paginator):
    """A paginator told the results' number (counted with the facets) instead of counting them."""

    def __init__(self, object_list: ProgrammeQuerySet, per_page: int, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def page_of(paginator: Paginator, raw: str | None) -> tuple[Page, str]:
    """The requested page, or the nearest real one with a note saying so; never an error."""
    if raw is None or raw == "":
        return paginator.page(1), ""
    try:
        number = int(raw)
    except ValueError:
        return paginator.page(1), "That page number wasn’t a number, so here is the first page."
    if number < 1:
        return paginator.page(1), "Pages start at 1, so here is the first page."
    if number > paginator.num_pages:
        last = paginator.num_pages
        return paginator.page(last), f"There is no page {number}; here is the last page ({last})."
    return paginator.page(number), ""
