"""Write the directory back out as the fixture files `load_directory` reads.

The files have the names and load order of `programs.loading.FIXTURE_FILES`, natural keys instead
of ids, and a stable order (each model's records sorted by natural key), so exporting twice gives
identical bytes and exporting after `load_directory` of an export reproduces it exactly. Timestamps
and the user who verified a programme stay out: they belong to this database, not to the data.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.db import DEFAULT_DB_ALIAS, models

# Which models each file holds, parents before children.
FILE_MODELS = {
    "guides.yaml": ["programs.guide"],
    "taxonomy.yaml": ["programs.studylevel", "programs.speciality", "programs.discipline"],
    "destinations.yaml": [
        "programs.region",
        "programs.country",
        "programs.city",
        "programs.destinationnote",
    ],
    "guide_content.yaml": [
        "programs.guidetopic",
        "programs.timelinestage",
        "programs.guideitem",
        "programs.costbenchmark",
    ],
    "organisations.yaml": ["programs.organisation"],
    "programmes.yaml": ["programs.programme", "programs.eligibilityrule", "programs.cost"],
    "exchange_rates.yaml": ["programs.exchangerate"],
    "legitimacy.yaml": ["programs.legitimacysignal"],
    "search_synonyms.yaml": ["programs.searchsynonym"],
}

# Recorded by advisers in this database, citing its users: they stay out of the fixtures (which
# hold what the guides say) and are kept by database backups. A programme citing only such a
# source cannot be written out as a fixture; `export_directory` leaves its `source` out.
NOT_IN_FIXTURES = [
    "programs.source",
    "programs.dateddeadline",
    # load_directory's own bookkeeping of what it last wrote (catalogue/loading.py).
    "programs.fixturerecord",
    # Large admin imports in progress or done (admin/import_jobs.py): work records, not directory.
    "programs.importjob",
    # Who has a change form open (admin/presence.py): moments, not directory.
    "programs.editingsession",
    # Readers' and providers' proposals (models/suggestions.py): what an adviser accepts becomes
    # directory data citing a Source; the proposals themselves hold addresses and stay here.
    "programs.suggestion",
    # Readers' e-mail alerts and the messages sent for them (programs/alerts): subscriptions.
    "programs.alert",
    "programs.alertmessage",
    # "Did you mean"'s index of the search documents' words (listing/search_sync.py): derived.
    "programs.searchword",
]

# A programme's official application page is an adviser's record citing a `Source` (the guides
# name none): like the sources, it stays in this database, and a reload keeps it (loading.py).
APPLICATION_PAGE_FIELDS = (
    "application_url",
    "application_url_source",
    "application_url_checked_on",
)

# `version` counts saves in this database (catalogue/writing.py): not a fact to carry over.
LOCAL_FIELDS = {"verified_by", "source", "version", *APPLICATION_PAGE_FIELDS}


def exported_fields(model: type[models.Model]) -> list[str]:
    return [
        f.name
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if not f.primary_key
        and f.name not in LOCAL_FIELDS
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def _records(label: str, using: str) -> list[models.Model]:
    model = apps.get_model(label)
    return sorted(
        model._default_manager.using(using).all(),
        key=lambda obj: tuple(str(part) for part in obj.natural_key()),
    )


def export_directory(directory: Path, using: str = DEFAULT_DB_ALIAS) -> list[Path]:
    """Write every fixture file into `directory` (created if needed); return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, labels in FILE_MODELS.items():
        path = directory / name
        with path.open("w", encoding="utf-8") as handle:
            for label in labels:
                records = _records(label, using)
                if not records:
                    continue
                serializers.serialize(
                    "yaml",
                    records,
                    stream=handle,
                    fields=exported_fields(type(records[0])),
                    use_natural_foreign_keys=True,
                    use_natural_primary_keys=True,
                    allow_unicode=True,
                )
        written.append(path)
    return written
