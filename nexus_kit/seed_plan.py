"""Generate one table's rows, chunk by chunk, deterministically and within its constraints.

Randomness is derived per (seed, table, column, chunk) with a fixed chunk size, and ids per
(seed, table, row): adding a column or a table shifts nothing else.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from nexus_kit.errors import SeedError
from nexus_kit.seed_catalog import TIME_TYPES, Column, ForeignKey, Table
from nexus_kit.seed_checks import parse_predicate

CHUNK = 20_000


def stable_hash(*parts) -> int:
    return int.from_bytes(hashlib.blake2b(":".join(map(str, parts)).encode(), digest_size=8).digest(), "big")


def rng_for(seed: int, table: str, column: str, chunk: int) -> np.random.Generator:
    return np.random.default_rng([seed, stable_hash(table, column), chunk + 1])


def row_ids(seed: int, table: str, rows) -> list[uuid.UUID]:
    """``uuid5(namespace(seed), f"{table}:{row}")`` for each row, computed without uuid5's per-call overhead."""
    prefix = uuid.uuid5(uuid.NAMESPACE_URL, f"nexus-kit-seed:{seed}").bytes + f"{table}:".encode()
    sha1, new, setattr_, from_bytes = hashlib.sha1, uuid.UUID.__new__, object.__setattr__, int.from_bytes
    clear, version = ~((0xF000 << 64) | (0xC000 << 48)), (0x5000 << 64) | (0x8000 << 48)
    out = []
    for r in rows:
        value = new(uuid.UUID)
        setattr_(value, "int", (from_bytes(sha1(prefix + str(r).encode()).digest()[:16]) & clear) | version)
        setattr_(value, "is_safe", uuid.SafeUUID.unknown)
        out.append(value)
    return out


@dataclass
class Pool:
    """Rows a child can point at: the values of the referenced columns, in a stable order."""

    columns: dict[str, list]
    size: int
    groups: dict = field(default_factory=dict)

    def group(self, cols: tuple[str, ...]) -> dict[tuple, np.ndarray]:
        if cols not in self.groups:
            found: dict[tuple, list[int]] = {}
            for i, key in enumerate(zip(*(self.columns[c] for c in cols), strict=True)):
                found.setdefault(key, []).append(i)
            self.groups[cols] = {k: np.array(v) for k, v in found.items()}
        return self.groups[cols]


def skewed(rng: np.random.Generator, n_parents: int, n: int) -> np.ndarray:
    """Parent indices with a long tail: early parents (the cast, the demo workspace) get more rows."""
    return np.minimum((n_parents * rng.random(n) ** 1.6).astype(np.int64), n_parents - 1)


@dataclass
class Chunk:
    rows: np.ndarray
    values: dict[str, list]
    keep: np.ndarray  # rows that survive (unique fix-ups drop a few)


