"""The list page's index: which published programmes each filter option keeps, as bitsets.

Bit *n* of a set stands for the programme whose primary key is *n*. Combining filters is a bitwise
AND, a facet count is a popcount, so the counts beside every option, the number of results and the
page of results cost no database queries; only the page's own rows are fetched. The index is built
from the database with the same conditions the filters use (`ProgrammeQuerySet.*_q()`, the
ordering methods), once per data generation and day in each process (programs/snapshot.py), and a
test checks it against the filtered queryset for many combinations of filters.

At 100,000 programmes a set is 12.5 KB and the whole index about 5 MB; building it takes a dozen
queries (see `make bench` for the time).
"""

from __future__ import annotations

from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import overload

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from programs.caching import snapshot
from programs.listing.choices import DURATION_WEEKS, DeadlineChoice, DeliveryChoice
from programs.models import LegitimacySignal, Programme, ProgrammeQuerySet


def to_bits(pks: Iterable[int]) -> int:
    """The set of `pks` as an int with those bits set."""
    buffer = bytearray()
    for pk in pks:
        byte = pk >> 3
        if byte >= len(buffer):
            buffer.extend(bytes(byte + 1 - len(buffer)))
        buffer[byte] |= 1 << (pk & 7)
    return int.from_bytes(buffer, "little")


def members(bits: int) -> list[int]:
    """The primary keys in a set, ascending."""
    found = []
    for index, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little")):
        while byte:
            low = byte & -byte
            found.append(index * 8 + low.bit_length() - 1)
            byte ^= low
    return found


def first_members(bits: int, order: Iterable[int], stop: int) -> list[int]:
    """The first `stop` pks of `order` that are in the set."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    size = len(data)
    found: list[int] = []
    if stop <= 0:
        return found
    for pk in order:
        byte = pk >> 3
        if byte < size and data[byte] >> (pk & 7) & 1:
            found.append(pk)
            if len(found) == stop:
                break
    return found


# The conditions of the filters with a fixed list of options, as the filters apply them.


def scalar_conditions(today: date) -> dict[str, dict[str, Q]]:
    return {
        "duration": {k: ProgrammeQuerySet.lasting_q(*w) for k, w in DURATION_WEEKS.items()},
        "deadline": {k: ProgrammeQuerySet.deadline_q(k, today) for k in DeadlineChoice.values},
        "delivery": {k: ProgrammeQuerySet.delivered_q(k) for k in DeliveryChoice.values},
    }


# Filters whose options are rows of another table, reached through a many-to-many link.
RELATED = ("region", "country", "speciality", "level")
FACETS = ("type", "pay", "duration", "deadline", "delivery", *RELATED)


@dataclass(frozen=True)
class Order:
    """Every published pk in one sort order, and each pk's position in it."""

    pks: array
    position: array  # indexed by pk

    @classmethod
    def of(cls, pks: Iterable[int], largest_pk: int) -> Order:
        pks = array("q", pks)
        position = array("q", bytes(8 * (largest_pk + 1)))
        for n, pk in enumerate(pks):
            position[pk] = n
        return cls(pks, position)


@dataclass(frozen=True)
class ListingIndex:
    universe: int  # every published programme
    options: Mapping[str, Mapping[str, int]]  # filter → option value → programmes it keeps
    no_red_flags: int
    # Named programmes a student applies to; the rest are routes (a university's own students'
    # pathways, networks with no stated terms), shown apart and not counted as programmes.
    named: int
    organisations: int  # how many organisations publish at least one programme
    orders: Mapping[str, Order]  # by sort key: "name", "deadline", "duration"

    def kept_by(self, name: str, value) -> int:
        """The programmes a valid filter value keeps (`value` as the filter form cleans it: a
        string, a list of strings or model instances, one instance)."""
        if name == "no_red_flags":
            return self.no_red_flags
        kept = 0
        for item in value if isinstance(value, list | tuple | QuerySet) else [value]:
            if name == "country":
                item = item.code
            elif name in RELATED:
                item = item.slug
            kept |= self.options[name].get(item, 0)
        return kept

    def count(self, name: str, value: str, base: int) -> int:
        return (self.options[name].get(value, 0) & base).bit_count()

    def page(self, matches: int, order: Order, start: int, stop: int) -> list[int]:
        """The pks of `matches` from position `start` to `stop` in `order`."""
        total = matches.bit_count()
        stop = min(stop, total)
        if start >= stop:
            return []
        everyone = len(order.pks)
        # Walking the order meets `stop` members after about stop * everyone / total steps;
        # listing the members costs a pass over the set's bytes and a sort of `total` keys.
        if stop * everyone / total <= everyone / 16 + total * 10:
            return first_members(matches, order.pks, stop)[start:stop]
        return sorted(members(matches), key=order.position.__getitem__)[start:stop]


