"""Detect a Supabase project, and give plain PostgreSQL what Supabase has (sql/supabase_compat.sql)."""

from __future__ import annotations

import psycopg

from nexus_kit.config import SQL_DIR

COMPAT_SQL = SQL_DIR / "supabase_compat.sql"
COMPAT_MARKER = "nexus-kit compat"


def is_supabase(conn: psycopg.Connection) -> bool:
    """A real Supabase project: its auth is owned by supabase_auth_admin, not by our compat layer."""
    row = conn.execute(
        """
        select exists (select 1 from pg_catalog.pg_roles where rolname = 'supabase_auth_admin'),
               (select obj_description(oid, 'pg_namespace') from pg_catalog.pg_namespace
                 where nspname = 'auth'),
               exists (select 1 from pg_catalog.pg_namespace where nspname = 'auth')
        """
    ).fetchone()
    has_auth_admin, auth_comment, has_auth = row
    ours = bool(auth_comment and auth_comment.startswith(COMPAT_MARKER))
    return bool(has_auth_admin) or (has_auth and not ours)


def has_compat(conn: psycopg.Connection) -> bool:
    comment = conn.execute(
        "select obj_description(oid, 'pg_namespace') from pg_catalog.pg_namespace where nspname = 'auth'"
    ).fetchone()
    return bool(comment and comment[0] and comment[0].startswith(COMPAT_MARKER))


def install_compat(conn: psycopg.Connection) -> bool:
    """Apply the compatibility layer in one transaction, unless this is a Supabase project.

    Returns True when it was applied. Idempotent.
    """
    if is_supabase(conn):
        return False
    with conn.transaction():
        conn.execute(COMPAT_SQL.read_text())
    return True
