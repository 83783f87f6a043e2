"""Resolving the database, and the embedded PostgreSQL's life cycle."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import psycopg
import pytest

from nexus_kit import db, embedded
from nexus_kit.errors import AuthenticationFailed, DatabaseUnreachable, EmbeddedServerError


@pytest.fixture
def clean_env(tmp_path, monkeypatch) -> Path:
    """No DATABASE_URL anywhere; NEXUS_HOME and the working directory in a fresh folder."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("NEXUS_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_explicit_url_wins_and_never_starts_the_embedded_server(clean_env, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://from-env@127.0.0.1/x")
    (clean_env / ".env").write_text("DATABASE_URL=postgresql://from-dotenv@127.0.0.1/x\n")
    target = db.resolve("postgresql://explicit@127.0.0.1/x")
    assert (target.source, target.url) == ("--db-url", "postgresql://explicit@127.0.0.1/x")
    assert not (clean_env / "home" / "pgdata").exists()


def test_environment_wins_over_dotenv(clean_env, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://from-env@127.0.0.1/x")
    (clean_env / ".env").write_text("DATABASE_URL=postgresql://from-dotenv@127.0.0.1/x\n")
    assert db.resolve().url == "postgresql://from-env@127.0.0.1/x"


def test_dotenv_is_read_when_the_environment_is_silent(clean_env):
    (clean_env / ".env").write_text("DATABASE_URL=postgresql://from-dotenv@127.0.0.1/x\n")
    target = db.resolve()
    assert (target.source, target.url) == ("DATABASE_URL", "postgresql://from-dotenv@127.0.0.1/x")
    assert not (clean_env / "home" / "pgdata").exists()


def test_embedded_server_when_nothing_is_configured(clean_env):
    try:
        target = db.resolve()
        assert target.is_embedded
        with db.connect() as conn:
            assert conn.execute("show server_version_num").fetchone()[0].startswith("16")
        assert embedded.status().running
        # it persists between runs: a second resolve finds the same server
        assert db.resolve().url == target.url
    finally:
        embedded.stop()
    assert not embedded.status().running


def test_embedded_server_recovers_from_a_crash(clean_env):
    url = embedded.start()
    try:
        pid = embedded.status().pid
        os.kill(pid, signal.SIGKILL)
        for _ in range(50):
            if not embedded.status().running:
                break
            time.sleep(0.1)
        assert (Path(os.environ["NEXUS_HOME"]) / "pgdata" / "postmaster.pid").exists()  # stale
        url = embedded.start()
        with psycopg.connect(url) as conn:
            assert conn.execute("select 1").fetchone()[0] == 1
    finally:
        embedded.stop()


def test_embedded_server_that_cannot_start_is_a_clear_error(clean_env):
    pgdata = clean_env / "home" / "pgdata"
    pgdata.mkdir(parents=True)
    (pgdata / "PG_VERSION").write_text("16\n")  # looks initialised, is not
    with pytest.raises(EmbeddedServerError) as caught:
        embedded.start()
    assert str(pgdata) in str(caught.value)


def test_unreachable_server_names_host_and_port_not_password():
    with pytest.raises(DatabaseUnreachable) as caught:
        db.connect("postgresql://postgres:s3cret-pw@127.0.0.1:1/postgres")
    message = str(caught.value)
    assert "127.0.0.1:1" in message and "s3cret-pw" not in message


def test_wrong_role_is_an_authentication_error():
    with pytest.raises(AuthenticationFailed) as caught:
        db.connect("postgresql://no_such_role_here:pw@127.0.0.1:5432/postgres")
    assert caught.value.user == "no_such_role_here" and "pw@" not in str(caught.value)


def test_redact_and_supabase_cli_url():
    assert db.redact("postgresql://u:pw@h:5432/d") == "postgresql://u:***@h:5432/d"
    assert db.supabase_cli_url("postgresql://postgres:@/postgres?host=/tmp/x/pgdata") == (
        "postgresql://postgres@localhost/postgres?host=/tmp/x/pgdata&sslmode=disable")
    assert db.supabase_cli_url("postgresql://u@db.example.com:5432/d") == "postgresql://u@db.example.com:5432/d"
    assert db.is_local("postgresql://u@127.0.0.1/d") and not db.is_local("postgresql://u@db.example.com/d")
