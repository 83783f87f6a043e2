"""seed(): deterministic, idempotent, resumable, within every constraint, and realistic enough for RLS."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import psycopg
import pytest

from nexus_kit.errors import SeedError
from nexus_kit.seed import seed
from nexus_kit.seed_files import SEED_SQL

# Rows a trigger writes (ids from gen_random_uuid(), times from now()): not the seeder's to fix.
# The seeder's own times lie in 2024-2025; anything from 2026 on is a now() default (seed.sql, triggers).
TRIGGER_COLUMNS = {"public.workspace_memberships": {"id", "created_at", "updated_at"},
                   "public.profiles": {"created_at", "updated_at"}}


@pytest.fixture(autouse=True)
def local_users(monkeypatch, tmp_path):
    monkeypatch.delenv("SUPABASE_URL", raising=False)
    monkeypatch.delenv("SUPABASE_SERVICE_ROLE_KEY", raising=False)
    monkeypatch.chdir(tmp_path)


def public_tables(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "select schemaname || '.' || tablename from pg_tables where schemaname = 'public' order by 1")]


def counts(conn) -> dict[str, int]:
    return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in public_tables(conn)}


def fingerprint(conn, table: str) -> str:
    """The table's rows, minus what the database itself wrote: trigger ids and ``now()`` times."""
    skip = TRIGGER_COLUMNS.get(table, set())
    rows = []
    for (doc,) in conn.execute(f"select to_jsonb(t) from {table} t"):
        kept = {k: v for k, v in doc.items() if k not in skip and not (isinstance(v, str) and v[:4] >= "2026"
                                                                       and v[4:5] == "-" and "T" in v)}
        rows.append(json.dumps(kept, sort_keys=True))
    return hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()


def test_same_seed_gives_identical_rows_ids_included(seeded_db, migrated_db):
    with psycopg.connect(seeded_db, autocommit=True) as a, psycopg.connect(migrated_db, autocommit=True) as b:
        seed(b, scale=1, seed=42, progress=False)
        assert counts(a) == counts(b)
        for table in public_tables(a):
            assert fingerprint(a, table) == fingerprint(b, table), table


def test_another_seed_gives_other_rows(migrated_db):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        report = seed(conn, scale=0.2, seed=7, progress=False)
        ids = conn.execute("select id from public.workspaces where slug <> 'nexus-demo' order by id limit 1")
        first = ids.fetchone()[0]
    assert report.total > 1000
    assert first is not None


def test_scale_one_is_about_ten_thousand_rows_and_rerun_adds_nothing(seeded_db):
    with psycopg.connect(seeded_db, autocommit=True) as conn:
        before = counts(conn)
        assert 8_000 <= sum(before.values()) <= 12_000
        assert all(n > 0 for t, n in before.items() if t != "public.ai_models"), before
        again = seed(conn, scale=1, seed=42, progress=False)
        assert again.total == 0 and again.total_generated > 8_000
        assert counts(conn) == before
        assert "0 rows added" in repr(again) and "<table>" in again._repr_html_()
        assert set(again.to_frame().columns) == {"table", "added", "generated"}


def test_interrupted_run_completes_with_no_duplicate_or_orphan(seeded_db, migrated_db):
    class Stop(Exception):
        pass

    def stop_after_ten(table: str, added: int, seen=[]) -> None:  # noqa: B006
        seen.append(table)
        if len(seen) == 10:
            raise Stop(table)

    with psycopg.connect(migrated_db, autocommit=True) as conn:
        with pytest.raises(Stop):
            seed(conn, scale=1, seed=42, progress=False, on_table=stop_after_ten)
        partial = counts(conn)
        seed(conn, scale=1, seed=42, progress=False)
        resumed = counts(conn)
    with psycopg.connect(seeded_db, autocommit=True) as reference:
        assert resumed == counts(reference)
    assert sum(partial.values()) < sum(resumed.values())


