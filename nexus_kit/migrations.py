"""Ordered SQL migrations with a history the Supabase CLI recognises.

Reads (``discover``, ``applied``, ``pending``, ``status``) are kept apart from writes
(``apply``, ``reset``). Each file runs in its own transaction together with its history row
in ``supabase_migrations.schema_migrations`` (the Supabase CLI's table) and its checksum in
``nexus_kit.migration_checksums`` (the kit's own). A session advisory lock keeps two runs
from applying the same file twice.
"""

from __future__ import annotations

import hashlib
import html
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pglast
import psycopg
from psycopg import sql

from nexus_kit.compat import has_compat, install_compat, is_supabase
from nexus_kit.config import MIGRATIONS_DIR
from nexus_kit.errors import (
    ConfigError,
    EditedMigration,
    MigrationFailed,
    MigrationsFolderMissing,
    MissingMigrationFile,
)

FILE_PATTERN = re.compile(r"^(?P<version>\d+)_(?P<name>.+)\.sql$")
LOCK_KEY = 0x6E657875  # "nexu": the kit's advisory lock

HISTORY_DDL = """
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.schema_migrations (version text not null primary key);
alter table supabase_migrations.schema_migrations add column if not exists statements text[];
alter table supabase_migrations.schema_migrations add column if not exists name text;
create schema if not exists nexus_kit;
comment on schema nexus_kit is 'nexus-kit bookkeeping: checksums of applied migrations';
create table if not exists nexus_kit.migration_checksums (
  version text primary key,
  name text not null,
  sha256 text not null,
  applied_at timestamptz not null default now()
);
"""


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    path: Path

    @cached_property
    def sql(self) -> str:
        return self.path.read_text()

    @cached_property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()

    @property
    def filename(self) -> str:
        return self.path.name

    def statements(self) -> list[str]:
        """The file split into statements exactly as the Supabase CLI stores them.

        The CLI keeps the comments that precede a statement with it and drops the semicolon.
        """
        try:
            slices = list(pglast.split(self.sql, only_slices=True))
        except pglast.parser.ParseError:
            return [self.sql.strip()]
        statements, start = [], 0
        for part in slices:
            statements.append(self.sql[start:part.stop].strip())
            start = part.stop + 1  # past the semicolon
        return [s for s in statements if s]


@dataclass(frozen=True)
class AppliedMigration:
    version: str
    name: str | None
    checksum: str | None


@dataclass(frozen=True)
class StatusRow:
    version: str
    name: str
    local: bool
    applied: bool

    @property
    def state(self) -> str:
        if self.local and self.applied:
            return "applied"
        return "pending" if self.local else "missing file"


@dataclass(frozen=True)
class MigrationStatus:
    rows: tuple[StatusRow, ...]
    compat: str  # "supabase", "installed" or "absent"

    @property
    def pending(self) -> list[StatusRow]:
        return [r for r in self.rows if r.state == "pending"]

    @property
    def up_to_date(self) -> bool:
        return all(r.state == "applied" for r in self.rows)

    def __repr__(self) -> str:
        lines = [f"{'version':<16}{'name':<28}state"]
        lines += [f"{r.version:<16}{r.name:<28}{r.state}" for r in self.rows]
        summary = "up to date" if self.up_to_date else f"{len(self.pending)} pending"
        lines.append(f"{len(self.rows)} migrations, {summary} (Supabase layer: {self.compat})")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(
            f"<tr><td><code>{r.version}</code></td><td>{html.escape(r.name)}</td><td>{r.state}</td></tr>"
            for r in self.rows
        )
        return ("<table><thead><tr><th>version</th><th>name</th><th>state</th></tr></thead>"
                f"<tbody>{body}</tbody></table><p>{html.escape(repr(self).splitlines()[-1])}</p>")


@dataclass
class MigrationRun:
    applied: list[Migration] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    compat_installed: bool = False
    dry_run: bool = False

    def _repr_html_(self) -> str:
        lines = repr(self).splitlines()
        items = "".join(f"<li><code>{html.escape(line.strip())}</code></li>" for line in lines[1:])
        return f"<p>{html.escape(lines[0])}</p>" + (f"<ul>{items}</ul>" if items else "")

    def __repr__(self) -> str:
        verb = "would apply" if self.dry_run else "applied"
        if not self.applied:
            return "nothing to apply: the database is up to date"
        lines = [f"{verb} {len(self.applied)} migration(s):"]
        lines += [f"  {m.filename}  ({self.seconds.get(m.version, 0):.2f}s)" for m in self.applied]
        return "\n".join(lines)


# -- reads ------------------------------------------------------------------------------

def discover(folder: Path | None = None) -> list[Migration]:
    """The migration files in version order."""
    folder = Path(folder or MIGRATIONS_DIR)
    if not folder.is_dir():
        raise MigrationsFolderMissing(folder)
    found = []
    for path in folder.iterdir():
        match = FILE_PATTERN.match(path.name)
        if match and path.is_file():
            found.append(Migration(match["version"], match["name"], path))
    return sorted(found, key=lambda m: m.version)


def applied(conn: psycopg.Connection) -> list[AppliedMigration]:
    """What the history says is applied (empty when there is no history yet)."""
    exists = conn.execute("select to_regclass('supabase_migrations.schema_migrations')").fetchone()[0]
    if exists is None:
        return []
    has_checksums = conn.execute("select to_regclass('nexus_kit.migration_checksums')").fetchone()[0]
    join = ("left join nexus_kit.migration_checksums c using (version)" if has_checksums
            else "left join (select null::text as version, null::text as sha256) c using (version)")
    rows = conn.execute(
        f"select h.version, h.name, c.sha256 from supabase_migrations.schema_migrations h {join} "
        "order by h.version"
    ).fetchall()
    return [AppliedMigration(*row) for row in rows]


