"""``seed(conn, scale=1, seed=42)``: fill every table of the live schema with realistic rows.

Order of work: ``sql/seed.sql`` (recorded like the Supabase CLI), the users (``seed_users``),
then every table in foreign-key order, each loaded by binary COPY in its own transaction. The
same seed and scale give the same rows, ids included; running again adds nothing.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

from nexus_kit import seed_rules as rules
from nexus_kit import seed_writers as writers
from nexus_kit.errors import SeedError
from nexus_kit.seed_catalog import Table, fk_order, read_catalog
from nexus_kit.seed_files import apply_seed_file
from nexus_kit.seed_load import fill_table, load_table, raise_seed_error, write_fills, write_inserts
from nexus_kit.seed_plan import Pool, TableGenerator
from nexus_kit.users import seed_users

ROWS_PER_SCALE = 10_000
USERS_PER_SCALE = 50
SEED_LOCK = 0x6E657876


@dataclass
class SeedReport:
    scale: float
    seed: int
    rows: dict[str, int] = field(default_factory=dict)  # rows added per table
    generated: dict[str, int] = field(default_factory=dict)  # rows generated per table
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    out: Path | None = None

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    @property
    def total_generated(self) -> int:
        return sum(self.generated.values())

    def summary(self) -> str:
        where = f"written to {self.out}" if self.out else "added"
        rate = self.total_generated / self.seconds if self.seconds else 0
        return (f"scale {self.scale}, seed {self.seed}: {self.total:,} rows {where} "
                f"({self.total_generated:,} generated) in {self.seconds:.1f}s ({rate:,.0f} rows/s)")

    def __repr__(self) -> str:
        width = max([5] + [len(t) for t in self.generated])
        lines = [f"{'table':<{width}}  {'added':>9}  {'generated':>9}"]
        lines += [f"{t:<{width}}  {self.rows.get(t, 0):>9,}  {n:>9,}" for t, n in self.generated.items()]
        return "\n".join(lines + self.notes + [self.summary()])

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><td>{html.escape(t)}</td><td>{self.rows.get(t, 0):,}</td><td>{n:,}</td></tr>"
                       for t, n in self.generated.items())
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self.notes)
        return ("<table><thead><tr><th>table</th><th>added</th><th>generated</th></tr></thead>"
                f"<tbody>{body}</tbody></table><ul>{notes}</ul><p>{html.escape(self.summary())}</p>")

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([{"table": t, "added": self.rows.get(t, 0), "generated": n}
                             for t, n in self.generated.items()])


def synthetic_users(scale: float) -> int:
    return max(1, round(USERS_PER_SCALE * scale))


def seed(
    conn: psycopg.Connection,
    *,
    scale: float = 1,
    seed: int = 42,
    out: str | Path | None = None,
    progress: bool = True,
    on_table: Callable[[str, int], None] | None = None,
) -> SeedReport:
    """Seed every table in foreign-key order; with ``out``, write the rows as SQL instead of loading them."""
    if not scale or scale <= 0:
        raise SeedError(f"scale must be greater than 0 (got {scale}): use --scale 1 for about 10,000 rows")
    started = time.perf_counter()
    report = SeedReport(scale, seed, out=Path(out) if out else None)
    conn.execute("select pg_advisory_lock(%s)", (SEED_LOCK,))
    try:
        if out:
            with conn.transaction(force_rollback=True), open(out, "w") as handle:
                _run(conn, report, handle, progress, on_table)
        else:
            _run(conn, report, None, progress, on_table)
    finally:
        conn.execute("select pg_advisory_unlock(%s)", (SEED_LOCK,))
    report.seconds = time.perf_counter() - started
    return report


def _run(conn, report: SeedReport, handle, progress: bool, on_table) -> None:
    report.notes.append(apply_seed_file(conn))
    users = seed_users(conn, count=synthetic_users(report.scale))
    report.notes.append(users.summary())
    if handle is not None:
        from nexus_kit.seed_sqlfile import write_prelude

        write_prelude(handle, conn, users)
    catalog = read_catalog(conn)
    order = [t for t in fk_order(catalog) if t not in rules.REFERENCE]
    pools: dict[str, Pool] = {"auth.users": writers.owners_pool(users),
                              writers.SUPPORT_POOL: writers.support_pool(users)}
    everyone = writers.all_users_pool(users)  # for the tables with one row per user
    for name in rules.REFERENCE & set(catalog):
        pools[name] = _existing(conn, catalog[name], _keep(catalog, name), set())
    budget = ROWS_PER_SCALE * report.scale  # public tables; the users' rows come on top
    weights = {n: (1 if any(n in t.parents() for t in catalog.values()) else 3) for n in order}
    remaining_weight = sum(w for n, w in weights.items() if n not in rules.TRIGGER_OWNED)
    for name in order:
        table = catalog[name]
        if name in rules.TRIGGER_OWNED:
            wanted = len(users)
        else:
            wanted = max(1, int(budget * weights[name] / max(remaining_weight, 1)))
            remaining_weight -= weights[name]
        table_pools = {**pools, "auth.users": everyone} if name in rules.TRIGGER_OWNED else pools
        gen = TableGenerator(table, wanted, report.seed, table_pools, rules.RULES.get(name),
                             rules.RULE_COLUMNS.get(name, ()), rules.PLANS.get(name), rules.PARENTS.get(name),
                             rules.fixup_for(table))
        added, generated, pool = _seed_table(conn, gen, handle, progress, _keep(catalog, name),
                                             rules.TRIGGER_OWNED.get(name))
        if name not in rules.TRIGGER_OWNED:
            budget -= generated
        report.rows[name], report.generated[name] = added, generated
        pools[name] = pool
        if on_table:
            on_table(name, added)
    _accept_answers(conn, pools, report, handle)


def _accept_answers(conn, pools: dict[str, Pool], report: SeedReport, handle) -> None:
    """Second pass, once the answers exist: answered questions get one of their answers accepted."""
    questions, answers = writers.accepted_answers(pools, report.seed)
    if not questions:
        return
    params = {"questions": questions, "answers": answers}
    if handle is not None:
        handle.write(psycopg.ClientCursor(conn).mogrify(writers.ACCEPT_ANSWERS.strip(), params) + ";\n")
        return
    changed = conn.execute(writers.ACCEPT_ANSWERS, params).rowcount
    report.notes.append(f"forum_questions: {changed} accepted answers set ({len(questions)} answered questions)")


def _keep(catalog: dict[str, Table], name: str) -> list[str]:
    cols = {c for t in catalog.values() for fk in t.foreign_keys if fk.ref_table == name for c in fk.ref_columns}
    cols |= set(rules.KEEP.get(name, ()))
    cols |= set(catalog[name].primary_key)
    return sorted(cols)


def _seed_table(conn, gen: TableGenerator, handle, progress: bool, keep: list[str], fill_marker: str | None):
    from tqdm.auto import tqdm

    table = gen.table
    kept: dict[str, list] = {c: [] for c in keep}
    state = {"generated": 0}
    chunks = gen.chunks()
    first = next(chunks, None)
    columns = [c for c in gen.columns if c.name not in gen.omitted]

    def rows_of() -> Iterator[list[tuple]]:
        for chunk in _chain(first, chunks):
            mask = chunk.keep
            for c in keep:
                kept[c].extend(v for v, k in zip(chunk.values[c], mask, strict=True) if k)
            tuples = zip(*(chunk.values[c.name] for c in columns), strict=True)
            rows = [r for r, k in zip(tuples, mask, strict=True) if k]
            state["generated"] += len(rows)
            yield rows

    bar = tqdm(total=gen.rows, desc=table.name, unit="rows", disable=not progress, leave=False)
    try:
        if handle is not None and fill_marker:
            added = write_fills(handle, table, columns, rows_of(), bar.update, fill_marker)
        elif handle is not None:
            added = write_inserts(handle, table, columns, rows_of(), bar.update)
        elif fill_marker:
            added = fill_table(conn, table, columns, rows_of(), bar.update, fill_marker)
        else:
            added = load_table(conn, table, columns, rows_of(), bar.update)
    except psycopg.Error as exc:
        raise_seed_error(table.qualified, exc)
    finally:
        bar.close()
    pk = table.primary_key[0] if len(table.primary_key) == 1 else None
    ours = set(kept[pk]) if pk else set()
    existing = _existing(conn, table, keep, ours) if pk else Pool({c: [] for c in keep}, 0)
    merged = {c: existing.columns[c] + kept[c] for c in keep}
    return added, state["generated"], Pool(merged, existing.size + len(kept[keep[0]]) if keep else 0)


def _chain(first, rest):
    if first is not None:
        yield first
        yield from rest


def _existing(conn, table: Table, keep: list[str], ours: set) -> Pool:
    """Rows already in the table that this run did not generate (reference data, the demo workspace)."""
    if not keep:
        return Pool({}, 0)
    pk = table.primary_key[0] if len(table.primary_key) == 1 else keep[0]
    query = sql.SQL("select {} from {} order by {}").format(
        sql.SQL(", ").join(sql.Identifier(c) for c in [pk] + keep), sql.Identifier(table.schema, table.name),
        sql.Identifier(pk))
    columns: dict[str, list] = {c: [] for c in keep}
    size = 0
    for row in conn.execute(query):
        if row[0] in ours:
            continue
        for c, v in zip(keep, row[1:], strict=True):
            columns[c].append(v)
        size += 1
    return Pool(columns, size)
