"""Whole-database backups: everything, users, history and timestamps included (the fixture export
keeps only the sourced directory).

PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists` (the server's own tools,
consistent while the site runs). SQLite: the online backup API, page by page, consistent while
the site runs.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

from programs.caching.generation import bump_generation


class BackupError(Exception):
    pass


def _pg_env(settings: dict) -> tuple[list[str], dict[str, str]]:
    args = [
        "--host",
        settings.get("HOST") or "localhost",
        "--port",
        str(settings.get("PORT") or 5432),
    ]
    args += ["--username", settings.get("USER") or "postgres", "--no-password"]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _private_file(path: Path) -> None:
    """Create (or empty) `path` readable by its owner alone before anything is written to it: a
    backup holds password hashes and sessions. pg_dump and SQLite write into the file as it is."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(path, 0o600)  # an older backup of the same name may have been 0644


def backup(path: Path, using: str = "default") -> Path:
    """Write the whole database to `path` (a pg_dump archive or an SQLite file)."""
    connection = connections[using]
    settings = connection.settings_dict
    _private_file(path)
    if connection.vendor == "postgresql":
        args, env = _pg_env(settings)
        command = [_tool("pg_dump"), *args, "--format=custom", "--file", str(path)]
        _run([*command, settings["NAME"]], env)
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
    else:
        raise BackupError(f"No backup method for {connection.vendor}")
    return path


def restore(path: Path, using: str = "default") -> None:
    """Replace the database's contents with the backup at `path`."""
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    connection = connections[using]
    settings = connection.settings_dict
    if connection.vendor == "postgresql":
        connection.close()
        args, env = _pg_env(settings)
        command = [_tool("pg_restore"), *args, "--clean", "--if-exists", "--no-owner"]
        _run([*command, "--single-transaction", "--dbname", settings["NAME"], str(path)], env)
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)
        source.close()
        connection.close()
    else:
        raise BackupError(f"No restore method for {connection.vendor}")
    # Every cached page was made from the data just replaced: replace every version, so no page
    # of the damaged data is served again (nginx's copies expire within their second).
    bump_generation()