def build(today: date) -> ListingIndex:
    vocabulary = snapshot.vocabulary()
    published = Programme.objects.published()
    conditions = scalar_conditions(today)
    flags = {
        f"flag_{n}": ExpressionWrapper(condition, output_field=BooleanField())
        for n, condition in enumerate(
            c for options in conditions.values() for c in options.values()
        )
    }
    red_flag = LegitimacySignal.objects.filter(
        programme=OuterRef("pk"), state=LegitimacySignal.State.RED_FLAG
    )
    rows = (
        published.annotate(has_red_flag=Exists(red_flag), **flags)
        .order_by(Lower("title"), "pk")
        .values_list(
            "pk", "programme_type", "pay", "organisation_id", "has_red_flag", "listing_kind", *flags
        )
    )
    kept: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    scalar_keys = [(name, value) for name, options in conditions.items() for value in options]
    name_order, clean, named, organisations = array("q"), [], [], set()
    for pk, programme_type, pay, organisation, has_red_flag, listing_kind, *matched in rows:
        if listing_kind == Programme.ListingKind.PROGRAMME:
            named.append(pk)
        name_order.append(pk)
        kept["type"][programme_type].append(pk)
        kept["pay"][pay].append(pk)
        if organisation is not None:
            organisations.add(organisation)
        if not has_red_flag:
            clean.append(pk)
        for (name, value), hit in zip(scalar_keys, matched, strict=True):
            if hit:
                kept[name][value].append(pk)
    universe = to_bits(name_order)
    by_deadline = list(published.by_next_deadline(today).values_list("pk", flat=True))
    by_duration = list(published.by_duration().values_list("pk", flat=True))
    largest = max(max(pks, default=0) for pks in (name_order, by_deadline, by_duration))

    links = {
        "country": (Programme.countries.through, "country_id"),
        "speciality": (Programme.specialities.through, "speciality_id"),
        "level": (Programme.study_levels.through, "studylevel_id"),
    }
    keys = {
        "country": {c.pk: c.code for c in vocabulary.countries.values()},
        "speciality": {s.pk: s.slug for s in vocabulary.specialities.values()},
        "level": {s.pk: s.slug for s in vocabulary.levels.values()},
    }
    region_of = {c.code: c.region_id for c in vocabulary.countries.values()}
    region_slug = {r.pk: r.slug for r in vocabulary.regions.values()}
    for name, (through, column) in links.items():
        for programme, target in through._default_manager.values_list("programme_id", column):
            key = keys[name].get(target)
            if key is None:
                continue
            kept[name][key].append(programme)
            if name == "country" and region_of[key] in region_slug:
                kept["region"][region_slug[region_of[key]]].append(programme)

    return ListingIndex(
        universe=universe,
        options={
            name: {value: to_bits(pks) & universe for value, pks in kept[name].items()}
            for name in FACETS
        },
        no_red_flags=to_bits(clean),
        named=to_bits(named),
        organisations=len(organisations),
        orders={
            "name": Order.of(name_order, largest),
            "deadline": Order.of(by_deadline, largest),
            "duration": Order.of(by_duration, largest),
        },
    )


def current(today: date) -> ListingIndex:
    return snapshot.per_generation("listing-index", today, lambda: build(today))


# One request's filters against the index.


@dataclass(frozen=True)
class Search:
    """The programmes a search matches: as a set, and in relevance order where the database
    ranks them (PostgreSQL), else None."""

    bits: int
    ranked: list[int] | None


def search(text: str) -> Search:
    """One query for every published programme the search matches."""
    matched = Programme.objects.published().search(text)
    if "search_rank" in matched.query.annotations:
        pks = list(
            matched.order_by(F("search_rank").desc(), Lower("title"), "pk").values_list(
                "pk", flat=True
            )
        )
        return Search(to_bits(pks), pks)
    return Search(to_bits(matched.values_list("pk", flat=True)), None)


class Selection:
    """The valid filters of one request as sets: what they keep together, what each facet
    counts over, and the results in order as a sequence Django's Paginator can page through
    (the count from the index; each page's rows from the database by primary key)."""

    def __init__(self, index: ListingIndex, cleaned: Mapping, found: Search | None, rows: QuerySet):
        self.index, self.rows = index, rows
        self.kept: dict[str, int] = {}
        for name, value in cleaned.items():
            if isinstance(value, QuerySet) and value.query.is_empty():
                continue  # a multiple choice left empty cleans to .none()
            if name == "sort" or not value:
                continue
            if name != "q":
                self.kept[name] = index.kept_by(name, value)
            elif found is not None:  # the view searches whenever q is given
                self.kept[name] = found.bits
        self.matches = self.without(None)
        sort = cleaned.get("sort") or ""
        if not sort and found is not None and found.ranked is not None:
            self.order: Order | list[int] = found.ranked
        else:
            # sort=cost has no order here: the view sorts by estimate in Python.
            self.order = index.orders.get(sort, index.orders["name"])

    def without(self, name: str | None) -> int:
        """Every active filter's set but `name`'s, ANDed."""
        bits = self.index.universe
        for other, kept in self.kept.items():
            if other != name:
                bits &= kept
        return bits

    def count(self) -> int:
        return self.matches.bit_count()

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[Programme]:
        return iter(self[:])

    @overload
    def __getitem__(self, window: int) -> Programme: ...

    @overload
    def __getitem__(self, window: slice) -> list[Programme]: ...

    def __getitem__(self, window: int | slice) -> Programme | list[Programme]:
        if isinstance(window, int):
            found = self[window : window + 1]
            if not found:
                raise IndexError(window)
            return found[0]
        start = window.start or 0
        stop = self.count() if window.stop is None else window.stop
        if isinstance(self.order, list):  # relevance: the search's own order, filtered
            pks = first_members(self.matches, self.order, stop)[start:stop]
        else:
            pks = self.index.page(self.matches, self.order, start, stop)
        by_pk = {programme.pk: programme for programme in self.rows.filter(pk__in=pks)}
        return [by_pk[pk] for pk in pks if pk in by_pk]
