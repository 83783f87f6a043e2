"""Apply ``sql/seed.sql`` and record it as the Supabase CLI (2.117) records seeds.

``supabase db push --include-seed`` writes ``supabase_migrations.seed_files (path text primary key,
hash text not null)`` with the path relative to the project root and the SHA-256 hex digest of the
file's bytes; a seed whose hash is unchanged is skipped.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import psycopg

from nexus_kit.config import REPO_DIR, SQL_DIR

SEED_SQL = SQL_DIR / "seed.sql"

SEED_FILES_DDL = """
create schema if not exists supabase_migrations;
create table if not exists supabase_migrations.seed_files (path text not null primary key, hash text not null);
"""


def seed_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def relative_path(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO_DIR).as_posix()
    except ValueError:
        return path.name


def apply_seed_file(conn: psycopg.Connection, path: Path | None = None) -> str:
    """Run the seed file unless the same content is recorded; say what happened in a few words."""
    path = Path(path or SEED_SQL)
    if not path.is_file():
        return f"{relative_path(path)} not found: reference data skipped (the schema engineer's file)"
    digest, name = seed_hash(path), relative_path(path)
    with conn.transaction():
        conn.execute(SEED_FILES_DDL)
        row = conn.execute("select hash from supabase_migrations.seed_files where path = %s", (name,)).fetchone()
        if row and row[0] == digest:
            return f"{name} unchanged: skipped"
        conn.execute(path.read_text())
        conn.execute(
            "insert into supabase_migrations.seed_files (path, hash) values (%s, %s) "
            "on conflict (path) do update set hash = excluded.hash",
            (name, digest),
        )
    return f"{name} applied"
