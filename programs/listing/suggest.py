"""What the list offers when nothing matches: a corrected search ("Did you mean …?"), the
filters to drop with what each would show, and the specialities with the most programmes.

Every suggestion is drawn from the data and counted under the student's other filters, so a link
never leads to another empty page. Corrections compare the search's words with the words of the
directory, from an index of them (`SearchWord`, the documents' distinct words, and the synonyms'
terms): on PostgreSQL the trigram-similar ones (pg_trgm, through its GIN index), on SQLite those of
about the same length; difflib then picks the closest.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity
from django.db import connection
from django.db.models import Count, Q, QuerySet

from programs.listing.filters import ProgrammeFilter
from programs.models import (
    Programme,
    ProgrammeQuerySet,
    SearchWord,
    Speciality,
)
from programs.models.search_text import Phrase, parse, words

MOST_WORDS = 6  # corrected per search
CLOSE_ENOUGH = 0.75  # difflib's ratio for a word to count as a likely typo
MOST_CANDIDATES = 20  # the most similar words PostgreSQL hands to difflib, per word
LENGTH_SLACK = 2  # SQLite: candidates are at most this many letters longer or shorter


@dataclass(frozen=True)
class Relaxation:
    label: str
    change: dict[str, None]
    count: int


@dataclass(frozen=True)
class Topic:
    name: str
    slug: str
    count: int
    url: str  # the list of this speciality's programmes


@dataclass(frozen=True)
class Partial:
    """The best matches of a search with some of its words dropped, and which ones."""

    dropped: list[str]  # the words left out, as the student typed them
    text: str  # the search without them
    count: int
    programmes: list[Programme]  # the first few, best first


@dataclass(frozen=True)
class Suggestions:
    correction: str  # a search that finds something, or ""
    correction_count: int
    relaxations: list[Relaxation]
    topics: list[Topic]
    partial: Partial | None = None


MOST_PARTIAL = 5  # matches shown without the dropped word
PLAIN_WORD = re.compile(r"^[^\s\"\-][^\s\"]*$")


def partial_matches(
    text: str, count: Callable[[str], int], find: Callable[[str], list]
) -> Partial | None:
    """When no programme matches every word: the search with one word dropped that finds the
    most (ties: the word dropped later, as an extra word is usually added last), else with two.
    Only plain words are dropped (never a quoted phrase, an exclusion or "or")."""
    typed = text.split()
    plain = [n for n, word in enumerate(typed) if PLAIN_WORD.match(word) and word.lower() != "or"]
    if len(typed) < 2 or not plain:
        return None
    for size in (1, 2):
        best: tuple[int, int, list[int]] | None = None
        for n in plain:
            for m in [None] if size == 1 else [m for m in plain if m > n]:
                left_out = [n] if m is None else [n, m]
                rest = " ".join(w for k, w in enumerate(typed) if k not in left_out)
                if not rest.strip():
                    continue
                found = count(rest)
                if found and (best is None or (found, max(left_out)) > best[:2]):
                    best = (found, max(left_out), left_out)
        if best is not None:
            found, _, left_out = best
            rest = " ".join(w for k, w in enumerate(typed) if k not in left_out)
            return Partial([typed[k] for k in left_out], rest, found, find(rest)[:MOST_PARTIAL])
        if len(typed) < 3:
            return None
    return None


def _candidate_words(word: str, synonyms: Iterable[Phrase]) -> set[str]:
    """Words of the directory that may be what `word` meant (one query): the documents' words
    (`SearchWord`) near it (PostgreSQL: trigram-similar, through the index; SQLite: of about its
    length), and the synonyms' terms."""
    found = SearchWord.objects.order_by()
    if connection.vendor == "postgresql":
        found = (
            found.filter(word__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("word", word))
            .order_by("-similarity", "-documents")[:MOST_CANDIDATES]
        )
    else:
        found = found.filter(length__range=(len(word) - LENGTH_SLACK, len(word) + LENGTH_SLACK))
    return {*found.values_list("word", flat=True), *(w for term in synonyms for w in term)}


def correction(text: str, synonyms: Iterable[Phrase] = ()) -> str:
    """The search with each unknown word replaced by the closest known one, or ""."""
    typed = words(text)
    changed, fixed = False, []
    for n, word in enumerate(typed):
        if n >= MOST_WORDS or len(word) < 3 or word.isdigit():
            fixed.append(word)
            continue
        known = _candidate_words(word, synonyms)
        if word in known:
            fixed.append(word)
            continue
        close = difflib.get_close_matches(word, known, n=1, cutoff=CLOSE_ENOUGH)
        fixed.append(close[0] if close else word)
        changed |= bool(close)
    return " ".join(fixed) if changed else ""


def when_nothing_found(
    filterset: ProgrammeFilter,
    published: QuerySet,
    within: Q | None,
    text: str,
    speciality_url: Callable[[str], str],
) -> Suggestions:
    """`speciality_url(slug)` links to the list of one speciality's programmes."""
    within = within if within is not None else Q()
    conditions = filterset.conditions()
    others = [c for name, c in conditions.items() if name != "q"]
    synonyms = filterset.synonyms if text else {}
    fixed = correction(text, synonyms) if text else ""
    fixed_count = 0

    def searching(words_: str) -> QuerySet:
        query = parse(words_, synonyms)
        return published.filter(within, ProgrammeQuerySet.search_q(query), *others)

    if fixed:
        fixed_count = searching(fixed).count()
    partial = None
    if text and not fixed_count:
        partial = partial_matches(
            text,
            lambda rest: searching(rest).count(),
            lambda rest: list(
                searching(rest).select_related("organisation").order_by("title")[:MOST_PARTIAL]
            ),
        )
    relaxations = []
    for name in conditions:
        others = [c for other, c in conditions.items() if other != name]
        n = published.filter(within, *others).count()
        if n:
            label = str(filterset.filters[name].label)
            relaxations.append(Relaxation(label, {name: None}, n))
    topics = [
        Topic(row.name, row.slug, row.n, speciality_url(row.slug))
        for row in Speciality.objects.annotate(
            n=Count("programmes", filter=Q(programmes__status=Programme.Status.PUBLISHED))
        )
        .filter(n__gt=0)
        .order_by("-n", "name")[:6]
    ]
    return Suggestions(fixed if fixed_count else "", fixed_count, relaxations, topics, partial)
