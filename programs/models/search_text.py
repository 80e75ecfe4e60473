"""The search document's expressions: one accent- and case-folded column per programme.

`Programme.search_text` holds the title, organisation, destination countries and summary, folded
("Côte d'Ivoire" → "cote d'ivoire"). PostgreSQL searches it with `websearch_to_tsquery`, ranked by
`ts_rank`, through the GIN index the `search_and_indexes` migration creates on exactly the
expression `search_vector()` builds; SQLite matches every folded word with LIKE. The signals that
keep the column current live in `programs/listing/search_sync.py`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

from programs.core.text import fold

SEARCH_CONFIG = "english"


def search_vector() -> SearchVector:
    return SearchVector("search_text", config=SEARCH_CONFIG)


def search_query(text: str) -> SearchQuery:
    return SearchQuery(fold(text), search_type="websearch", config=SEARCH_CONFIG)


def search_rank(text: str) -> SearchRank:
    return SearchRank(search_vector(), search_query(text))


def text_for(programme: Any, country_names: Iterable[str]) -> str:
    """The folded document of one programme (a model instance, or a migration's historical one)."""
    parts = [programme.title, programme.organisation.name, *country_names, programme.summary]
    return fold(" ".join(part for part in parts if part))
