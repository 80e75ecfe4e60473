"""The search document and the search query, the same on both databases.

A programme's document has four weighted parts (most telling first): A the title; B the
organisation and places (countries by name and ISO code, cities); C the specialities,
disciplines and the type of placement; D the summary. Each part is folded ("Côte" → "cote").
PostgreSQL keeps them as a weighted `tsvector` (`Programme.search_document`, GIN-indexed) and ranks
with `ts_rank`; SQLite keeps them in the FTS5 table `programs_programme_fts` (one column per
part, whole tokens, Porter stemming, no diacritics) and ranks with `bm25`. The signals that keep
both current are in programs/listing/search_sync.py.

A query is read like a web search: words must all match (whole words, so "paid" never matches
"unpaid"), `"a phrase"` matches in order, `-word` excludes, `a or b` takes either. Each word or
phrase is expanded by the synonym table (`SearchSynonym`: spellings, common names, abbreviations),
so "paediatrics" also finds "pediatrics" and "USA" finds "United States".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery

from programs.core.text import fold

SEARCH_CONFIG = "english"
FTS_TABLE = "programs_programme_fts"
# The parts in weight order: A, B, C, D on PostgreSQL; FTS5 columns weighted 10, 4, 2, 1 by bm25
# on SQLite (the SQL is in programs/models/finding.py).
PARTS = ("title", "places", "topics", "summary")
WORD = re.compile(r"[^\W_]+")
LONGEST_SYNONYM = 4  # words


def words(text: str) -> tuple[str, ...]:
    """The folded words of `text`, as both databases' tokenisers split it ("OB/GYN" → ob, gyn)."""
    return tuple(WORD.findall(fold(text)))


def document(
    programme: Any,
    *,
    countries: Iterable[Any] = (),
    cities: Iterable[Any] = (),
    topics: Iterable[str] = (),
) -> dict[str, str]:
    """The four parts of one programme's document (a model instance, or a migration's
    historical one), folded; `topics` are the speciality and discipline names and the type."""
    organisation = programme.organisation.name if programme.organisation_id else ""
    places = [organisation]
    for country in countries:
        places += [country.name, country.code]
    places += [city.name for city in cities]
    return {
        "title": fold(programme.title),
        "places": fold(" ".join(p for p in places if p)),
        "topics": fold(" ".join(t for t in topics if t)),
        "summary": fold(programme.summary or ""),
    }


def plain_text(parts: Mapping[str, str]) -> str:
    """The document as one folded string (kept in `search_text` for "did you mean")."""
    return " ".join(parts[name] for name in PARTS if parts[name])


# The query.


Phrase = tuple[str, ...]


@dataclass(frozen=True)
class Term:
    """One word or phrase of a query with the phrases it also stands for; a negated term
    excludes what it matches."""

    alternatives: tuple[Phrase, ...]
    negated: bool = False


# A query is a list of groups, all required; a group's terms are alternatives ("a or b").
Query = list[list[Term]]

TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def parse(text: str, synonyms: Mapping[Phrase, Iterable[Phrase]]) -> Query:
    """Read a search box's text into required groups of terms, expanding synonyms."""
    units: list[tuple[str, Phrase]] = []  # ("word" | "phrase" | "not" | "or", words)
    for negation, quoted, bare in TOKEN.findall(text):
        if quoted or (negation and not bare):
            phrase = words(quoted)
            if phrase:
                units.append(("not" if negation else "phrase", phrase))
        elif bare.lower() == "or":
            units.append(("or", ()))
        elif bare.startswith("-") and len(bare) > 1:
            phrase = words(bare[1:])
            if phrase:
                units.append(("not", phrase))
        else:
            units += [("word", (w,)) for w in words(bare)]
    terms: list[Term | None] = []  # None marks "or"
    i = 0
    while i < len(units):
        kind, value = units[i]
        if kind == "or":
            terms.append(None)
            i += 1
            continue
        if kind == "word":
            # The longest run of plain words that is a synonym ("ob gyn", "united kingdom").
            for n in range(min(LONGEST_SYNONYM, len(units) - i), 0, -1):
                run = units[i : i + n]
                if all(k == "word" for k, _ in run):
                    phrase = tuple(w for _, (w,) in run)
                    if n == 1 or phrase in synonyms:
                        break
            i += n
        else:
            phrase, i = value, i + 1
        alternatives = (phrase, *(s for s in synonyms.get(phrase, ()) if s != phrase))
        terms.append(Term(tuple(dict.fromkeys(alternatives)), negated=kind == "not"))
    query: Query = []
    joining = False
    for term in terms:
        if term is None:
            joining = bool(query)
        elif joining and not term.negated and not any(t.negated for t in query[-1]):
            query[-1].append(term)
            joining = False
        else:
            query.append([term])
            joining = False
    return query


def synonym_map(pairs: Iterable[tuple[str, str]]) -> dict[Phrase, list[Phrase]]:
    """`(term, means)` rows as phrases: a search for `term` also finds `means`."""
    found: dict[Phrase, list[Phrase]] = {}
    for term, means in pairs:
        key, value = words(term), words(means)
        if key and value:
            found.setdefault(key, []).append(value)
    return found


def pg_query(query: Query) -> SearchQuery | None:
    """The query as one `tsquery` (None when it has no words)."""
    combined: SearchQuery | None = None
    for group in query:
        either: SearchQuery | None = None
        for term in group:
            for phrase in term.alternatives:
                part = SearchQuery(" ".join(phrase), search_type="phrase", config=SEARCH_CONFIG)
                either = part if either is None else either | part
        if either is None:
            continue
        if group[0].negated:
            either = ~either
        combined = either if combined is None else combined & either
    return combined


def fts_expression(group: list[Term]) -> str:
    """One group as an FTS5 MATCH expression; every word is quoted, so none is an operator."""
    return " OR ".join(
        '"' + " ".join(phrase) + '"' for term in group for phrase in term.alternatives
    )


def fts_match(query: Query) -> tuple[str, list[str]]:
    """The FTS5 expression for the required groups, and the expressions to exclude."""
    required = [f"({fts_expression(g)})" for g in query if not g[0].negated]
    excluded = [fts_expression(g) for g in query if g[0].negated]
    return " AND ".join(required), excluded