def pending(conn: psycopg.Connection, folder: Path | None = None) -> list[Migration]:
    """Files not yet applied, after checking the history against the files."""
    local = discover(folder)
    done = _verify(local, applied(conn))
    return [m for m in local if m.version not in done]


def status(conn: psycopg.Connection, folder: Path | None = None) -> MigrationStatus:
    local = {m.version: m for m in discover(folder)}
    history = {a.version: a for a in applied(conn)}
    rows = [
        StatusRow(v, (local[v].name if v in local else history[v].name or "?"), v in local, v in history)
        for v in sorted(set(local) | set(history))
    ]
    compat = "supabase" if is_supabase(conn) else ("installed" if has_compat(conn) else "absent")
    return MigrationStatus(tuple(rows), compat)


def _verify(local: list[Migration], history: list[AppliedMigration]) -> set[str]:
    """Refuse an edited applied file or a history version with no file; return applied versions."""
    by_version = {m.version: m for m in local}
    for entry in history:
        migration = by_version.get(entry.version)
        if migration is None:
            raise MissingMigrationFile(entry.version, entry.name)
        if entry.checksum is not None and entry.checksum != migration.checksum:
            raise EditedMigration(migration.filename, entry.version)
    return {entry.version for entry in history}


# -- writes -----------------------------------------------------------------------------

def apply(
    conn: psycopg.Connection,
    folder: Path | None = None,
    *,
    dry_run: bool = False,
    on_start: Callable[[Migration], None] | None = None,
) -> MigrationRun:
    """Apply every pending migration, each file in its own transaction with its history row.

    On plain PostgreSQL the Supabase compatibility layer is installed first. With
    ``dry_run`` everything runs inside one transaction that is rolled back, so the files are
    checked against the real database and nothing is kept.
    """
    if not conn.autocommit:
        raise ConfigError("migrations need an autocommit connection (they manage their own transactions): "
                          "open it with nexus_kit.connect() or psycopg.connect(url, autocommit=True)")
    run = MigrationRun(dry_run=dry_run)
    conn.execute("select pg_advisory_lock(%s)", (LOCK_KEY,))
    try:
        if dry_run:
            with conn.transaction(force_rollback=True):
                _apply_all(conn, folder, run, on_start)
        else:
            _apply_all(conn, folder, run, on_start)
    finally:
        conn.execute("select pg_advisory_unlock(%s)", (LOCK_KEY,))
    return run


def _apply_all(conn, folder, run: MigrationRun, on_start) -> None:
    run.compat_installed = install_compat(conn)
    with conn.transaction():
        conn.execute(HISTORY_DDL)
    todo = pending(conn, folder)
    _adopt_unchecksummed(conn, discover(folder))
    for migration in todo:
        if on_start:
            on_start(migration)
        started = time.perf_counter()
        _apply_one(conn, migration)
        run.seconds[migration.version] = time.perf_counter() - started
        run.applied.append(migration)


def _apply_one(conn: psycopg.Connection, migration: Migration) -> None:
    try:
        with conn.transaction():
            conn.execute(migration.sql)
            conn.execute(
                "insert into supabase_migrations.schema_migrations (version, statements, name) "
                "values (%s, %s, %s)",
                (migration.version, migration.statements(), migration.name),
            )
            _record_checksum(conn, migration)
    except psycopg.Error as exc:
        raise _failure(migration, exc) from exc


def _record_checksum(conn: psycopg.Connection, migration: Migration) -> None:
    conn.execute(
        "insert into nexus_kit.migration_checksums (version, name, sha256) values (%s, %s, %s) "
        "on conflict (version) do nothing",
        (migration.version, migration.name, migration.checksum),
    )


def _adopt_unchecksummed(conn: psycopg.Connection, local: list[Migration]) -> None:
    """Versions applied by another tool (e.g. `supabase db push`): remember their checksum now."""
    with conn.transaction():
        for entry in applied(conn):
            if entry.checksum is None:
                match = next((m for m in local if m.version == entry.version), None)
                if match:
                    _record_checksum(conn, match)


def _failure(migration: Migration, exc: psycopg.Error) -> MigrationFailed:
    diag = exc.diag
    line = column = None
    position = diag.statement_position
    if position:
        before = migration.sql[: int(position) - 1]
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
    detail = diag.message_primary or str(exc).splitlines()[0]
    return MigrationFailed(migration.filename, diag.sqlstate, detail, line, column)


def reset(conn: psycopg.Connection, folder: Path | None = None) -> MigrationRun:
    """Drop what the kit created (public objects, history, compat layer) and apply everything again.

    The caller decides whether the target may be reset (see ``nexus_kit.db.is_local``).
    """
    local = discover(folder)
    created = {"supabase_migrations", "nexus_kit"} | _schemas_created_by(local)
    supabase = is_supabase(conn)
    if not supabase and has_compat(conn):
        created |= {"auth", "extensions"}
    conn.execute("select pg_advisory_lock(%s)", (LOCK_KEY,))
    try:
        with conn.transaction():
            for schema in sorted(created - {"public"}):
                conn.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(schema)))
            conn.execute("drop schema if exists public cascade")
            conn.execute("create schema public authorization pg_database_owner")
            conn.execute("grant usage on schema public to public")
            conn.execute("comment on schema public is 'standard public schema'")
    finally:
        conn.execute("select pg_advisory_unlock(%s)", (LOCK_KEY,))
    return apply(conn, folder)


def _schemas_created_by(local: list[Migration]) -> set[str]:
    pattern = re.compile(r"create\s+schema\s+(?:if\s+not\s+exists\s+)?\"?(\w+)\"?", re.IGNORECASE)
    return {name.lower() for m in local for name in pattern.findall(m.sql)}
