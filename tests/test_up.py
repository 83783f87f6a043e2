"""`nexus-kit up`, the main job, end to end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

STEPS = ("migrate", "seed", "erd", "lint", "probe")


def run_up(cwd: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nexus_kit", *args, "up"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def clean_env(home: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SUPABASE_URL",
                                                              "SUPABASE_SERVICE_ROLE_KEY")}
    env["NEXUS_HOME"] = str(home)
    return env


def assert_report(result: subprocess.CompletedProcess, home: Path) -> None:
    assert result.returncode == 0, result.stdout + result.stderr
    for step in STEPS:
        assert any(line.split()[:2] == ["ok", step] for line in result.stdout.splitlines()), (step, result.stdout)
    report = home / "report"
    assert f"report: {report / 'index.html'}" in result.stdout
    page = (report / "index.html").read_text()
    assert 'src="erd/nexus.svg"' in page and 'src="access-matrix.png"' in page
    assert (report / "erd" / "nexus.svg").exists() and (report / "access-matrix.png").exists()
    assert "## probe: ok" in (report / "report.md").read_text()


def test_up_with_no_configuration_uses_the_embedded_server(tmp_path):
    home = tmp_path / ".nexus"
    env = clean_env(home)
    try:
        result = run_up(tmp_path, env)
        assert "(embedded)" in result.stderr
        assert_report(result, home)
        # a second run is a no-op for the data: nothing to migrate, no rows added
        again = run_up(tmp_path, env)
        assert "nothing to apply" in again.stdout and " 0 rows added" in again.stdout
    finally:
        subprocess.run([sys.executable, "-m", "nexus_kit", "db", "stop"], env=env, cwd=tmp_path,
                       capture_output=True, timeout=120)


def test_up_on_a_given_database_never_starts_the_embedded_one(empty_db, tmp_path):
    home = tmp_path / ".nexus"
    result = run_up(tmp_path, clean_env(home), "--db-url", empty_db)
    assert_report(result, home)
    assert not (home / "pgdata").exists()
