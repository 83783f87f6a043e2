"""The migration runner: ordering, history, atomicity, checksums, locking, reset."""

from __future__ import annotations

import threading
from pathlib import Path

import psycopg
import pytest

from nexus_kit import migrations as mig
from nexus_kit.errors import EditedMigration, MigrationFailed, MigrationsFolderMissing, MissingMigrationFile


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, sql in files.items():
        (folder / name).write_text(sql)
    return folder


@pytest.fixture
def three_files(tmp_path) -> Path:
    # written out of order on purpose: the runner must sort by version
    return write(tmp_path / "migrations", {
        "20240301000000_add_notes.sql": "create table public.notes (id uuid primary key, body text);\n",
        "20240101000000_create_things.sql": "create table public.things (id uuid primary key);\n"
                                            "comment on table public.things is 'things';\n",
        "20240201000000_add_tags.sql": "create table public.tags (id int primary key);\n"
                                       "insert into public.tags values (1), (2);\n",
    })


def history(conn) -> list[tuple]:
    return conn.execute(
        "select version, name, statements from supabase_migrations.schema_migrations order by version"
    ).fetchall()


def table_exists(conn, name: str) -> bool:
    return conn.execute("select to_regclass(%s) is not null", (name,)).fetchone()[0]


def test_applies_in_version_order_and_records_history(compat_db, three_files):
    with psycopg.connect(compat_db, autocommit=True) as conn:
        run = mig.apply(conn, three_files)
        assert [m.version for m in run.applied] == ["20240101000000", "20240201000000", "20240301000000"]
        rows = history(conn)
        assert [(v, n) for v, n, _ in rows] == [
            ("20240101000000", "create_things"), ("20240201000000", "add_tags"), ("20240301000000", "add_notes")]
        # statements split as the Supabase CLI stores them: one element per statement, no semicolon
        assert rows[1][2] == ["create table public.tags (id int primary key)",
                              "insert into public.tags values (1), (2)"]
        checksums = dict(conn.execute("select version, sha256 from nexus_kit.migration_checksums").fetchall())
        assert checksums["20240101000000"] == mig.discover(three_files)[0].checksum


def test_second_run_applies_nothing(compat_db, three_files):
    with psycopg.connect(compat_db, autocommit=True) as conn:
        mig.apply(conn, three_files)
        again = mig.apply(conn, three_files)
        assert again.applied == []
        assert "up to date" in repr(again)
        assert mig.status(conn, three_files).up_to_date
        assert conn.execute("select count(*) from public.tags").fetchone()[0] == 2


def test_failing_migration_leaves_nothing_behind(compat_db, tmp_path):
    folder = write(tmp_path / "m", {
        "20240101000000_ok.sql": "create table public.ok_table (id int primary key);\n",
        "20240201000000_broken.sql": "create table public.half_done (id int primary key);\n"
                                     "insert into public.half_done values (1);\n"
                                     "select * from public.no_such_table;\n",
    })
    with psycopg.connect(compat_db, autocommit=True) as conn:
        with pytest.raises(MigrationFailed) as caught:
            mig.apply(conn, folder)
        err = caught.value
        assert err.file == "20240201000000_broken.sql"
        assert err.sqlstate == "42P01"
        assert (err.line, err.column) == (3, 15)
        assert "20240201000000_broken.sql:3:15" in str(err)
        assert table_exists(conn, "public.ok_table")
        assert not table_exists(conn, "public.half_done")
        assert [v for v, _, _ in history(conn)] == ["20240101000000"]


def test_edited_applied_migration_is_refused_by_name(compat_db, three_files):
    with psycopg.connect(compat_db, autocommit=True) as conn:
        mig.apply(conn, three_files)
        edited = three_files / "20240201000000_add_tags.sql"
        edited.write_text(edited.read_text() + "insert into public.tags values (3);\n")
        with pytest.raises(EditedMigration) as caught:
            mig.apply(conn, three_files)
        assert caught.value.file == "20240201000000_add_tags.sql"
        assert "20240201000000_add_tags.sql" in str(caught.value)


def test_history_version_without_file_is_refused(compat_db, three_files):
    with psycopg.connect(compat_db, autocommit=True) as conn:
        mig.apply(conn, three_files)
        (three_files / "20240301000000_add_notes.sql").unlink()
        with pytest.raises(MissingMigrationFile) as caught:
            mig.pending(conn, three_files)
        assert caught.value.version == "20240301000000"


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(MigrationsFolderMissing) as caught:
        mig.discover(tmp_path / "nowhere")
    assert "nowhere" in str(caught.value)


def test_dry_run_checks_everything_and_keeps_nothing(compat_db, three_files):
    with psycopg.connect(compat_db, autocommit=True) as conn:
        run = mig.apply(conn, three_files, dry_run=True)
        assert len(run.applied) == 3 and "would apply" in repr(run)
        assert not table_exists(conn, "public.things")
        assert mig.status(conn, three_files).pending


def test_two_concurrent_runs_apply_each_file_once(compat_db, tmp_path):
    folder = write(tmp_path / "slow", {
        "20240101000000_slow.sql": "create table public.slow (id int primary key);\nselect pg_sleep(1);\n",
        "20240201000000_after.sql": "create table public.after_slow (id int primary key);\n",
    })
    results, errors = [], []

    def run() -> None:
        try:
            with psycopg.connect(compat_db, autocommit=True) as conn:
                results.append(mig.apply(conn, folder))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(len(r.applied) for r in results) == [0, 2]
    with psycopg.connect(compat_db) as conn:
        assert len(history(conn)) == 2


def test_reset_drops_and_reapplies(compat_db, three_files):
    with psycopg.connect(compat_db, autocommit=True) as conn:
        mig.apply(conn, three_files)
        conn.execute("insert into public.tags values (99)")
        conn.execute("create table public.stray (id int)")
        run = mig.reset(conn, three_files)
        assert len(run.applied) == 3
        assert not table_exists(conn, "public.stray")
        assert conn.execute("select count(*) from public.tags").fetchone()[0] == 2
        assert conn.execute("select auth.uid() is null").fetchone()[0]  # compat layer is back


def test_the_nexus_migrations_apply_and_are_up_to_date(migrated_db):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        report = mig.status(conn)
        assert report.up_to_date
        assert [r.name for r in report.rows] == [
            "create_initial_schema", "add_echo_ai_schema", "add_marketplace_schema",
            "add_analytics_schema", "add_social_media_schema", "add_support_schema"]
        assert mig.apply(conn).applied == []


def test_a_connection_in_a_transaction_is_refused_with_a_clear_error(compat_db, three_files):
    from nexus_kit.errors import ConfigError

    with psycopg.connect(compat_db) as conn, pytest.raises(ConfigError, match="autocommit"):
        mig.apply(conn, three_files)
