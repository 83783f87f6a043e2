"""`nexus-kit erd` against a migrated database."""

from __future__ import annotations

import subprocess
import sys

from typer.testing import CliRunner

from nexus_kit.cli import app


def test_erd_writes_one_area(migrated_db, tmp_path):
    result = CliRunner().invoke(app, ["--db-url", migrated_db, "erd", "--out", str(tmp_path), "--area", "core",
                                      "--format", "svg,dbml,mermaid"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nexus-core.dbml", "nexus-core.mmd.md", "nexus-core.svg"]
    assert "ERD area core:" in result.stdout


def test_erd_focused_on_a_table(migrated_db, tmp_path):
    result = CliRunner().invoke(app, ["--db-url", migrated_db, "erd", "--out", str(tmp_path), "--table",
                                      "workspaces", "--distance", "1", "--format", "png"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "nexus-table-workspaces.png").read_bytes().startswith(b"\x89PNG")


def test_erd_unknown_area_is_one_line_naming_the_known_ones(migrated_db, tmp_path):
    run = subprocess.run([sys.executable, "-m", "nexus_kit", "--db-url", migrated_db, "erd", "--out", str(tmp_path),
                          "--area", "billing"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stderr.splitlines()[-1].startswith("error: no schema area 'billing'; known areas: core, echo_ai")
    assert not list(tmp_path.iterdir())
