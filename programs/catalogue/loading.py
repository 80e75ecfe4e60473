"""Load the directory's fixtures: validate every record, all or nothing, idempotently.

Django's `loaddata` never calls `full_clean()`, so a typo in a fixture would reach the database
unchecked. This loader deserialises each file with natural keys, validates each record as a form
would, and only writes rows whose values differ from what is stored, so a second run changes nothing.

Reloading never overwrites an adviser's edit. For every row it loads, the loader keeps a
fingerprint of the values it wrote (FixtureRecord). On a reload it creates what is missing and
updates a row only while the row still holds exactly what the fixtures last wrote; a row edited
since (in the admin, by an import) is a conflict: left as it is, listed with the fields that
differ, and the load reports failure unless `overwrite=True`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, models, transaction

from programs.models import FixtureRecord
from programs.models.revisions import one_revision

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


@dataclass(frozen=True)
class Conflict:
    """A row edited since the fixtures last wrote it, and the fields where they disagree."""

    where: str
    fields: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.where}: edited since the last load ({', '.join(self.fields)})"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    overwritten: int = 0
    files: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    dry_run: bool = False

    def __str__(self) -> str:
        text = (
            f"Loaded {len(self.files)} fixture files: {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged"
        )
        if self.overwritten:
            text += f", {self.overwritten} edited rows overwritten"
        if self.conflicts:
            text += f", {len(self.conflicts)} edited rows kept (conflicts)"
        return text + (". Dry run: nothing was saved." if self.dry_run else ".")


@dataclass
class _Records:
    """The FixtureRecords of one load, read once and written back at the end."""

    by_key: dict[tuple[str, str], FixtureRecord]
    touched: dict[tuple[str, str], str] = field(default_factory=dict)

    @classmethod
    def read(cls, using: str) -> _Records:
        rows = FixtureRecord.objects.using(using).all()
        return cls({(r.model, r.key): r for r in rows})

    def last_written(self, ident: tuple[str, str]) -> str | None:
        record = self.by_key.get(ident)
        return record.fingerprint if record else None

    def save(self, using: str) -> None:
        for (model, key), fingerprint in self.touched.items():
            FixtureRecord.objects.using(using).update_or_create(
                model=model, key=key, defaults={"fingerprint": fingerprint}
            )


def _identity(obj: models.Model) -> tuple[str, str]:
    try:
        key = list(getattr(obj, "natural_key")())  # noqa: B009 (not every model declares one)
    except (AttributeError, ObjectDoesNotExist):
        key = [obj.pk]
    return obj._meta.label_lower, json.dumps(key, default=str)


def _fingerprint(values: dict, m2m: dict[str, set]) -> str:
    data = {**values, **{name: sorted(pks) for name, pks in m2m.items()}}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _describe(path: Path, index: int, obj: models.Model) -> str:
    label = obj._meta.label_lower
    natural_key = getattr(obj, "natural_key", None)
    try:
        key = natural_key() if natural_key else None
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


def _load_one(
    path: Path, index: int, wrapped, report: LoadReport, using: str, records: _Records, overwrite
) -> None:
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
    ident = _identity(obj)
    wanted = _fingerprint(_field_values(obj), m2m_wanted)
    if existing is None:
        obj.save(using=using)
        for name, pks in m2m_wanted.items():
            getattr(obj, name).set(pks)
        records.touched[ident] = wanted
        report.created += 1
        return

    stored_values, stored_m2m = _field_values(existing), _stored_m2m(existing, m2m_wanted)
    stored = _fingerprint(stored_values, stored_m2m)
    if stored == wanted:
        if records.last_written(ident) != wanted:
            records.touched[ident] = wanted
        report.unchanged += 1
        return
    if records.last_written(ident) != stored:
        # Someone changed the row since the fixtures wrote it (or the fixtures never did).
        if not overwrite:
            report.conflicts.append(
                Conflict(where, _differing(stored_values, stored_m2m, obj, m2m_wanted))
            )
            return
        report.overwritten += 1
    if _field_values(existing) != _field_values(obj):
        # A normal save so auto_now timestamps move: the row really changed.
        for f in obj._meta.concrete_fields:
            if getattr(f, "auto_now_add", False):
                setattr(obj, f.attname, getattr(existing, f.attname))
        obj.save(using=using)
    for name, pks in m2m_wanted.items():
        getattr(obj, name).set(pks)
    records.touched[ident] = wanted
    report.updated += 1


def _differing(stored_values: dict, stored_m2m: dict, obj: models.Model, m2m_wanted: dict):
    wanted_values = _field_values(obj)
    names = [name for name, value in stored_values.items() if wanted_values.get(name) != value]
    names += [name for name, pks in stored_m2m.items() if m2m_wanted.get(name) != pks]
    return tuple(names)


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
    overwrite: bool = False,
    dry_run: bool = False,
) -> LoadReport:
    """Load the fixture files in order inside one transaction; raise FixtureError on any bad record.

    Rows edited since the last load are kept and listed in `report.conflicts` (or overwritten
    with `overwrite=True`). With `dry_run=True` everything is checked and counted, then rolled back.
    """
    directory = directory or fixtures_dir()
    report = LoadReport(dry_run=dry_run)
    # One load is one version of each programme it touches (programs/models/revisions.py).
    with transaction.atomic(using=using), one_revision():
        records = _Records.read(using)
        for name in files:
            path = directory / name
            if not path.exists():
                raise FixtureError(f"{path}: fixture file is missing")
            for index, wrapped in enumerate(_deserialize(path, using), start=1):
                _load_one(path, index, wrapped, report, using, records, overwrite)
            report.files.append(name)
        records.save(using)
        if dry_run:
            transaction.set_rollback(True, using=using)
    return report
