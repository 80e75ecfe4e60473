"""Load the directory's fixtures: validate every record, all or nothing, idempotently.

Django's `loaddata` never calls `full_clean()`, so a typo in a fixture would reach the database
unchecked. This loader deserialises each file with natural keys, validates each record as a form
would, and only writes rows whose values differ from what is stored, so a second run changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, models, transaction

# Parents before children: each file only refers to records of the files before it.
FIXTURE_FILES = (
    "guides.yaml",
    "taxonomy.yaml",
    "destinations.yaml",
    "guide_content.yaml",
    "organisations.yaml",
    "programmes.yaml",
    "exchange_rates.yaml",
    "legitimacy.yaml",
    "search_synonyms.yaml",
)


def fixtures_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures"


class FixtureError(Exception):
    """A record that cannot be loaded; the message names the file, record and field."""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    files: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"Loaded {len(self.files)} fixture files: {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged."
        )


def _describe(path: Path, index: int, obj: models.Model) -> str:
    label = obj._meta.label_lower
    try:
        key = obj.natural_key()
    except (AttributeError, ObjectDoesNotExist):
        key = None
    name = "/".join(str(part) for part in key) if key else "?"
    return f"{path.name}, record {index} ({label} {name!r})"


def _field_values(obj: models.Model) -> dict:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if not f.primary_key
        and f.editable  # derived columns (search_text) are not in the fixtures
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    }


def _stored_m2m(obj: models.Model, names: Iterable[str]) -> dict[str, set]:
    return {name: set(getattr(obj, name).values_list("pk", flat=True)) for name in names}


def _load_one(path: Path, index: int, wrapped, report: LoadReport, using: str) -> None:
    obj = wrapped.object
    where = _describe(path, index, obj)
    model = type(obj)
    existing = model._default_manager.using(using).filter(pk=obj.pk).first() if obj.pk else None
    # Natural keys resolved the pk of a stored row: validate it as an update, not an insert.
    obj._state.adding = existing is None
    try:
        obj.full_clean(validate_constraints=True)
    except ValidationError as exc:
        details = "; ".join(
            f"field {name!r}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
        raise FixtureError(f"{where}: {details}") from exc

    m2m_wanted = {name: set(pks) for name, pks in (wrapped.m2m_data or {}).items()}
    if existing is None:
        obj.save(using=using)
        for name, pks in m2m_wanted.items():
            getattr(obj, name).set(pks)
        report.created += 1
        return

    fields_changed = _field_values(existing) != _field_values(obj)
    m2m_changed = _stored_m2m(existing, m2m_wanted) != m2m_wanted
    if not (fields_changed or m2m_changed):
        report.unchanged += 1
        return
    if fields_changed:
        # A normal save so auto_now timestamps move: the row really changed.
        for f in obj._meta.concrete_fields:
            if getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, getattr(existing, f.attname))
        obj.save(using=using)
    for name, pks in m2m_wanted.items():
        getattr(obj, name).set(pks)
    report.updated += 1


def _deserialize(path: Path, using: str):
    fmt = path.suffix.lstrip(".")
    fmt = "yaml" if fmt == "yml" else fmt
    with path.open(encoding="utf-8") as handle:
        try:
            yield from serializers.deserialize(
                fmt, handle, using=using, handle_forward_references=False
            )
        except DeserializationError as exc:
            raise FixtureError(f"{path.name}: {exc}") from exc


def load_directory(
    directory: Path | None = None,
    files: Iterable[str] = FIXTURE_FILES,
    using: str = DEFAULT_DB_ALIAS,
) -> LoadReport:
    """Load the fixture files in order inside one transaction; raise FixtureError on any bad record."""
    directory = directory or fixtures_dir()
    report = LoadReport()
    with transaction.atomic(using=using):
        for name in files:
            path = directory / name
            if not path.exists():
                raise FixtureError(f"{path}: fixture file is missing")
            for index, wrapped in enumerate(_deserialize(path, using), start=1):
                _load_one(path, index, wrapped, report, using)
            report.files.append(name)
    return report
