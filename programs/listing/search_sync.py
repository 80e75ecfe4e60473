"""Keeps each programme's search document current (programs/models/search_text.py).

Signals rewrite a programme's document after it is saved, when its countries, cities,
specialities or disciplines change, and when the name of an organisation, country, city,
speciality or discipline it mentions changes. PostgreSQL stores the weighted tsvector in
`Programme.search_document`; SQLite rewrites the programme's row of the FTS5 table. Both count
the document's distinct words in `SearchWord` ("Did you mean"'s index): a rewrite adds the words
it gained and takes off those it lost, a deletion takes off all of its words. Code that writes
in bulk (`update()`, `bulk_create()`) calls `refresh()` itself; `rebuild_all()` (manage.py
rebuild_search) recounts every word.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.db.models import Expression, F, TextField, Value
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from programs.models import (
    City,
    Country,
    Discipline,
    Organisation,
    Programme,
    SearchWord,
    Speciality,
)
from programs.models.search import MAX_WORD
from programs.models.search_text import PARTS, SEARCH_CONFIG, document, plain_text, words

WEIGHTS = dict(zip(PARTS, "ABCD", strict=True))
# SQLite's FTS5 table (search_text.FTS_TABLE), one column per part in PARTS' order.
_FTS_DELETE = "DELETE FROM programs_programme_fts WHERE rowid = %s"
_FTS_INSERT = (
    "INSERT INTO programs_programme_fts (rowid, title, places, topics, summary) "
    "VALUES (%s, %s, %s, %s, %s)"
)


def _vector(parts: dict[str, str]) -> Expression:
    vectors = [
        SearchVector(
            Value(parts[name], output_field=TextField()), weight=WEIGHTS[name], config=SEARCH_CONFIG
        )
        for name in PARTS
    ]
    combined: Expression = vectors[0]
    for vector in vectors[1:]:
        combined = combined + vector
    return combined


def refresh(programme_ids: Iterable[int], stored: dict[int, str] | None = None) -> None:
    """Rewrite the search documents of these programmes (a fixed number of queries to read them,
    one or two writes each). `stored`: a programme's document as it was before a save of the
    programme itself wrote its instance's copy over it (what its words counted for)."""
    stored = stored or {}
    programmes = (
        Programme.objects.filter(pk__in=list(programme_ids))
        .select_related("organisation")
        .prefetch_related("countries", "cities", "specialities", "disciplines")
    )
    postgresql = connection.vendor == "postgresql"
    # Every document's gained and lost words, written once for the lot: a word's row updated once
    # per programme (10,000 times in one transaction for "health") took minutes on PostgreSQL.
    counts: Counter[str] = Counter()
    for programme in programmes:
        parts = document(
            programme,
            countries=programme.countries.all(),
            cities=programme.cities.all(),
            topics=[
                *(s.name for s in programme.specialities.all()),
                *(d.name for d in programme.disciplines.all()),
                programme.get_programme_type_display(),
            ],
        )
        text = plain_text(parts)
        before = stored.get(programme.pk, programme.search_text)
        gained, lost = indexed_words(text), indexed_words(before)
        counts.update(gained - lost)
        counts.subtract(lost - gained)
        if postgresql:
            Programme.objects.filter(pk=programme.pk).update(
                search_text=text, search_document=_vector(parts)
            )
            continue
        if text != programme.search_text:
            Programme.objects.filter(pk=programme.pk).update(search_text=text)
        with connection.cursor() as cursor:
            cursor.execute(_FTS_DELETE, [programme.pk])
            cursor.execute(_FTS_INSERT, [programme.pk, *(parts[name] for name in PARTS)])
    add_to_word_counts(counts)


def forget(programme_id: int) -> None:
    """A deleted programme's FTS5 row."""
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_FTS_DELETE, [programme_id])


STORED = "_search_text_stored"  # set on a programme instance between pre_save and post_save


