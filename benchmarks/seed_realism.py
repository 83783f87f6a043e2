"""How many seeded rows could the API have written? Per table, each row re-inserted as its writer.

For every public table with an INSERT policy, every row is re-inserted (in a rolled-back savepoint,
exactly as the RLS probe does: the original deleted or renamed first) as the user who would have
written it: the row's owner column, the dashboard's owner for widgets, the collection's owner for
collection items, ``invited_by`` for memberships (owner rows come from the workspace trigger) and the
workspace's first editor+ member for synced social rows. Columns only a moderator or admin sets
later (``is_hidden``, ``moderation_note``, ``is_official``, ``accepted_answer_id``) are reset to what
the writer wrote. Also counts rows owned by staff personas (who hold no personal or workspace data).

    python benchmarks/seed_realism.py --db-url postgresql://postgres@127.0.0.1:5432/mydb
"""

from __future__ import annotations

import argparse
import json
import time

from nexus_kit.db import connect
from nexus_kit.impersonate import claims_for
from nexus_kit.personas import BY_KEY, PLATFORM_ROLES
from nexus_kit.probe_cases import Actor, insert_row
from nexus_kit.probe_model import read_tables

EDITORS = "('owner', 'admin', 'editor')"
WRITER = {  # tables whose writer is not the owner column
    "dashboard_widgets": "(select d.user_id from public.analytics_dashboards d where d.id = t.dashboard_id)",
    "marketplace_collection_items": "(select c.owner_id from public.marketplace_collections c "
                                    "where c.id = t.collection_id)",
    "workspace_memberships": "case when t.role = 'owner' and t.user_id = (select w.owner_id from public.workspaces w "
                             "where w.id = t.workspace_id) then null else t.invited_by end",
    "social_post_metrics": "(select min(m.user_id::text)::uuid from public.workspace_memberships m "
                           f"where m.workspace_id = t.workspace_id and m.role in {EDITORS})",
    "social_mentions": "(select min(m.user_id::text)::uuid from public.workspace_memberships m "
                       f"where m.workspace_id = t.workspace_id and m.role in {EDITORS})",
}
TRIGGER_WRITTEN = {"workspace_memberships": "t.role = 'owner' and t.user_id = (select w.owner_id from "
                                            "public.workspaces w where w.id = t.workspace_id)"}
LATER = {"is_hidden": False, "moderation_note": None, "is_official": False, "accepted_answer_id": None}


def insertable_tables(conn) -> set[str]:
    return {r[0] for r in conn.execute("select tablename from pg_policies where schemaname = 'public' "
                                       "and cmd in ('INSERT', 'ALL') and 'authenticated' = any(roles)")}


def staff_writers(conn) -> dict[str, str]:
    """Reference tables are written by staff: AI models by an admin, KB categories by support."""
    return {"ai_models": f"'{claims_for(conn, 'admin')['sub']}'::uuid",
            "kb_categories": f"'{claims_for(conn, 'support_agent')['sub']}'::uuid"}


def measure(conn) -> dict[str, tuple[int, int, int, int]]:
    """table -> (rows the API could have written, rows checked, rows without a writer, rows a trigger wrote).

    A row without a writer (a null owner column: platform templates and sql/seed.sql's articles, a
    deleted author) is counted apart: nobody wrote it through the API, and nobody could have."""
    tables = read_tables(conn)
    writers = {**WRITER, **staff_writers(conn)}
    actors: dict[str, Actor] = {}
    out = {}
    conn.execute("begin")
    try:
        for name in sorted(insertable_tables(conn) & set(tables)):
            info = tables[name]
            writer = writers.get(name, f"t.{info.owner_col}" if info.owner_col else "null")
            by_trigger = TRIGGER_WRITTEN.get(name, "false")
            ok = checked = unowned = triggered = 0
            rows = conn.execute(f"select {writer}::text, ({by_trigger}), to_jsonb(t) from {info.qualified} t "
                                f"order by {info.pk_sql}").fetchall()
            for uid, trigger_row, doc in rows:
                if trigger_row:
                    triggered += 1
                    continue
                if uid is None:
                    unowned += 1
                    continue
                checked += 1
                if uid not in actors:
                    claims = claims_for(conn, uid)
                    actors[uid] = Actor(uid, claims["role"], json.dumps(claims), uid)
                row = {k: LATER.get(k, v) for k, v in doc.items()}
                ok += insert_row(conn, actors[uid], info, row).ok
            out[name] = (ok, checked, unowned, triggered)
    finally:
        conn.execute("rollback")
    return out


def staff_rows(conn) -> dict[str, int]:
    """Rows in public tables whose owner column (or membership) names a staff persona."""
    staff = [str(claims_for(conn, key)["sub"]) for key in BY_KEY if BY_KEY[key].platform_role in PLATFORM_ROLES]
    found = {}
    for info in read_tables(conn).values():
        col = "user_id" if info.name == "workspace_memberships" else info.owner_col
        if not col or info.name in ("profiles", "kb_articles", "ticket_messages", "kb_categories"):
            continue
        n = conn.execute(f"select count(*) from {info.qualified} where {col}::text = any(%s)", (staff,)).fetchone()[0]
        if n:
            found[info.name] = n
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", help="a seeded database (default: DATABASE_URL / embedded)")
    args = parser.parse_args()
    conn = connect(args.db_url)
    started = time.perf_counter()
    result = measure(conn)
    width = max(len(t) for t in result)
    print(f"{'table':<{width}}  {'API-writable':>12}  {'checked':>7}  {'no writer':>9}  {'by trigger':>10}")
    for table, (ok, checked, unowned, triggered) in result.items():
        flag = "" if ok == checked else "   <-"
        print(f"{table:<{width}}  {ok:>12,}  {checked:>7,}  {unowned:>9,}  {triggered:>10,}{flag}")
    total_ok, total = sum(r[0] for r in result.values()), sum(r[1] for r in result.values())
    print(f"total: {total_ok:,} of {total:,} rows the API could have written "
          f"({time.perf_counter() - started:.1f}s)")
    staff = staff_rows(conn)
    print("rows owned by staff personas:", ", ".join(f"{t} {n}" for t, n in sorted(staff.items())) or "none")


if __name__ == "__main__":
    main()
