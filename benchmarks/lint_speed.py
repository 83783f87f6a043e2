"""How long `nexus-kit lint` takes on the migrated Nexus schema.

    python benchmarks/lint_speed.py [--db-url URL] [--runs N]

Migrates a fresh scratch database on the server (dropped afterwards), then times every lint
together and each lint alone (best of N runs).
"""

from __future__ import annotations

import argparse
import time
import uuid

import psycopg

from nexus_kit import db as dbmod
from nexus_kit import migrations as mig
from nexus_kit.lints import available, lint, lint_name


def best_of(runs: int, fn) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", help="server admin URL (default: the kit's resolution)")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    admin_url = dbmod.resolve_url(args.db_url)
    name = f"nk_bench_lint_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    try:
        url = psycopg.conninfo.make_conninfo(admin_url, dbname=name)
        with psycopg.connect(url, autocommit=True) as conn:
            mig.apply(conn)
            tables = conn.execute("select count(*) from pg_tables where schemaname = 'public'").fetchone()[0]
            policies = conn.execute("select count(*) from pg_policies where schemaname = 'public'").fetchone()[0]
            report = lint(conn)
            total = best_of(args.runs, lambda: lint(conn))
            print(f"schema: {tables} public tables, {policies} policies; {report.summary()}")
            print(f"all {len(report.lints)} lints: {total * 1000:.0f} ms (best of {args.runs})")
            for stem in available():
                one = best_of(args.runs, lambda s=stem: lint(conn, [s]))
                print(f"  {lint_name(stem):<52} {one * 1000:6.1f} ms")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'drop database if exists "{name}" with (force)')


if __name__ == "__main__":
    main()
