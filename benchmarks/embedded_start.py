"""How long the embedded PostgreSQL takes to be usable: first start (initdb) and warm start.

    python benchmarks/embedded_start.py [--runs 5]

Each warm start is a fresh process (`python -m nexus_kit db start`) after `db stop`, which is what a
user pays when the data directory exists. Goal: under 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time


def timed(args: list[str], env: dict) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nexus_kit", *args], check=True, env=env, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "NEXUS_HOME": home}
        env.pop("DATABASE_URL", None)
        first = timed(["db", "start"], env)
        warm, running = [], []
        for _ in range(runs):
            timed(["db", "stop"], env)
            warm.append(timed(["db", "start"], env))
            running.append(timed(["db", "start"], env))
        timed(["db", "stop"], env)
    print(f"first start (initdb + start): {first:.2f} s")
    print(f"warm start, data exists, server stopped: median {statistics.median(warm):.2f} s "
          f"(min {min(warm):.2f}, max {max(warm):.2f}, {runs} runs)")
    print(f"already running (resolve only):          median {statistics.median(running):.2f} s")
    print("goal: warm start < 2 s")


if __name__ == "__main__":
    main()
