"""The demo workspace (slug ``nexus-demo``) and the cast's memberships in it.

Same id and slug as ``sql/seed.sql`` uses, so whichever runs first, the other adds nothing.
"""

from __future__ import annotations

import uuid

import psycopg

from nexus_kit.personas import CAST, DEMO_WORKSPACE_SLUG

DEMO_WORKSPACE_ID = uuid.UUID("0d0e0000-0000-4000-8000-000000000001")


def _has_tables(conn: psycopg.Connection) -> bool:
    row = conn.execute("select to_regclass('public.workspaces'), to_regclass('public.workspace_memberships')")
    return all(row.fetchone())


def link_demo_workspace(conn: psycopg.Connection, ids_by_email: dict[str, uuid.UUID]) -> int:
    """Create the demo workspace if missing and give each persona its workspace role; return memberships."""
    members = [(ids_by_email[p.email.lower()], p.workspace_role) for p in CAST
               if p.workspace_role and p.email.lower() in ids_by_email]
    if not members or not _has_tables(conn):
        return 0
    owner = next((uid for uid, role in members if role == "owner"), members[0][0])
    with conn.transaction():
        conn.execute(
            "insert into public.workspaces (id, owner_id, name, slug, description) values (%s, %s, %s, %s, %s) "
            "on conflict do nothing",
            (DEMO_WORKSPACE_ID, owner, "Nexus Demo", DEMO_WORKSPACE_SLUG,
             "Demo workspace shared by the demo cast: one member per workspace role."),
        )
        workspace_id = conn.execute("select id from public.workspaces where slug = %s",
                                    (DEMO_WORKSPACE_SLUG,)).fetchone()[0]
        conn.execute(
            "insert into public.workspace_memberships (workspace_id, user_id, role, invited_by) "
            "select %s, m.user_id, m.role, %s from unnest(%s::uuid[], %s::text[]) as m(user_id, role) "
            "on conflict (workspace_id, user_id) do nothing",
            (workspace_id, owner, [m[0] for m in members], [m[1] for m in members]),
        )
        return conn.execute(
            "select count(*) from public.workspace_memberships where workspace_id = %s and user_id = any(%s)",
            (workspace_id, [m[0] for m in members]),
        ).fetchone()[0]
