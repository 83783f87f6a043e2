"""Load generated chunks with binary COPY, or write them as an idempotent SQL file.

Each table loads in its own transaction. An empty table takes the rows by COPY directly (no row
can conflict); a table that already has rows gets them through a temporary staging table and
``insert … select … on conflict do nothing``, so re-runs add nothing and an interrupted run can be
completed.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import psycopg
from psycopg import sql
from psycopg.adapt import Dumper
from psycopg.pq import Format

from nexus_kit.errors import SeedError
from nexus_kit.seed_catalog import TIME_TYPES

PG_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class _IntTimestamp(int):
    """Registering a dumper needs a Python type; the dumpers are then chosen by column oid."""


class _IntTimestampNoTz(int):
    pass


class _IntDate(int):
    pass


class _JsonText(str):
    pass


def _dumpers(conn: psycopg.Connection) -> list[tuple[type, type]]:
    oids = {name: conn.adapters.types[name].oid for name in ("timestamptz", "timestamp", "date", "jsonb")}

    def make(name: str, packer):
        return type(f"{name}IntDumper", (Dumper,), {"format": Format.BINARY, "oid": oids[name],
                                                     "dump": lambda self, obj: packer(obj)})

    ts = struct.Struct(">q").pack
    return [(_IntTimestamp, make("timestamptz", ts)), (_IntTimestampNoTz, make("timestamp", ts)),
            (_IntDate, make("date", struct.Struct(">i").pack)),
            (_JsonText, make("jsonb", lambda obj: b"\x01" + obj.encode()))]


def _copy_cursor(conn: psycopg.Connection) -> psycopg.Cursor:
    """A cursor whose binary COPY takes the integer times and JSON text the generators produce."""
    cur = conn.cursor()
    for cls, dumper in _dumpers(conn):
        cur.adapters.register_dumper(cls, dumper)
    return cur


def copy_types(columns) -> list[str]:
    """Type names for ``set_types``: the column types without modifiers, arrays as ``elem[]``, enums as text."""
    out = []
    for col in columns:
        base = "jsonb" if col.base == "json" else col.base
        if col.enum_labels:
            base = "text"  # an enum's binary form is its label's text (enum_recv reads it so)
        out.append(f"{base}[]" if col.is_array else base)
    return out


def load_table(conn: psycopg.Connection, table, columns, chunks: Iterable, progress) -> int:
    """COPY the chunks into ``table``; return how many rows were added."""
    names = sql.SQL(", ").join(sql.Identifier(c.name) for c in columns)
    target = sql.Identifier(table.schema, table.name)
    with conn.transaction():
        empty = conn.execute(sql.SQL("select not exists (select 1 from {})").format(target)).fetchone()[0]
        if empty:
            into = target
        else:
            conn.execute(sql.SQL("create temp table _nexus_seed_stage (like {}) on commit drop").format(target))
            into = sql.Identifier("_nexus_seed_stage")
        with _copy_cursor(conn) as cur:
            copied = _copy(cur, into, names, columns, chunks, progress)
            if empty:
                return copied
            cur.execute(sql.SQL("insert into {} ({}) select {} from _nexus_seed_stage on conflict do nothing")
                        .format(target, names, names))
            return cur.rowcount


def _fill_set(table, columns) -> sql.Composable:
    """Columns a fill may set (not the key, not the trigger's times) and ``c = coalesce(t.c, s.c), …``."""
    fill = [c for c in columns if c.name not in table.primary_key and c.base not in TIME_TYPES]
    assignments = sql.SQL(", ").join(
        sql.SQL("{c} = coalesce(t.{c}, s.{c}::{type})").format(c=sql.Identifier(c.name), type=sql.SQL(c.type))
        for c in fill)
    return assignments


def _fill_where(table, marker: str) -> sql.Composable:
    key = sql.SQL(" and ").join(sql.SQL("t.{c} = s.{c}::{type}").format(
        c=sql.Identifier(c), type=sql.SQL(table.columns[c].type)) for c in table.primary_key)
    target = sql.Identifier(table.schema, table.name)
    return sql.SQL("{key} and t.{m} is null and not exists (select 1 from {target} as x where x.{m} = s.{m}::{type})"
                   ).format(key=key, m=sql.Identifier(marker), target=target, type=sql.SQL(table.columns[marker].type))


def fill_table(conn: psycopg.Connection, table, columns, chunks: Iterable, progress, marker: str) -> int:
    """Fill the empty fields of rows a trigger created (profiles): ``update … where <marker> is null``."""
    names = sql.SQL(", ").join(sql.Identifier(c.name) for c in columns)
    target = sql.Identifier(table.schema, table.name)
    assignments = _fill_set(table, columns)
    with conn.transaction():
        conn.execute(sql.SQL("create temp table _nexus_seed_stage (like {}) on commit drop").format(target))
        with _copy_cursor(conn) as cur:
            _copy(cur, sql.Identifier("_nexus_seed_stage"), names, columns, chunks, progress)
            cur.execute(sql.SQL("update {} as t set {} from _nexus_seed_stage as s where {}")
                        .format(target, assignments, _fill_where(table, marker)))
            return cur.rowcount


def _copy(cur, into, names, columns, chunks, progress) -> int:
    statement = sql.SQL("copy {} ({}) from stdin (format binary)").format(into, names)
    count = 0
    with cur.copy(statement) as copy:
        copy.set_types(copy_types(columns))
        for rows in chunks:
            for row in rows:
                copy.write_row(row)
            count += len(rows)
            progress(len(rows))
    return count


def raise_seed_error(table: str, exc: psycopg.Error) -> None:
    diag = exc.diag
    what = diag.constraint_name or diag.column_name or ""
    raise SeedError(f"loading {table} failed [{diag.sqlstate}] {what}: {diag.message_primary}. "
                    "Fix the generator or rule for this table (nexus_kit/seed_rules.py)") from exc


# -- SQL file ---------------------------------------------------------------------------------

def literal(value, col) -> str:
    if value is None:
        return "null"
    base = col.base
    if col.is_array:
        element = replace(col, is_array=False)  # once per array, not once per item
        items = ", ".join(literal(v, element) for v in value)
        return f"array[{items}]::{base}[]" if items else f"'{{}}'::{base}[]"
    if base in ("timestamptz", "timestamp"):
        moment = PG_EPOCH + timedelta(microseconds=int(value))
        return f"'{moment.isoformat()}'"
    if base == "date":
        return f"'{(date(2000, 1, 1) + timedelta(days=int(value))).isoformat()}'"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) or type(value).__name__ == "Decimal":
        return str(value)
    text = value if isinstance(value, str) else str(value)
    if base in ("json", "jsonb") and not isinstance(value, str):
        text = json.dumps(value)
    return "'" + text.replace("'", "''") + "'"


