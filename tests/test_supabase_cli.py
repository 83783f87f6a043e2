"""Round trip with the real Supabase CLI (npm supabase@2.117.0), run from the repository root.

`supabase/migrations` is a link to `sql/migrations`, so both tools read the same files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest

from nexus_kit import migrations as mig
from nexus_kit.compat import install_compat
from nexus_kit.db import supabase_cli_url

REPO = Path(__file__).resolve().parent.parent
SUPABASE = shutil.which("supabase") or shutil.which("supabase", path=str(REPO / "node_modules" / ".bin"))

pytestmark = pytest.mark.skipif(
    SUPABASE is None, reason="the Supabase CLI is not installed (npm i -E supabase@2.117.0; .ci/run installs it)")


def supabase(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([SUPABASE, *args], cwd=REPO, capture_output=True, text=True, timeout=180,
                            input="y\n")
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def listed(db_url: str) -> list[tuple[str, str]]:
    """(local, remote) version pairs from `supabase migration list`."""
    out = supabase("migration", "list", "--db-url", supabase_cli_url(db_url)).stdout
    rows = re.findall(r"^\s*`?(\d{14})?`?\s*\|\s*`?(\d{14})?`?\s*\|", out, re.MULTILINE)
    return [(local, remote) for local, remote in rows if local or remote]


def test_the_link_shares_the_migration_files():
    assert (REPO / "supabase" / "migrations").resolve() == (REPO / "sql" / "migrations").resolve()


def test_cli_sees_kit_migrations_applied_on_both_sides(migrated_db):
    versions = [m.version for m in mig.discover()]
    assert listed(migrated_db) == [(v, v) for v in versions]


def test_kit_reports_a_cli_pushed_database_up_to_date(compat_db):
    # `supabase db push` runs against a Supabase-shaped database: here, the compat layer
    supabase("db", "push", "--db-url", supabase_cli_url(compat_db), "--yes")
    with psycopg.connect(compat_db, autocommit=True) as conn:
        assert mig.status(conn).up_to_date
        assert mig.apply(conn).applied == []
        # and it now guards those files by checksum, like its own
        assert conn.execute("select count(*) from nexus_kit.migration_checksums").fetchone()[0] == 6


def test_cli_history_matches_kit_history(empty_db, compat_db):
    with psycopg.connect(empty_db, autocommit=True) as conn:
        install_compat(conn)
        mig.apply(conn)
        kit_rows = conn.execute(
            "select version, name, statements from supabase_migrations.schema_migrations order by version").fetchall()
    supabase("db", "push", "--db-url", supabase_cli_url(compat_db), "--yes")
    with psycopg.connect(compat_db) as conn:
        cli_rows = conn.execute(
            "select version, name, statements from supabase_migrations.schema_migrations order by version").fetchall()
    # the same rows, statements included: the CLI can `migration repair` or diff either history
    assert kit_rows == cli_rows


def test_cli_inspects_a_seeded_database(seeded_db):
    out = supabase("inspect", "db", "table-stats", "--db-url", supabase_cli_url(seeded_db)).stdout
    with psycopg.connect(seeded_db) as conn:
        tables = [t for (t,) in conn.execute(
            "select tablename from pg_tables where schemaname = 'public' order by 1")]
    assert tables and all(f"public.{t} " in out for t in tables)
