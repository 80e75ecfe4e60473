"""Keeps `Programme.search_text` current: signals recompute it when a programme, its countries,
its organisation or a country's name change (the expressions are in programs/models/search_text.py).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import m2m_changed, post_save, pre_save

from programs.models import Country, Organisation, Programme
from programs.models.search_text import text_for


def refresh(programme_ids: Iterable[int]) -> None:
    """Recompute the search text of these programmes (after their countries or names change)."""
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
        refresh(Programme.objects.values_list("pk", flat=True))


def _name_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:
        refresh(instance.programmes.values_list("pk", flat=True))


def connect_signals() -> None:
    pre_save.connect(_programme_saving, sender=Programme, dispatch_uid="search-text-programme")
    m2m_changed.connect(
        _countries_changed, sender=Programme.countries.through, dispatch_uid="search-text-m2m"
    )
    post_save.connect(_name_changed, sender=Organisation, dispatch_uid="search-text-org")
    post_save.connect(_name_changed, sender=Country, dispatch_uid="search-text-country")