def write_inserts(out, table, columns, chunks: Iterable, progress, batch: int = 500) -> int:
    head = (f"insert into {table.schema}.{table.name} ("
            + ", ".join(f'"{c.name}"' for c in columns) + ") values\n")
    count = 0
    for rows in chunks:
        for start in range(0, len(rows), batch):
            part = rows[start:start + batch]
            values = ",\n".join("(" + ", ".join(literal(v, c) for v, c in zip(row, columns, strict=True)) + ")"
                                for row in part)
            out.write(head + values + "\non conflict do nothing;\n")
        count += len(rows)
        progress(len(rows))
    return count


def write_fills(out, table, columns, chunks: Iterable, progress, marker: str, batch: int = 500) -> int:
    """The fill as idempotent SQL: ``update … from (values …) … where <marker> is null``."""
    names = ", ".join(f'"{c.name}"' for c in columns)
    assignments = _fill_set(table, columns)
    where = _fill_where(table, marker)
    count = 0
    for rows in chunks:
        for start in range(0, len(rows), batch):
            values = ",\n".join("(" + ", ".join(literal(v, c) for v, c in zip(row, columns, strict=True)) + ")"
                                 for row in rows[start:start + batch])
            out.write(f"update {table.schema}.{table.name} as t set {assignments.as_string(None)}\n"
                      f"  from (values\n{values}) as s ({names})\n where {where.as_string(None)};\n")
        count += len(rows)
        progress(len(rows))
    return count
