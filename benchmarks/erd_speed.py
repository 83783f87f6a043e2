"""How long the ERD takes on the migrated schema: introspection, dot sources, and drawing PNG + SVG.

    python benchmarks/erd_speed.py --db-url postgresql://postgres@127.0.0.1:5432/<migrated db> [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

from nexus_kit import connect, erd, introspect


def best_of(runs: int, work) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-url")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with connect(args.db_url) as conn:
        model = introspect(conn)
        print(f"{model!r}")
        print(f"introspect: {best_of(args.runs, lambda: introspect(conn)) * 1000:.0f} ms (median of {args.runs})")
    drawn = erd.diagrams(model)
    print(f"dot sources ({len(drawn)} diagrams): "
          f"{best_of(args.runs, lambda: [replace(d).dot for d in drawn]) * 1000:.0f} ms")
    for diagram in drawn:
        png = best_of(args.runs, lambda d=diagram: replace(d).png)
        svg = best_of(args.runs, lambda d=diagram: replace(d).svg)
        print(f"{diagram!r}: png {png * 1000:.0f} ms, svg {svg * 1000:.0f} ms")


if __name__ == "__main__":
    main()
