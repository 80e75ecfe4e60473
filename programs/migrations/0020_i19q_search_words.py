"""SearchWord: the distinct words of the programmes' search documents, "Did you mean"'s index,
with a trigram GIN index on PostgreSQL (pg_trgm, created by 0011). Filled here from the stored
documents with frozen copies of the folding and the word filter (migrations import no live code)."""

import re
from collections import Counter

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations, models

WORD = re.compile(r"[^\W_]+")
SHORTEST, LONGEST = 3, 60
# Serves `word % 'typed'` (TrigramSimilarity's operator) on PostgreSQL only; SQLite has none.
TRIGRAM_INDEX = GinIndex(fields=["word"], opclasses=["gin_trgm_ops"], name="search_word_trigram_gin")


def add_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("programs", "SearchWord"), TRIGRAM_INDEX)


def remove_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("programs", "SearchWord"), TRIGRAM_INDEX)


def count_words(apps, schema_editor):
    """The stored documents are folded already (search_text)."""
    Programme = apps.get_model("programs", "Programme")
    SearchWord = apps.get_model("programs", "SearchWord")
    counted = Counter()
    for text in Programme.objects.values_list("search_text", flat=True).iterator():
        counted.update(
            {w for w in WORD.findall(text) if SHORTEST <= len(w) <= LONGEST and not w.isdigit()}
        )
    SearchWord.objects.bulk_create(
        [SearchWord(word=w, length=len(w), documents=n) for w, n in counted.items()],
        batch_size=5000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("programs", "0019_i23b_citations_and_drafts"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("word", models.CharField(max_length=60, unique=True)),
                ("length", models.PositiveSmallIntegerField(db_index=True)),
                ("documents", models.IntegerField(default=0)),
            ],
            options={
                "ordering": ["word"],
            },
        ),
        migrations.RunPython(add_trigram_index, remove_trigram_index),
        migrations.RunPython(count_words, migrations.RunPython.noop),
    ]
