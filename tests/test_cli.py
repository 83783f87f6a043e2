"""The command line: thin commands, one-line errors, exit codes, and every command documented."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from nexus_kit.cli import app

REPO = Path(__file__).resolve().parent.parent


def nexus(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nexus_kit", *args], capture_output=True, text=True,
                          cwd=cwd or REPO, env=env, timeout=300)


def test_bad_url_is_one_line_without_traceback():
    result = nexus("--db-url", "postgresql://postgres:hunter2@127.0.0.1:1/postgres", "status")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "127.0.0.1:1" in errors[0]
    assert "Traceback" not in result.stderr and "hunter2" not in result.stderr + result.stdout


def test_traceback_only_when_asked():
    result = nexus("--traceback", "--db-url", "postgresql://postgres@127.0.0.1:1/postgres", "status")
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_migrate_then_status_then_nothing_to_do(empty_db):
    first = nexus("--db-url", empty_db, "migrate")
    assert first.returncode == 0, first.stderr
    assert "compatibility layer: installed" in first.stdout
    assert "applied 6 migration(s)" in first.stdout
    status = nexus("--db-url", empty_db, "status")
    assert status.returncode == 0 and "up to date" in status.stdout
    again = nexus("--db-url", empty_db, "migrate")
    assert "nothing to apply" in again.stdout


def test_failing_migration_names_file_sqlstate_and_position(compat_db, tmp_path):
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "20240101000000_bad.sql").write_text("create table public.t (id int);\nselect nope from public.t;\n")
    result = nexus("--db-url", compat_db, "migrate", "--migrations", str(folder))
    assert result.returncode == 1
    assert re.search(r"error: migration 20240101000000_bad\.sql:2:8 failed \[42703\]", result.stderr)
    assert "Traceback" not in result.stderr


def test_missing_migrations_folder(compat_db, tmp_path):
    result = nexus("--db-url", compat_db, "status", "--migrations", str(tmp_path / "absent"))
    assert result.returncode == 1 and "error: no migrations folder" in result.stderr


def test_reset_is_refused_for_a_remote_database_without_force():
    result = nexus("--db-url", "postgresql://postgres@db.nexus.invalid:5432/postgres", "reset")
    assert result.returncode == 1
    assert "refusing to reset" in result.stderr and "--force" in result.stderr


def test_reset_a_local_database(migrated_db):
    result = nexus("--db-url", migrated_db, "reset")
    assert result.returncode == 0, result.stderr
    assert "applied 6 migration(s)" in result.stdout


def _command_names(group: typer.Typer, prefix: str = "") -> list[str]:
    names = [prefix + (c.name or c.callback.__name__).replace("_", "-") for c in group.registered_commands]
    for sub in group.registered_groups:
        names += _command_names(sub.typer_instance, f"{prefix}{sub.name} ")
    return names


@pytest.mark.parametrize("command", _command_names(app))
def test_every_command_is_documented_in_the_readme(command):
    readme = (REPO / "README.md").read_text()
    assert f"nexus-kit {command}" in readme, f"README.md does not document `nexus-kit {command}`"
