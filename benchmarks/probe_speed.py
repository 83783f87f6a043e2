"""How long the RLS probe takes: the whole matrix at scale 1, and isolation fuzzing.

    python benchmarks/probe_speed.py [--db-url URL] [--runs N] [--fuzz N]

Migrates and seeds (scale 1, seed 42) a fresh scratch database on the server (default: the
embedded PostgreSQL; dropped afterwards), then times `probe(conn)` over every table × persona ×
operation (best and median of N runs) and `fuzz(conn, cases=N)`. Goal: the matrix under 10 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import uuid

import psycopg

from nexus_kit import db as dbmod
from nexus_kit import migrations as mig
from nexus_kit.probe import probe
from nexus_kit.probe_fuzz import fuzz
from nexus_kit.seed import seed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-url", help="server admin URL (default: the kit's resolution, embedded)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--fuzz", type=int, default=1000, help="fuzz cases")
    args = parser.parse_args()
    admin_url = dbmod.resolve_url(args.db_url)
    name = f"nk_bench_probe_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'create database "{name}"')
    try:
        url = psycopg.conninfo.make_conninfo(admin_url, dbname=name)
        with psycopg.connect(url, autocommit=True) as conn:
            mig.apply(conn)
            seed(conn, scale=1, seed=42, progress=False)
            tables = [t for (t,) in conn.execute("select tablename from pg_tables where schemaname = 'public'")]
            rows = sum(conn.execute(f'select count(*) from public."{t}"').fetchone()[0] for t in tables)
            version = conn.execute("show server_version").fetchone()[0]
            print(f"server: PostgreSQL {version}; {len(tables)} tables, {rows} seeded rows in public; "
                  f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
            timings = []
            for _ in range(args.runs):
                started = time.perf_counter()
                matrix = probe(conn)
                timings.append(time.perf_counter() - started)
            best = min(timings)
            print(f"probe: {matrix.summary()}")
            print(f"  best {best:.2f} s, median {statistics.median(timings):.2f} s of {args.runs} runs; "
                  f"{matrix.checks / best:.0f} checks/s (goal < 10 s)")
            started = time.perf_counter()
            report = fuzz(conn, cases=args.fuzz, seed=0)
            took = time.perf_counter() - started
            print(f"fuzz: {report.cases} cases tried ({report.exercised} on rows of B), {len(report.leaks)} leaks, "
                  f"{took:.2f} s ({report.cases / took:.0f} cases/s)")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'drop database if exists "{name}" with (force)')


if __name__ == "__main__":
    main()