def _programme_saving(sender, instance, raw: bool = False, **kwargs) -> None:
    """The document as stored, read before the save writes the instance's (maybe older) copy."""
    if not raw and instance.pk is not None:
        found = Programme.objects.filter(pk=instance.pk).values_list("search_text", flat=True)
        setattr(instance, STORED, found.first() or "")


def _programme_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw:  # loaddata: `manage.py rebuild_search` (or the next save) fills it in
        stored = vars(instance).pop(STORED, "")
        refresh([instance.pk], {instance.pk: stored})


def _programme_deleting(sender, instance, **kwargs) -> None:
    """Its words no longer count (in the delete's transaction, from the document as stored)."""
    found = Programme.objects.filter(pk=instance.pk).values_list("search_text", flat=True)
    count_words(set(), indexed_words(found.first() or ""))


def _programme_deleted(sender, instance, **kwargs) -> None:
    forget(instance.pk)


def _links_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
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
    pre_save.connect(_programme_saving, sender=Programme, dispatch_uid="search-programme-before")
    post_save.connect(_programme_saved, sender=Programme, dispatch_uid="search-programme")
    pre_delete.connect(_programme_deleting, sender=Programme, dispatch_uid="search-words-delete")
    post_delete.connect(_programme_deleted, sender=Programme, dispatch_uid="search-delete")
    for field in ("countries", "cities", "specialities", "disciplines"):
        m2m_changed.connect(
            _links_changed,
            sender=getattr(Programme, field).through,
            dispatch_uid=f"search-m2m-{field}",
        )
    for model in (Organisation, Country, City, Speciality, Discipline):
        post_save.connect(_name_changed, sender=model, dispatch_uid=f"search-{model.__name__}")


def rebuild_all(batch: int = 1000) -> int:
    """Rewrite every programme's document, `batch` programmes at a time, then recount every
    word; returns how many programmes."""
    pks = list(Programme.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), batch):
        with transaction.atomic():  # one commit per batch, not per row
            refresh(pks[start : start + batch])
    rebuild_words()
    return len(pks)


# "Did you mean"'s words (SearchWord).

SHORTEST_WORD = 3  # programs/listing/suggest.py corrects no shorter word


def indexed_words(text: str) -> set[str]:
    """The words of a document worth suggesting: no numbers, none shorter or much longer."""
    return {w for w in words(text) if SHORTEST_WORD <= len(w) <= MAX_WORD and not w.isdigit()}


def count_words(gained: set[str], lost: set[str]) -> None:
    """One document gained and lost these words."""
    counts: Counter[str] = Counter(gained - lost)
    counts.subtract(lost - gained)
    add_to_word_counts(counts)


def add_to_word_counts(counts: Counter[str], chunk: int = 500) -> None:
    """Add each word's change in documents (negative: documents lost) to its SearchWord row: one
    update per distinct change and chunk of words, whatever the number of documents."""
    by_change: dict[int, list[str]] = {}
    for word, change in counts.items():
        if change:
            by_change.setdefault(change, []).append(word)
    new = [w for change, ws in by_change.items() if change > 0 for w in ws]
    for start in range(0, len(new), chunk):
        SearchWord.objects.bulk_create(
            [SearchWord(word=w, length=len(w), documents=0) for w in new[start : start + chunk]],
            ignore_conflicts=True,
        )
    for change, ws in sorted(by_change.items()):
        for start in range(0, len(ws), chunk):
            found = SearchWord.objects.filter(word__in=ws[start : start + chunk])
            found.update(documents=F("documents") + change)
            if change < 0:
                found.filter(documents__lte=0).delete()


def rebuild_words(batch: int = 5000) -> int:
    """Recount every word of every document from scratch; returns how many words."""
    counted: Counter[str] = Counter()
    texts = Programme.objects.order_by().values_list("search_text", flat=True)
    for text in texts.iterator(chunk_size=batch):
        counted.update(indexed_words(text))
    with transaction.atomic():
        SearchWord.objects.all().delete()
        SearchWord.objects.bulk_create(
            (SearchWord(word=w, length=len(w), documents=n) for w, n in counted.items()),
            batch_size=batch,
        )
    return len(counted)
