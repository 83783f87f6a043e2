"""Fixtures named after the state of the database they hand out.

Every database fixture runs once per configured server: the embedded PostgreSQL 16
(always) and the server in NEXUS_TEST_DATABASE_URL (CI: the system PostgreSQL 15).
Each test gets its own database, cloned from a session template, or a rolled-back
transaction.

- ``server_url``     admin URL of a server (database ``postgres``)
- ``empty_db``       URL of a new, empty database
- ``compat_db``      URL of a new database with the Supabase compatibility layer
- ``migrated_db``    URL of a new database with every migration applied
- ``migrated_conn``  connection to a migrated database; the test's work is rolled back
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

from nexus_kit import embedded
from nexus_kit import migrations as mig
from nexus_kit.compat import install_compat

REPO = Path(__file__).resolve().parent.parent
TEST_HOME = REPO / ".nexus-test"


def _servers() -> list[str]:
    servers = ["pg16-embedded"]
    if os.environ.get("NEXUS_TEST_DATABASE_URL"):
        servers.append("pg-system")
    return servers


def with_dbname(url: str, dbname: str) -> str:
    """The same server URL pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{dbname}"))


def create_database(admin_url: str, prefix: str = "nk_test", template: str | None = None) -> str:
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        clause = f" template {template}" if template else ""
        conn.execute(f'create database "{name}"{clause}')
    return name


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')


@pytest.fixture(scope="session")
def embedded_url() -> Iterator[str]:
    """The tests' own embedded server; stopped at the end if this session started it."""
    TEST_HOME.mkdir(exist_ok=True)
    was_running = embedded.status(TEST_HOME).running
    yield embedded.start(TEST_HOME)
    if not was_running:
        embedded.stop(TEST_HOME)


@pytest.fixture(scope="session", params=_servers())
def server_url(request, embedded_url) -> str:
    if request.param == "pg16-embedded":
        return embedded_url
    return os.environ["NEXUS_TEST_DATABASE_URL"]


@pytest.fixture
def empty_db(server_url) -> Iterator[str]:
    name = create_database(server_url)
    yield with_dbname(server_url, name)
    drop_database(server_url, name)


def clone_database(server_url: str, template: str) -> Iterator[str]:
    """A new database copied from ``template``: yields its URL, drops it afterwards."""
    name = create_database(server_url, template=template)
    yield with_dbname(server_url, name)
    drop_database(server_url, name)


def _template(server_url: str, prepare) -> Iterator[str]:
    name = create_database(server_url, prefix="nk_tpl")
    with psycopg.connect(with_dbname(server_url, name), autocommit=True) as conn:
        prepare(conn)
    yield name
    drop_database(server_url, name)


@pytest.fixture(scope="session")
def compat_template(server_url) -> Iterator[str]:
    yield from _template(server_url, install_compat)


@pytest.fixture(scope="session")
def migrated_template(server_url) -> Iterator[str]:
    yield from _template(server_url, lambda conn: mig.apply(conn))


@pytest.fixture
def compat_db(server_url, compat_template) -> Iterator[str]:
    yield from clone_database(server_url, compat_template)


@pytest.fixture
def migrated_db(server_url, migrated_template) -> Iterator[str]:
    yield from clone_database(server_url, migrated_template)


@pytest.fixture(scope="session")
def migrated_shared_db(server_url, migrated_template) -> Iterator[str]:
    """One migrated database per server for tests that only ever roll back."""
    yield from clone_database(server_url, migrated_template)


@pytest.fixture(scope="session")
def seeded_template(server_url, migrated_template) -> Iterator[str]:
    """A migrated database seeded at scale 1, seed 42: the cast, sql/seed.sql, ~10,000 rows."""
    from nexus_kit.seed import seed

    name = create_database(server_url, prefix="nk_tpl", template=migrated_template)
    with psycopg.connect(with_dbname(server_url, name), autocommit=True) as conn:
        seed(conn, scale=1, seed=42, progress=False)
    yield name
    drop_database(server_url, name)


@pytest.fixture
def seeded_db(server_url, seeded_template) -> Iterator[str]:
    """URL of a new database cloned from ``seeded_template``."""
    yield from clone_database(server_url, seeded_template)


@pytest.fixture
def migrated_conn(migrated_shared_db) -> Iterator[psycopg.Connection]:
    conn = psycopg.connect(migrated_shared_db, autocommit=False)
    try:
        yield conn
    finally:
        conn.rollback()
        conn.close()
