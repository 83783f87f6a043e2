"""The pgTAP export: the committed supabase/tests are current, and they pass under pg_prove on PostgreSQL 15."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import psycopg
import pytest
from conftest import create_database, drop_database, with_dbname

from nexus_kit import migrations as mig
from nexus_kit.pgtap import write_pgtap

REPO = Path(__file__).resolve().parent.parent
COMMITTED = REPO / "supabase" / "tests"
SYSTEM_PG = os.environ.get("NEXUS_TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def test_committed_pgtap_files_are_up_to_date(migrated_conn, tmp_path):
    written = write_pgtap(migrated_conn, tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in COMMITTED.glob("*.test.sql")), \
        "regenerate: python -m nexus_kit.pgtap supabase/tests"
    for path in written:
        assert path.read_text() == (COMMITTED / path.name).read_text(), \
            f"{path.name} is stale: python -m nexus_kit.pgtap supabase/tests"


@pytest.fixture(scope="module")
def pg15_seeded() -> str:
    """A seeded database on the system PostgreSQL 15, where pgTAP is installed."""
    from nexus_kit.seed import seed

    name = create_database(SYSTEM_PG, prefix="nk_pgtap")
    url = with_dbname(SYSTEM_PG, name)
    with psycopg.connect(url, autocommit=True) as conn:
        mig.apply(conn)
        seed(conn, scale=1, seed=42, progress=False)
    yield url
    drop_database(SYSTEM_PG, name)


def test_pgtap_files_pass_under_pg_prove_on_pg15(pg15_seeded):
    assert shutil.which("pg_prove"), "pg_prove is missing: apt-get install libtap-parser-sourcehandler-pgtap-perl"
    with psycopg.connect(pg15_seeded) as conn:
        assert conn.info.server_version // 10000 == 15
    parts = psycopg.conninfo.conninfo_to_dict(pg15_seeded)
    files = sorted(str(p) for p in COMMITTED.glob("*.test.sql"))
    result = subprocess.run(
        ["pg_prove", "-h", parts.get("host", "127.0.0.1"), "-p", str(parts.get("port", 5432)),
         "-U", parts.get("user", "postgres"), "-d", parts["dbname"], *files],
        capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "All tests successful" in result.stdout
