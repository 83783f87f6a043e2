"""Seeding speed vs a raw binary COPY of the very same rows into the same schema, in one run.

    python benchmarks/seed_speed.py [--scale 100] [--db-url postgresql://postgres@127.0.0.1:5432/postgres]

1. database A (migrated): ``seed(scale)`` — timed end to end (users, seed.sql, catalog, generation, load).
2. dump every public table of A with ``COPY … TO STDOUT (FORMAT BINARY)`` into files (untimed).
3. database B (migrated, with the same users and seed.sql as A started with): ``COPY … FROM STDIN
   (FORMAT BINARY)`` of exactly the rows the seeder added, table by table in FK order — timed.
Peak memory: the process's maximum RSS after step 1 (resource.getrusage). Goal: ratio ≥ 0.5, peak < 1 GiB.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from nexus_kit import migrations
from nexus_kit.seed import seed, synthetic_users
from nexus_kit.seed_catalog import fk_order, read_catalog
from nexus_kit.seed_files import apply_seed_file
from nexus_kit.users import seed_users

# Rows the database writes itself (triggers) in B as it did in A: not part of the raw copy.
TRIGGER_ROWS = {
    "public.profiles": "false",
    "public.workspace_memberships": "not exists (select 1 from public.workspaces w where w.id = t.workspace_id "
                                    "and w.owner_id = t.user_id)",
}


def database(admin_url: str, name: str) -> str:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'drop database if exists "{name}" with (force)')
        conn.execute(f'create database "{name}"')
    return urlunsplit(urlsplit(admin_url)._replace(path=f"/{name}"))


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=100)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--db-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    tag = uuid.uuid4().hex[:6]
    url_a, url_b = database(args.db_url, f"nk_bench_seed_{tag}"), database(args.db_url, f"nk_bench_raw_{tag}")
    try:
        run(args, url_a, url_b)
    finally:
        with psycopg.connect(args.db_url, autocommit=True) as conn:
            for url in (url_a, url_b):
                conn.execute(f'drop database if exists "{urlsplit(url).path[1:]}" with (force)')


def run(args, url_a: str, url_b: str) -> None:
    with psycopg.connect(url_a, autocommit=True) as a:
        migrations.apply(a)
        started = time.perf_counter()
        report = seed(a, scale=args.scale, seed=args.seed, progress=False)
        seed_seconds = time.perf_counter() - started
        rss = peak_rss_mib()
        print(report)
        catalog = read_catalog(a)
        order = fk_order(catalog)
        with psycopg.connect(url_b, autocommit=True) as b:
            migrations.apply(b)
            apply_seed_file(b)
            seed_users(b, count=synthetic_users(args.scale))
            with tempfile.TemporaryDirectory() as tmp:
                files = dump(a, b, catalog, order, Path(tmp))
                raw_rows, raw_seconds = load_raw(b, catalog, order, files)
    seeded = report.total - report.rows.get("public.profiles", 0)  # filled profiles are no rows added
    seed_rate, raw_rate = seeded / seed_seconds, raw_rows / raw_seconds
    print(f"\nscale {args.scale}: seeder added {seeded:,} rows in {seed_seconds:.1f}s = {seed_rate:,.0f} rows/s "
          f"(end to end: users, seed.sql, catalog, generation, COPY)")
    print(f"raw binary COPY of the same {raw_rows:,} rows: {raw_seconds:.1f}s = {raw_rate:,.0f} rows/s")
    print(f"ratio seed/raw = {seed_rate / raw_rate:.2f} (goal >= 0.5); peak RSS {rss:,.0f} MiB (goal < 1024)")


def dump(a, b, catalog, order, folder: Path) -> dict[str, tuple[Path, list[str]]]:
    """Binary dumps of the rows the seeder added (not those B already has or its triggers will write)."""
    files = {}
    for name in order:
        table = catalog[name]
        # A nullable key into a table loaded later (forum_questions.accepted_answer_id) is the seeder's
        # second pass: the raw copy leaves it out (and does less work than the seeder for it).
        later = {c for fk in table.foreign_keys
                 if fk.ref_table in order and order.index(fk.ref_table) > order.index(name)
                 for c in fk.columns if not table.columns[c].not_null}
        cols = [c.name for c in table.columns.values() if c.writable and c.name not in later]
        pk = table.primary_key[0]
        existing = [r[0] for r in b.execute(sql.SQL("select {} from {}").format(
            sql.Identifier(pk), sql.Identifier(table.schema, table.name)))]
        where = TRIGGER_ROWS.get(name, "true")
        params: tuple = (existing,)
        if name == "public.workspace_memberships":  # B's demo memberships have their own random ids
            pairs = b.execute("select array_agg(workspace_id), array_agg(user_id) "
                              "from public.workspace_memberships").fetchone()
            where += (" and not exists (select 1 from unnest(%s::uuid[], %s::uuid[]) p(w, u) "
                      "where p.w = t.workspace_id and p.u = t.user_id)")
            params = (existing, pairs[0] or [], pairs[1] or [])
        query = sql.SQL("copy (select {} from {} t where not ({} = any(%s)) and {}) to stdout (format binary)").format(
            sql.SQL(", ").join(map(sql.Identifier, cols)), sql.Identifier(table.schema, table.name),
            sql.Identifier(pk), sql.SQL(where))
        path = folder / f"{name}.bin"
        with path.open("wb") as out, a.cursor() as cur, cur.copy(query, params) as copy:
            for block in copy:
                out.write(block)
        files[name] = (path, cols)
    return files


def load_raw(b, catalog, order, files) -> tuple[int, float]:
    rows = 0
    started = time.perf_counter()
    for name in order:
        path, cols = files[name]
        table = catalog[name]
        statement = sql.SQL("copy {} ({}) from stdin (format binary)").format(
            sql.Identifier(table.schema, table.name), sql.SQL(", ").join(map(sql.Identifier, cols)))
        with b.transaction(), b.cursor() as cur:
            with cur.copy(statement) as copy, path.open("rb") as source:
                while block := source.read(1 << 20):
                    copy.write(block)
            rows += cur.rowcount
    return rows, time.perf_counter() - started


if __name__ == "__main__":
    main()
