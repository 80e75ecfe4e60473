"""Search synonyms: data that advisers edit in the admin, read by every search."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from .base import clean_single_line_fields
from .search_text import Phrase, synonym_map, words

MAX_WORD = 60  # longer "words" (a pasted address) are never worth suggesting


class SearchSynonymManager(models.Manager):
    def get_by_natural_key(self, term: str, means: str):
        return self.get(term=term, means=means)

    def as_map(self) -> dict[Phrase, list[Phrase]]:
        """Every synonym as phrases of folded words (one query)."""
        return synonym_map(self.values_list("term", "means"))


class SearchSynonym(models.Model):
    """A search for `term` also finds `means`: another spelling (paediatrics → pediatrics), a
    common name (UK → United Kingdom), an abbreviation (OB/GYN → obstetrics and gynaecology)
    or a related word (oncology → cancer). One direction only: add the reverse row if wanted."""

    term = models.CharField(
        max_length=80, help_text="What a student may type, e.g. “USA” or “OB/GYN”."
    )
    means = models.CharField(
        max_length=120,
        help_text="Words the directory uses for it, e.g. “United States”; matched as a phrase.",
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why, for other advisers.")

    objects = SearchSynonymManager()

    history = HistoricalRecords()

    class Meta:
        ordering = [Lower("term"), Lower("means")]
        constraints = [
            models.UniqueConstraint(Lower("term"), Lower("means"), name="synonym_unique_pair"),
        ]

    def __str__(self) -> str:
        return f"{self.term} → {self.means}"

    def clean_fields(self, exclude=None) -> None:
        clean_single_line_fields(self, super().clean_fields, exclude)

    def natural_key(self) -> tuple[str, str]:
        return (self.term, self.means)

    def clean(self) -> None:
        errors = {}
        if not words(self.term):
            errors["term"] = "Give at least one word or number."
        if not words(self.means):
            errors["means"] = "Give at least one word or number."
        if not errors and words(self.term) == words(self.means):
            errors["means"] = "A synonym must differ from its term."
        if errors:
            raise ValidationError(errors)


class SearchWord(models.Model):
    """A distinct word of the programmes' search documents and how many documents hold it: where
    "Did you mean" looks for the word a misspelt search meant (programs/listing/suggest.py),
    instead of scanning every document. Kept current with the documents by
    programs/listing/search_sync.py; `manage.py rebuild_search` recounts it. On PostgreSQL a
    trigram GIN index (pg_trgm, `search_word_trigram_gin`, made by migration 0020) serves
    `word % 'cardiolgy'`; SQLite looks among the words of about the same length."""

    word = models.CharField(max_length=MAX_WORD, unique=True)
    # Words of about a misspelt word's length: SQLite's candidates.
    length = models.PositiveSmallIntegerField(db_index=True)
    documents = models.IntegerField(default=0)

    class Meta:
        ordering = ["word"]

    def __str__(self) -> str:
        return self.word
