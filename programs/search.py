"""Search text: one accent- and case-folded column per programme, kept up to date by signals.

`Programme.search_text` holds the title, organisation, destination countries and summary, folded
("Côte d'Ivoire" → "cote d'ivoire"). PostgreSQL searches it with `websearch_to_tsquery`, ranked by
`ts_rank`, through the GIN index the `search_and_indexes` migration creates on exactly the
expression `search_vector()` builds; SQLite (no full-text index in Django) matches every folded
word with LIKE, which is case-insensitive for ASCII, so "cote" and "CÔTE" both find the Ivory Coast.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models.signals import m2m_changed, post_save, pre_save

SEARCH_CONFIG = "english"


def fold(text: str) -> str:
    """Lower case without accents: "Côte d'Ivoire" → "cote d'ivoire", "Straße" → "strasse"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def search_vector() -> SearchVector:
    return SearchVector("search_text", config=SEARCH_CONFIG)


def search_query(text: str) -> SearchQuery:
    return SearchQuery(fold(text), search_type="websearch", config=SEARCH_CONFIG)


def search_rank(text: str) -> SearchRank:
    return SearchRank(search_vector(), search_query(text))


def text_for(programme, country_names: Iterable[str]) -> str:
    parts = [programme.title, programme.organisation.name, *country_names, programme.summary]
    return fold(" ".join(part for part in parts if part))


def refresh(programme_ids: Iterable[int]) -> None:
    """Recompute the search text of these programmes (after their countries or names change)."""
    from programs.models import Programme

    programmes = Programme.objects.filter(pk__in=list(programme_ids)).select_related("organisation")
    for programme in programmes.prefetch_related("countries"):
        text = text_for(programme, (c.name for c in programme.countries.all()))
        if text != programme.search_text:
            Programme.objects.filter(pk=programme.pk).update(search_text=text)


def _programme_saving(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return  # loaddata: the migration or the next save fills it in
    names = instance.countries.values_list("name", flat=True) if instance.pk else []
    instance.search_text = text_for(instance, names)


def _countries_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        refresh([instance.pk])
    elif pk_set:
        refresh(pk_set)
    else:  # country.programmes.clear(): which programmes were linked is no longer known
        from programs.models import Programme

        refresh(Programme.objects.values_list("pk", flat=True))


def _name_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        refresh(instance.programmes.values_list("pk", flat=True))


def connect_signals() -> None:
    from programs.models import Country, Organisation, Programme

    pre_save.connect(_programme_saving, sender=Programme, dispatch_uid="search-text-programme")
    m2m_changed.connect(
        _countries_changed, sender=Programme.countries.through, dispatch_uid="search-text-m2m"
    )
    post_save.connect(_name_changed, sender=Organisation, dispatch_uid="search-text-org")
    post_save.connect(_name_changed, sender=Country, dispatch_uid="search-text-country")