def test_rows_are_realistic_for_rls_probing(seeded_db):
    with psycopg.connect(seeded_db, autocommit=True) as conn:
        one = lambda q: conn.execute(q).fetchone()[0]  # noqa: E731
        for table in public_tables(conn):
            cols = {r[0] for r in conn.execute(
                "select column_name from information_schema.columns where table_schema = 'public' "
                "and table_name = %s", (table.split(".")[1],))}
            if {"created_at", "updated_at"} <= cols:
                assert one(f"select count(*) from {table} where updated_at < created_at") == 0, table
            if {"created_at", "published_at"} <= cols:
                assert one(f"select count(*) from {table} where published_at < created_at") == 0, table
        roles = {r[0] for r in conn.execute("select distinct role from public.workspace_memberships")}
        assert roles == {"owner", "admin", "editor", "viewer"}
        assert {r[0] for r in conn.execute("select distinct visibility from public.workflow_templates")} >= \
            {"public", "private"}
        assert {r[0] for r in conn.execute("select distinct is_public from public.marketplace_collections")} == \
            {True, False}
        statuses = {r[0] for r in conn.execute("select distinct status from public.content_items")}
        assert {"draft", "published"} <= statuses
        assert one("select count(*) from public.content_items where status = 'published' and published_at is null") == 0
        assert one("select count(*) from public.marketplace_reviews") > 0
        assert one("""select count(*) from public.marketplace_reviews r where not exists (
                        select 1 from public.marketplace_purchases p where p.item_id = r.item_id
                        and p.buyer_id = r.reviewer_id and p.status = 'completed')""") == 0, "reviews only by buyers"
        assert one("select count(*) from public.marketplace_purchases where buyer_id = seller_id") == 0
        owner_rows = one("""select count(*) from public.metrics m join auth.users u on u.id = m.user_id
                            where u.email = 'olivia.owner@nexus.test'""")
        assert owner_rows > 0, "the owner persona has data"
        stranger = one("""select count(*) from public.workspace_memberships m join auth.users u on u.id = m.user_id
                          where u.email = 'sam.stranger@nexus.test'""")
        assert stranger == 0, "the stranger is related to nothing"


def test_seed_sql_is_recorded_like_the_supabase_cli(seeded_db):
    with psycopg.connect(seeded_db, autocommit=True) as conn:
        rows = conn.execute("select path, hash from supabase_migrations.seed_files").fetchall()
    assert rows == [("sql/seed.sql", hashlib.sha256(SEED_SQL.read_bytes()).hexdigest())]


def test_out_file_applies_to_an_empty_migrated_database(seeded_db, migrated_db, server_url, tmp_path):
    from tests.conftest import create_database, drop_database, with_dbname

    out = tmp_path / "seed_data.sql"
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        report = seed(conn, scale=1, seed=42, out=out, progress=False)
        assert conn.execute("select count(*) from auth.users").fetchone()[0] == 0, "--out writes nothing to the db"
        assert sum(counts(conn).values()) == 0
    assert report.total_generated > 8_000 and out.stat().st_size > 100_000
    from nexus_kit.migrations import apply

    name = create_database(server_url)
    try:
        with psycopg.connect(with_dbname(server_url, name), autocommit=True) as fresh:
            apply(fresh)
            fresh.execute(out.read_text())
            fresh.execute(out.read_text())  # idempotent: a second run adds nothing
            got = counts(fresh)
        with psycopg.connect(seeded_db, autocommit=True) as reference:
            assert got == counts(reference)
    finally:
        drop_database(server_url, name)


@pytest.mark.parametrize("scale", [0, -1])
def test_scale_zero_or_less_is_refused(migrated_db, scale):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        with pytest.raises(SeedError, match="scale must be greater than 0"):
            seed(conn, scale=scale, progress=False)
        assert conn.execute("select count(*) from auth.users").fetchone()[0] == 0


def test_a_constraint_it_cannot_satisfy_is_named(migrated_db):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        conn.execute("create table public.zz_codes (id uuid primary key, code text not null "
                     "constraint zz_codes_code_check check (code ~ '^Z{5}[0-9]$'))")
        with pytest.raises(SeedError, match=r"zz_codes_code_check on public\.zz_codes\.code"):
            seed(conn, scale=0.1, progress=False)


def test_a_type_it_cannot_generate_is_named(migrated_db):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        conn.execute("create table public.zz_places (id uuid primary key, spot point not null)")
        with pytest.raises(SeedError, match=r"public\.zz_places\.spot of type point"):
            seed(conn, scale=0.1, progress=False)


def test_cli_refuses_a_bad_scale_in_one_line(migrated_db):
    done = subprocess.run([sys.executable, "-m", "nexus_kit", "--db-url", migrated_db, "seed", "--scale", "0"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("error: scale must be greater than 0")
