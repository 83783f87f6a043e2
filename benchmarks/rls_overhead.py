"""RLS overhead at scale: the app's read through RLS vs. the same rows read as superuser.

Creates a scratch database on the server (dropped at the end), applies the compat layer and
the migrations, loads N rows into an owner-scoped table (user_interactions) and a
workspace-scoped one (content_items), then times, in one run:

- as the user, impersonated like PostgREST (role authenticated + JWT claims), the query the
  app runs: a user's latest interactions / a workspace's content, filtered as the app filters;
- as superuser (RLS bypassed), the same query with the same explicit filter.

Medians of several repetitions; prints the ratios (goal <= 1.3x).

    python benchmarks/rls_overhead.py [--db-url URL] [--rows N] [--repeat K]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

REPO = Path(__file__).resolve().parent.parent
COMPAT = REPO / "sql" / "supabase_compat.sql"
MIGRATIONS = sorted((REPO / "sql" / "migrations").glob("*.sql"))
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/postgres"

USERS = 200
WORKSPACES = 200

LOAD = """
insert into auth.users (id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
select ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'authenticated', 'authenticated',
       'bench' || g || '@bench.test', '{"provider": "email"}', jsonb_build_object('full_name', 'Bench ' || g),
       now(), now()
from generate_series(1, %(users)s) g;

insert into public.workspaces (id, owner_id, name, slug)
select ('00000000-0000-4000-9000-' || lpad(g::text, 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, 'Workspace ' || g, 'bench-ws-' || g
from generate_series(1, %(workspaces)s) g;

-- every user is also a viewer of the next 4 workspaces
insert into public.workspace_memberships (workspace_id, user_id, role)
select ('00000000-0000-4000-9000-' || lpad((((u + k - 1) %% %(workspaces)s) + 1)::text, 12, '0'))::uuid,
       ('00000000-0000-4000-8000-' || lpad(u::text, 12, '0'))::uuid, 'viewer'
from generate_series(1, %(users)s) u, generate_series(1, 4) k
on conflict do nothing;

insert into public.user_interactions (user_id, interaction_type, surface, prompt, input_tokens, created_at)
select ('00000000-0000-4000-8000-' || lpad(((g %% %(users)s) + 1)::text, 12, '0'))::uuid,
       (array['chat_message', 'command', 'generation', 'search'])[1 + g %% 4], 'echo_chat',
       'prompt ' || g, g %% 2000, now() - make_interval(secs => g)
from generate_series(1, %(rows)s) g;

insert into public.content_items (workspace_id, title, content_type, status, created_at)
select ('00000000-0000-4000-9000-' || lpad(((g %% %(workspaces)s) + 1)::text, 12, '0'))::uuid,
       'Item ' || g, (array['video', 'post', 'image', 'script'])[1 + g %% 4],
       (array['draft', 'in_review', 'published'])[1 + g %% 3], now() - make_interval(secs => g)
from generate_series(1, %(rows)s) g;

"""

USER = uuid.UUID("00000000-0000-4000-8000-000000000001")
WORKSPACE = uuid.UUID("00000000-0000-4000-9000-000000000001")

# (label, query the app runs through RLS, superuser twin with the explicit filter, params)
CASES = [
    (
        "user_interactions: my whole history (count)",
        "select count(*), sum(input_tokens) from public.user_interactions where user_id = %(user)s",
        "select count(*), sum(input_tokens) from public.user_interactions where user_id = %(user)s",
    ),
    (
        "user_interactions: my latest 50",
        "select id, interaction_type, prompt, created_at from public.user_interactions "
        "where user_id = %(user)s order by created_at desc limit 50",
        "select id, interaction_type, prompt, created_at from public.user_interactions "
        "where user_id = %(user)s order by created_at desc limit 50",
    ),
    (
        "content_items: a workspace's items (count by status)",
        "select status, count(*) from public.content_items where workspace_id = %(workspace)s group by status",
        "select status, count(*) from public.content_items where workspace_id = %(workspace)s group by status",
    ),
    (
        "content_items: a workspace's latest 50",
        "select id, title, status, created_at from public.content_items "
        "where workspace_id = %(workspace)s order by created_at desc limit 50",
        "select id, title, status, created_at from public.content_items "
        "where workspace_id = %(workspace)s order by created_at desc limit 50",
    ),
]


def with_dbname(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def claims(user: uuid.UUID) -> str:
    now = int(time.time())
    return json.dumps({"sub": str(user), "role": "authenticated", "aud": "authenticated", "exp": now + 3600,
                       "iat": now, "app_metadata": {"provider": "email"}, "user_metadata": {}})


def run_once(conn: psycopg.Connection, sql: str, params: dict, *, as_user: bool) -> tuple[float, int]:
    """Wall time (ms) of one run of the query in its own transaction (as the user: role and claims set
    first, as PostgREST does); and its row count."""
    with conn.transaction(force_rollback=True), conn.cursor() as cur:
        if as_user:
            cur.execute("select set_config('role', 'authenticated', true), "
                        "set_config('request.jwt.claims', %s, true)", (claims(USER),))
        start = time.perf_counter()
        cur.execute(sql, params)
        rows = cur.fetchall()
        return (time.perf_counter() - start) * 1000, len(rows)


def timed_pair(conn: psycopg.Connection, rls_sql: str, su_sql: str, params: dict,
               repeat: int) -> tuple[float, float, int, int]:
    """Median times (ms) of the RLS query and its superuser twin, run alternately so that whatever
    else the machine does weighs on both alike; the first pair warms the cache and is discarded."""
    rls, su = [], []
    for _ in range(repeat + 1):
        rls_ms, rls_n = run_once(conn, rls_sql, params, as_user=True)
        su_ms, su_n = run_once(conn, su_sql, params, as_user=False)
        rls.append(rls_ms)
        su.append(su_ms)
    return statistics.median(rls[1:]), statistics.median(su[1:]), rls_n, su_n


def run(admin_url: str, rows: int, repeat: int) -> list[tuple[str, float, float]]:
    name = f"nk_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    try:
        with psycopg.connect(with_dbname(admin_url, name), autocommit=True) as conn:
            for path in [COMPAT, *MIGRATIONS]:
                with conn.transaction():
                    conn.execute(path.read_text())
            t0 = time.perf_counter()
            with conn.transaction():
                for statement in filter(str.strip, LOAD.split(";\n")):
                    conn.execute(statement, {"users": USERS, "workspaces": WORKSPACES, "rows": rows})
            # settle the freshly loaded tables (hint bits, visibility map, statistics), so autovacuum
            # does not wake up in the middle of one side's measurements
            conn.execute("vacuum (analyze) public.user_interactions, public.content_items")
            print(f"loaded {rows:,} rows into user_interactions and content_items "
                  f"in {time.perf_counter() - t0:.1f} s ({USERS} users, {WORKSPACES} workspaces)")
            results = []
            params = {"user": USER, "workspace": WORKSPACE}
            for label, rls_sql, su_sql in CASES:
                rls_ms, su_ms, rls_n, su_n = timed_pair(conn, rls_sql, su_sql, params, repeat)
                if rls_n != su_n:
                    raise SystemExit(f"{label}: RLS returned {rls_n} rows, superuser {su_n}")
                results.append((label, rls_ms, su_ms))
            return results
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'drop database if exists "{name}" with (force)')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", default=DEFAULT_URL, help="admin URL of the server (a scratch db is made)")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows per table (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=101, help="timed repetitions per query (default 15)")
    parser.add_argument("--goal", type=float, default=1.3, help="maximum acceptable ratio (default 1.3)")
    args = parser.parse_args(argv)

    results = run(args.db_url, args.rows, args.repeat)
    print(f"\n{'query':<56} {'RLS ms':>9} {'superuser ms':>13} {'ratio':>7}")
    worst = 0.0
    for label, rls_ms, su_ms in results:
        ratio = rls_ms / su_ms
        worst = max(worst, ratio)
        print(f"{label:<56} {rls_ms:>9.2f} {su_ms:>13.2f} {ratio:>6.2f}x")
    verdict = "OK" if worst <= args.goal else "ABOVE GOAL"
    print(f"\nworst ratio {worst:.2f}x (goal <= {args.goal}x): {verdict}")
    return 0 if worst <= args.goal else 1


if __name__ == "__main__":
    sys.exit(main())