class TableGenerator:
    """Plans a table (row count, unique sampling) and yields its rows in chunks."""

    def __init__(self, table: Table, rows: int, seed: int, pools: dict[str, Pool], rule=None,
                 rule_columns: tuple[str, ...] = (), plan=None, parents=None, fixup=None):
        self.table, self.seed, self.pools, self.rule, self.fixup = table, seed, pools, rule, fixup
        self.cache: dict = {}  # a rule's lookups, built once per table
        self.rule_columns = set(rule_columns)
        self.omitted: set[str] = set()
        self.name = table.qualified
        self.columns = [c for c in table.columns.values() if c.writable]
        self.fks = sorted((fk for fk in table.foreign_keys if fk.ref_table != self.name),
                          key=lambda fk: (-sum(table.columns[c].not_null for c in fk.columns), -len(fk.columns)))
        self.self_fks = [fk for fk in table.foreign_keys if fk.ref_table == self.name]
        self.uuid_pk = (table.primary_key[0] if len(table.primary_key) == 1 and
                        table.columns[table.primary_key[0]].base == "uuid" and
                        not any(fk.columns == table.primary_key for fk in table.foreign_keys) else None)
        self.unique_text: set[str] = set()
        self.unique_time: set[str] = set()
        self.dedupe_keys: list[tuple[str, ...]] = []
        self.partial: list[tuple[tuple[str, ...], tuple]] = []
        self.sampled: dict[str, np.ndarray] = {}
        # Parents a foreign key may point at (indices into the parent's pool), where a rule narrows them.
        self.allowed: dict[str, np.ndarray] = {
            fk.name: np.asarray(parents[fk.columns[0]](pools), dtype=np.int64) for fk in self.fks
            if parents and len(fk.columns) == 1 and fk.columns[0] in parents and fk.ref_table in pools}
        if plan:
            rows = plan(self, pools, rows)
        self.rows = self._plan(rows)
        self.seen: dict[tuple, set] = {}

    # -- planning -------------------------------------------------------------------------
    def _fk_of(self, col: str) -> ForeignKey | None:
        return next((fk for fk in self.fks if col in fk.columns), None)

    def _plan(self, rows: int) -> int:
        for key in self.table.unique_keys:
            cols = key.columns
            if self.uuid_pk and self.uuid_pk in cols:
                continue
            if key.predicate:
                parsed = parse_predicate(key.predicate)
                if parsed:
                    self.partial.append((cols, parsed))
                else:
                    self.dedupe_keys.append(cols)
                continue
            if set(cols) <= self.rule_columns:
                continue
            free_text = [c for c in cols if self.table.columns[c].base in ("text", "varchar", "citext")
                         and not self._fk_of(c) and not self.table.rules.of(c).choices]
            times = [c for c in cols if self.table.columns[c].base in TIME_TYPES and not self._fk_of(c)]
            if free_text:
                self.unique_text.add(free_text[-1])
            elif times:
                self.unique_time.add(times[-1])
            else:
                rows = self._plan_product(cols, rows)
        return rows

    def _plan_product(self, cols: tuple[str, ...], rows: int) -> int:
        """Distinct combinations of parents for a key made of whole foreign keys."""
        fks = []
        for col in cols:
            fk = self._fk_of(col)
            if fk is None or not set(fk.columns) <= set(cols) or fk.name in self.sampled or \
                    col in self.rule_columns or fk.ref_table not in self.pools:
                self.dedupe_keys.append(cols)
                return rows
            if fk not in fks:
                fks.append(fk)
        sizes = [self._parent_count(fk) for fk in fks]
        total = int(np.prod(sizes, dtype=object))
        rows = min(rows, total)
        if rows == 0:
            return 0
        rng = rng_for(self.seed, self.name, "+".join(cols), -1)
        flat = rng.choice(total, size=rows, replace=False) if total < 2**62 else rng.integers(0, total, rows)
        for fk, size in zip(fks, sizes, strict=True):
            picked = flat % size
            self.sampled[fk.name] = self.allowed[fk.name][picked] if fk.name in self.allowed else picked
            flat = flat // size
        return rows

    def _parent_count(self, fk: ForeignKey) -> int:
        return len(self.allowed[fk.name]) if fk.name in self.allowed else self.pools[fk.ref_table].size

    # -- generation ------------------------------------------------------------------------
    def chunks(self) -> Iterator[Chunk]:
        for number, start in enumerate(range(0, self.rows, CHUNK)):
            rows = np.arange(start, min(start + CHUNK, self.rows))
            yield self._chunk(number, rows)

    def _chunk(self, number: int, rows: np.ndarray) -> Chunk:
        n = len(rows)
        values: dict[str, list] = {}
        keep = np.ones(n, dtype=bool)
        if self.uuid_pk:
            values[self.uuid_pk] = row_ids(self.seed, self.name, rows)
        if self.rule:
            values.update(self.rule(self, number, rows, self.pools))
        for fk in self.fks:
            self._assign_fk(fk, number, rows, values, keep)
        for fk in self.self_fks:
            self._assign_self_fk(fk, number, rows, values)
        for cols in self.table.rules.one_of:
            self._exactly_one(cols, number, rows, values)
        if self.fixup:  # who could have written the row, now that its parents are known
            self.fixup(self, number, rows, self.pools, values, keep)
        for col in self._value_order():
            if col.name not in values:
                values[col.name] = self._column_values(col, rng_for(self.seed, self.name, col.name, number), rows,
                                                       values)
        self._enforce_order(values, number, rows)
        self._fix_unique(values, keep)
        return Chunk(rows, values, keep)

    def _assign_fk(self, fk: ForeignKey, number, rows, values, keep) -> None:
        pool = self.pools.get(fk.ref_table)
        n = len(rows)
        nullable = [c for c in fk.columns if not self.table.columns[c].not_null]
        fixed = [c for c in fk.columns if c in values]
        if len(fixed) == len(fk.columns):
            return
        if pool is None or pool.size == 0 or (fk.name in self.allowed and not len(self.allowed[fk.name])):
            if len(nullable) == len(fk.columns) or (fixed and nullable):
                for c in fk.columns:
                    values.setdefault(c, [None] * n)
                return
            raise SeedError(f"{self.name}.{','.join(fk.columns)} needs rows in {fk.ref_table}, which has none: "
                            f"seed {fk.ref_table} first or lower the scale of {self.name}")
        rng = rng_for(self.seed, self.name, "fk:" + ",".join(fk.columns), number)
        free = [c for c in fk.columns if c not in fixed]
        ref_of = dict(zip(fk.columns, fk.ref_columns, strict=True))
        if fixed:
            groups = pool.group(tuple(ref_of[c] for c in fixed))
            picks = rng.random(n)
            idx = []
            for i, key in enumerate(zip(*(values[c] for c in fixed), strict=True)):
                candidates = groups.get(key)
                idx.append(None if candidates is None else int(candidates[int(picks[i] * len(candidates))]))
        elif fk.name in self.sampled:
            idx = self.sampled[fk.name][rows].tolist()
        elif fk.name in self.allowed:
            idx = self.allowed[fk.name][skewed(rng, len(self.allowed[fk.name]), n)].tolist()
        else:
            idx = skewed(rng, pool.size, n).tolist()
        draws = rng.random(n) < 0.2
        one_of = {c for group in self.table.rules.one_of for c in group}
        null_some = draws if set(free) <= set(nullable) and not one_of & set(free) else np.zeros(n, dtype=bool)
        for c in free:
            ref = pool.columns[ref_of[c]]
            values[c] = [None if (j is None or null_some[i]) else ref[j] for i, j in enumerate(idx)]
        for i, j in enumerate(idx):
            if j is None and not set(free) <= set(nullable):
                keep[i] = False

    def _exactly_one(self, cols: tuple[str, ...], number, rows, values) -> None:
        """``num_nonnulls(a, b) = 1``: keep one column per row (one that has a value), null the others."""
        rng = rng_for(self.seed, self.name, "one_of:" + ",".join(cols), number)
        chosen = rng.integers(0, len(cols), len(rows))
        for k, col in enumerate(cols):
            if col in values:
                values[col] = [v if c == k else None for v, c in zip(values[col], chosen, strict=True)]

    def _assign_self_fk(self, fk: ForeignKey, number, rows, values) -> None:
        rng = rng_for(self.seed, self.name, "self:" + ",".join(fk.columns), number)
        if len(fk.columns) != 1 or fk.ref_columns[0] != self.uuid_pk:
            for c in fk.columns:
                values.setdefault(c, [None] * len(rows))
            return
        parents = np.floor(rng.random(len(rows)) * np.maximum(rows, 1)).astype(np.int64)
        ids = row_ids(self.seed, self.name, parents)
        use = (rows > 0) & (rng.random(len(rows)) < 0.5)
        values[fk.columns[0]] = [pid if u else None for pid, u in zip(ids, use, strict=True)]

    def _value_order(self) -> list[Column]:
        later = {big for big, _, _, _ in self.table.rules.order}
        cols = sorted(self.columns, key=lambda c: (c.name in later, c.base in TIME_TYPES and c.name != "created_at"))
        return cols

    def _column_values(self, col: Column, rng, rows, values) -> list:
        from nexus_kit.seed_columns import column_values

        return column_values(self, col, rng, rows, values)

    def _enforce_order(self, values, number, rows) -> None:
        from nexus_kit.seed_columns import enforce_order

        enforce_order(self, values, number, rows)

    def _fix_unique(self, values, keep) -> None:
        from nexus_kit.seed_columns import fix_unique

        fix_unique(self, values, keep)
