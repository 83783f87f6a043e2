"""Helpers for the access tests: the cast in auth.users, and requests as a persona.

Setup data is written as the connection's own (superuser) role — only the assertions run
as anon/authenticated through ``nexus_kit.impersonate``, exactly as PostgREST would. All of
it happens inside the test's transaction, which the ``migrated_conn`` fixture rolls back.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import psycopg
import pytest

from nexus_kit.impersonate import as_anon, as_user
from nexus_kit.personas import CAST, DEMO_PASSWORD
from nexus_kit.users import create_locally, user_specs

SEED = Path(__file__).resolve().parent.parent / "sql" / "seed.sql"


def setup_cast(conn: psycopg.Connection) -> dict[str, uuid.UUID]:
    """Create the demo cast as the Admin API would, run the seed (demo workspace), return key -> id."""
    conn.execute("select 1")  # open the test transaction: create_locally then nests in a savepoint
    rows = {r.email: r.id for r in create_locally(conn, user_specs(), DEMO_PASSWORD)}
    conn.execute(SEED.read_text())
    return {p.key: rows[p.email.lower()] for p in CAST}


def _request(conn, who: str):
    return as_anon(conn) if who == "anon" else as_user(conn, who)


def rows(conn: psycopg.Connection, who: str, sql: str, params=None) -> list[tuple]:
    """Run a query as a persona key (or 'anon') and return its rows; the request is rolled back."""
    with _request(conn, who) as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def ids(conn: psycopg.Connection, who: str, sql: str, params=None) -> set:
    return {r[0] for r in rows(conn, who, sql, params)}


def count(conn: psycopg.Connection, who: str, sql: str, params=None) -> int:
    """Rows affected by a write (or returned by a read) as a persona; the request is rolled back."""
    with _request(conn, who) as cur:
        cur.execute(sql, params)
        return cur.rowcount


def denied(conn: psycopg.Connection, who: str, sql: str, params=None) -> psycopg.Error:
    """Assert the statement fails with insufficient_privilege (RLS check, column privilege, guard)."""
    with pytest.raises(psycopg.errors.InsufficientPrivilege) as info, _request(conn, who) as cur:
        cur.execute(sql, params)
    return info.value


def demo_workspace(conn: psycopg.Connection) -> uuid.UUID:
    return conn.execute("select id from public.workspaces where slug = 'nexus-demo'").fetchone()[0]
