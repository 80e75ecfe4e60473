"""Load the directory's fixtures: validate every record, all or nothing, idempotently.

Django's `loaddata` never calls `full_clean()`, so a typo in a fixture would reach the database
unchecked. This loader deserialises each file with natural keys, validates each record as a form
would, and only writes rows whose values differ from what is stored, so a second run changes nothing.

Reloading never overwrites an adviser's edit. For every row it loads, the loader keeps a
fingerprint of the values it wrote (FixtureRecord). On a reload it creates what is missing and
updates a row only while the row still holds exactly what the fixtures last wrote; a row edited
since (in the admin, by an import) is a conflict: left as it is, listed with the fields that
differ, and the load reports failure unless `overwrite` names it (or is True: every row).

Nor does it bring back what an editor deleted: deleting a row the fixtures wrote marks its
FixtureRecord (`deleted_at`, a tombstone), and a reload leaves that row, and the rows that belong
to it (a programme's rules and costs), deleted, listed beside the conflicts.

A file holds only the directory's own models (`fixture_export.FILE_MODELS`): any other record (a
user, a group, a session) refuses the whole load, so a fixture folder cannot create a login.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import yaml
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.utils import timezone

from programs.models import FixtureRecord, Programme
from programs.models.revisions import one_revision

from .fixture_export import APPLICATION_PAGE_FIELDS, FILE_MODELS

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


# Every model a fixture file may hold (a file of another name may hold any of them).
DIRECTORY_MODELS = tuple(label for labels in FILE_MODELS.values() for label in labels)

# Which rows a load may replace: none (False), every one (True), or those a person named (their
# `row_key`s, as a conflict or a deletion prints them).
Overwrite = bool | AbstractSet[str]


def fixtures_dir() -> Path:
    return Path(settings.BASE_DIR) / "fixtures"


class FixtureError(Exception):
    """A record that cannot be loaded; the message names the file, record and field."""


@dataclass(frozen=True)
class Conflict:
    """A row edited since the fixtures last wrote it, and the fields where they disagree."""

    where: str
    fields: tuple[str, ...]
    key: str = ""  # row_key(): what `--overwrite` takes to replace this row

    def __str__(self) -> str:
        return f"{self.where}: edited since the last load ({', '.join(self.fields)}) [{self.key}]"


@dataclass(frozen=True)
class Deletion:
    """A row the fixtures wrote and an editor deleted since: left deleted."""

    where: str
    key: str
    deleted_at: datetime | None

    def __str__(self) -> str:
        when = (
            f" on {timezone.localtime(self.deleted_at):%Y-%m-%d %H:%M}" if self.deleted_at else ""
        )
        return f"{self.where}: deleted{when} since the last load, left deleted [{self.key}]"


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    overwritten: int = 0
    recreated: int = 0
    # Records of rows that belong to a deleted row (a deleted programme's rules and costs).
    deleted_with_parent: int = 0
    files: list[str] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    deletions: list[Deletion] = field(default_factory=list)
    dry_run: bool = False

    @property
    def kept(self) -> list[Conflict | Deletion]:
        """Every row the load left as an editor made it: edited, or deleted."""
        return [*self.conflicts, *self.deletions]

    def __str__(self) -> str:
        text = (
            f"Loaded {len(self.files)} fixture files: {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged"
        )
        if self.overwritten:
            text += f", {self.overwritten} edited rows overwritten"
        if self.recreated:
            text += f", {self.recreated} deleted rows created again"
        if self.conflicts:
            text += f", {len(self.conflicts)} edited rows kept (conflicts)"
        if self.deletions:
            text += f", {len(self.deletions)} deleted rows left deleted"
            if self.deleted_with_parent:
                text += f" (with {self.deleted_with_parent} rows that belong to them)"
        return text + (". Dry run: nothing was saved." if self.dry_run else ".")


@dataclass
class _Records:
    """The FixtureRecords of one load, read once and written back at the end."""

    by_key: dict[tuple[str, str], FixtureRecord]
    # Rows an editor deleted (and that are still gone): a load leaves them deleted.
    tombstones: dict[tuple[str, str], FixtureRecord]
    touched: dict[tuple[str, str], str] = field(default_factory=dict)
    created: set[tuple[str, str]] = field(default_factory=set)
    replaced: set[str] = field(default_factory=set)  # row keys overwritten or created again

    @classmethod
    def read(cls, using: str) -> _Records:
        rows = FixtureRecord.objects.using(using).all()
        by_key = {(r.model, r.key): r for r in rows}
        tombstones = {
            ident: record
            for ident, record in by_key.items()
            if record.deleted_at is not None and not _exists(ident, using)
        }
        return cls(by_key, tombstones)

    def last_written(self, ident: tuple[str, str]) -> str | None:
        record = self.by_key.get(ident)
        return record.fingerprint if record else None

    def save(self, using: str) -> None:
        for (model, key), fingerprint in self.touched.items():
            FixtureRecord.objects.using(using).update_or_create(
                model=model, key=key, defaults={"fingerprint": fingerprint, "deleted_at": None}
            )
        # Rows deleted and then brought back (a recovered programme) are no longer tombstones.
        back = [
            record.pk
            for ident, record in self.by_key.items()
            if record.deleted_at is not None and ident not in self.tombstones
        ]
        FixtureRecord.objects.using(using).filter(pk__in=back).update(deleted_at=None)


def _exists(ident: tuple[str, str], using: str) -> bool:
    label, key = ident
    try:
        model = apps.get_model(label)
        model._default_manager.db_manager(using).get_by_natural_key(*json.loads(key))
    except (LookupError, ObjectDoesNotExist, AttributeError, TypeError):
        return False
    return True


def row_key(ident: tuple[str, str]) -> str:
    """A row as a person names it: `programs.programme:some-slug`, `programs.cost:slug/fee`."""
    label, key = ident
    parts = json.loads(key)
    return f"{label}:{'/'.join(str(part) for part in parts)}"


def _may_replace(overwrite: Overwrite, key: str) -> bool:
    return overwrite if isinstance(overwrite, bool) else key in overwrite


def record_deletion(sender: type[models.Model], instance: models.Model, using: str, **kwargs):
    """pre_delete of a directory model: mark the row's FixtureRecord as deleted (a tombstone),
    in the deleting transaction, so `load_directory` does not create the row again."""
    label, key = _identity(instance)
    FixtureRecord.objects.using(using).filter(model=label, key=key, deleted_at=None).update(
        deleted_at=timezone.now()
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
    path: Path,
    index: int,
    wrapped,
    report: LoadReport,
    using: str,
    records: _Records,
    overwrite: Overwrite,
) -> None:
    obj = wrapped.object
    where = _describe(path, index, obj)
    model = type(obj)
    existing = model._default_manager.using(using).filter(pk=obj.pk).first() if obj.pk else None
    # Natural keys resolved the pk of a stored row: validate it as an update, not an insert.
    obj._state.adding = existing is None
    if existing is not None and isinstance(obj, Programme):
        # What an adviser recorded here and the fixtures never hold (fixture_export.py).
        for name in APPLICATION_PAGE_FIELDS:
            attname = cast(models.Field, obj._meta.get_field(name)).attname
            setattr(obj, attname, getattr(existing, attname))
    try:
        obj.full_clean(validate_constraints=True)
    except ValidationError as exc:
        details = "; ".join(
            f"field {name!r}: {' '.join(messages)}" for name, messages in exc.message_dict.items()
        )
        raise FixtureError(f"{where}: {details}") from exc

    m2m_wanted = {name: set(pks) for name, pks in (wrapped.m2m_data or {}).items()}
    ident = _identity(obj)
    key = row_key(ident)
    wanted = _fingerprint(_field_values(obj), m2m_wanted)
    if existing is None:
        tombstone = records.tombstones.get(ident)
        if tombstone is not None:
            if not (_may_replace(overwrite, key) or _parent_created(obj, records)):
                report.deletions.append(Deletion(where, key, tombstone.deleted_at))
                return
            report.recreated += 1
            records.replaced.add(key)
        obj.save(using=using)
        for name, pks in m2m_wanted.items():
            getattr(obj, name).set(pks)
        records.touched[ident] = wanted
        records.created.add(ident)
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
        if not _may_replace(overwrite, key):
            report.conflicts.append(
                Conflict(where, _differing(stored_values, stored_m2m, obj, m2m_wanted), key)
            )
            return
        report.overwritten += 1
        records.replaced.add(key)
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


def _parent_created(obj: models.Model, records: _Records) -> bool:
    """A deleted row that belongs to a row this load created again (a programme's cost)."""
    for f in obj._meta.concrete_fields:
        parent_id = getattr(obj, f.attname) if f.many_to_one else None
        if parent_id is not None and _identity(getattr(obj, f.name)) in records.created:
            return True
    return False


def _read_records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        try:
            if path.suffix in (".yaml", ".yml"):
                data = yaml.load(handle, Loader=yaml.CSafeLoader)
            else:
                data = json.load(handle)
        except (yaml.YAMLError, ValueError) as exc:
            raise FixtureError(f"{path.name}: {exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(record, dict) for record in data):
        raise FixtureError(f"{path.name}: not a list of records (model, fields)")
    return data


def _directory_records(
    path: Path, overwrite: Overwrite, records: _Records, report: LoadReport
) -> Iterator[tuple[int, dict[str, Any]]]:
    """The file's records, numbered from 1: each must be of one of the file's own models; those
    that belong to a row an editor deleted (a deleted programme's costs) are left out."""
    allowed = FILE_MODELS.get(path.name, DIRECTORY_MODELS)
    gone = {ident for ident in records.tombstones if not _may_replace(overwrite, row_key(ident))}
    for index, record in enumerate(_read_records(path), start=1):
        label = str(record.get("model", "")).lower()
        if label not in allowed:
            raise FixtureError(
                f"{path.name}, record {index}: {label or 'a record without a model'} is not one "
                f"of the models this file holds ({', '.join(allowed)})."
            )
        if _belongs_to_deleted(record, apps.get_model(label), gone):
            report.deleted_with_parent += 1
            continue
        yield index, record


def _belongs_to_deleted(record: dict, model: type[models.Model], gone: set) -> bool:
    """True when the record refers (by natural key) to a deleted row; references to deleted rows
    in a many-to-many list (a deleted city of a programme) are dropped from the list."""
    values = record.get("fields") or {}
    for name, value in values.items():
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        target = model_field.related_model
        if target is None or not isinstance(value, list):
            continue
        label = target._meta.label_lower
        if model_field.many_to_one and (label, json.dumps(value, default=str)) in gone:
            return True
        if model_field.many_to_many:
            values[name] = [
                item
                for item in value
                if not (isinstance(item, list) and (label, json.dumps(item, default=str)) in gone)
            ]
    return False


def _deserialize(path: Path, numbered: Iterable[tuple[int, dict]], using: str):
    for index, record in numbered:
        try:
            (wrapped,) = serializers.deserialize(
                "python", [record], using=using, handle_forward_references=False
            )
        except DeserializationError as exc:
            raise FixtureError(f"{path.name}, record {index}: {exc}") from exc
        yield index, wrapped


def load_directory(
    directory: Path | None = None,
    files: Iterable[str] = FIXTURE_FILES,
    using: str = DEFAULT_DB_ALIAS,
    overwrite: Overwrite = False,
    dry_run: bool = False,
) -> LoadReport:
    """Load the fixture files in order inside one transaction; raise FixtureError on any bad record.

    Rows edited or deleted since the last load are kept and listed in `report.kept` unless
    `overwrite` names them (their `row_key`) or is True; naming a row that is neither is an
    error. With `dry_run=True` everything is checked and counted, then rolled back.
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
            numbered = _directory_records(path, overwrite, records, report)
            for index, wrapped in _deserialize(path, numbered, using):
                _load_one(path, index, wrapped, report, using, records, overwrite)
            report.files.append(name)
        _check_named(overwrite, records)
        records.save(using)
        if dry_run:
            transaction.set_rollback(True, using=using)
    return report


def _check_named(overwrite: Overwrite, records: _Records) -> None:
    if isinstance(overwrite, bool):
        return
    unknown = sorted(set(overwrite) - records.replaced)
    if unknown:
        raise FixtureError(
            f"Not a row edited or deleted since the last load: {', '.join(unknown)}. "
            "Run load_directory without --overwrite to list them."
        )
