"""Column values by type and meaning, ordering constraints, and unique fix-ups for one chunk.

Times travel as integers: microseconds since 2000-01-01 for timestamps, days for dates (what
PostgreSQL's binary COPY format carries), so no datetime object is built per value.
"""

from __future__ import annotations

import re

import numpy as np

from nexus_kit import seed_values as sv
from nexus_kit.errors import SeedError
from nexus_kit.seed_catalog import TIME_TYPES

TEXT_TYPES = ("text", "varchar", "bpchar", "citext", "name")
INT_BITS = {"int2": 16, "int4": 32, "int8": 64}
_pattern_cache: dict[str, re.Pattern] = {}


def _width(col) -> int | None:
    match = re.search(r"(?:character varying|character|varchar)\((\d+)\)", col.type)
    return int(match.group(1)) if match else None


def _numeric_shape(col) -> tuple[int | None, int]:
    match = re.search(r"numeric\((\d+),(\d+)\)", col.type)
    return (int(match.group(1)), int(match.group(2))) if match else (None, 2)


def _status_value(gen, values) -> tuple[str, list] | None:
    for name in ("status", "state"):
        if name in values and gen.table.rules.of(name).choices:
            return name, values[name]
    return None


def column_values(gen, col, rng, rows: np.ndarray, values: dict) -> list:
    n = len(rows)
    rule = gen.table.rules.of(col.name)
    if col.identity or (col.default or "").startswith("nextval("):
        return (rows + 1).tolist()
    base = col.base
    if base == "uuid":
        from nexus_kit.seed_plan import row_ids

        return row_ids(gen.seed, f"{gen.name}.{col.name}", rows)
    if col.enum_labels and not col.is_array:  # an enum: its labels, like a CHECK (… in (…))
        out = sv.text_values(col.name, rule, rng, rows, False)
    elif base in TEXT_TYPES and col.is_array:
        out = sv.text_array(col.name, rule, rng, n)
    elif base in TEXT_TYPES:
        out = sv.text_values(col.name, rule, rng, rows, col.name in gen.unique_text)
        out = sv.fit_length(out, rule, _width(col))
        out = _check_patterns(gen, col, rule, out)
    elif base in INT_BITS and not col.is_array:
        out = sv.int_values(col.name, rule, rng, rows, INT_BITS[base]).tolist()
    elif base == "numeric" and not col.is_array:
        precision, scale = _numeric_shape(col)
        out = sv.numeric_values(col.name, rule, rng, n, scale, precision)
    elif base in ("float4", "float8"):
        lo, hi = sv._range(rule, 0, 1)
        out = rng.uniform(lo, hi, n).tolist()
    elif base == "bool":
        out = sv.bool_values(col.name, rule, rng, n).tolist()
    elif base in ("jsonb", "json"):
        out = sv.json_values(col.name, rule, rng, n)
    elif base in TIME_TYPES:
        out = _time_values(gen, col, rng, rows, values)
    elif not col.not_null:
        return [None] * n
    elif col.default is not None:
        gen.omitted.add(col.name)
        return [None] * n
    else:
        raise SeedError(f"cannot generate {gen.name}.{col.name} of type {col.type}: it is NOT NULL with no "
                        "default. Add a rule for it in nexus_kit/seed_rules.py")
    if not col.not_null and base not in ("bool", "jsonb", "json", *TIME_TYPES) and not col.is_array and \
            col.name not in gen.unique_text:
        mask = rng.random(n) < 0.12
        out = [None if m else v for v, m in zip(out, mask, strict=True)]
    return out


def _check_patterns(gen, col, rule, out: list) -> list:
    if not rule.patterns:
        return out
    compiled = [_pattern_cache.setdefault(p, re.compile(p)) for p in rule.patterns]
    bad = [i for i, v in enumerate(out) if v is not None and not all(p.search(v) for p in compiled)]
    if not bad:
        return out
    if col.not_null:
        raise SeedError(f"cannot satisfy CHECK {rule.constraint} on {gen.name}.{col.name} "
                        f"(pattern {rule.patterns[0]!r}; e.g. {out[bad[0]]!r} fails). "
                        "Add a generator for it in nexus_kit/seed_values.py or a rule in nexus_kit/seed_rules.py")
    for i in bad:
        out[i] = None
    return out


def _time_values(gen, col, rng, rows, values) -> list:
    n = len(rows)
    is_date = col.base == "date"
    if col.name == "created_at" or "created_at" not in values or values["created_at"] is None:
        us = sv.created_times(rng, n)
    else:
        created = np.array([v if v is not None else sv.START_US for v in values["created_at"]], dtype=np.int64)
        if col.name == "updated_at":
            us = sv.timestamps_after(created, rng, 0, 30, False)
        else:
            us = sv.timestamps_after(created, rng, 0, 60, False)
    if col.name in gen.unique_time:
        us = us + rows
    out: list = (us // sv.DAY_US).tolist() if is_date else us.tolist()
    status = _status_value(gen, values)
    stem = col.name.removesuffix("_at").removesuffix("_on")
    if status and not col.not_null and stem in {str(c) for c in gen.table.rules.of(status[0]).choices}:
        return [v if s == stem else None for v, s in zip(out, status[1], strict=True)]
    if not col.not_null and col.name not in ("updated_at",):
        mask = rng.random(n) < 0.3
        out = [None if m else v for v, m in zip(out, mask, strict=True)]
    return out


def enforce_order(gen, values: dict, number: int, rows) -> None:
    """Make ``big > small`` / ``big >= small`` constraints true where both are set."""
    from nexus_kit.seed_plan import rng_for

    for big, _op, small, _ in gen.table.rules.order:
        if big not in values or small not in values:
            continue
        col = gen.table.columns[big]
        rng = rng_for(gen.seed, gen.name, f"order:{big}", number)
        if col.base == "timestamptz" or col.base == "timestamp":
            gaps = (rng.uniform(1, 90, len(rows)) * sv.DAY_US).astype(np.int64)
        elif col.base == "date":
            gaps = rng.integers(1, 90, len(rows))
        elif col.base in INT_BITS:
            gaps = rng.integers(1000, 60_000, len(rows))
        else:
            continue
        values[big] = [None if b is None else (None if s is None and not col.not_null else
                       (b if s is None else s + int(g))) for b, s, g in
                       zip(values[big], values[small], gaps, strict=True)]
        if col.not_null and any(v is None for v in values[big]):
            values[big] = [v if v is not None else s for v, s in zip(values[big], values[small], strict=True)]


def fix_unique(gen, values: dict, keep: np.ndarray) -> None:
    """Drop rows that repeat a key we could not make unique; switch off partial-unique predicates."""
    for cols in gen.dedupe_keys:
        seen = gen.seen.setdefault(cols, set())
        for i, key in enumerate(zip(*(values[c] for c in cols), strict=True)):
            if not keep[i] or None in key:
                continue
            if key in seen:
                keep[i] = False
            else:
                seen.add(key)
    for cols, (kind, col, listed) in gen.partial:
        seen = gen.seen.setdefault(("partial",) + cols, set())
        others = [c for c in (gen.table.rules.of(col).choices or ()) if c not in listed]
        for i, key in enumerate(zip(*(values[c] for c in cols), strict=True)):
            on = values[col][i] is True if kind == "true" else values[col][i] in listed
            if not keep[i] or not on or None in key:
                continue
            if key not in seen:
                seen.add(key)
            elif kind == "true":
                values[col][i] = False
            elif others:
                values[col][i] = others[i % len(others)]
            else:
                keep[i] = False
