"""Introspect the live database into a small, frozen model of its schema.

``introspect(conn)`` reads ``pg_catalog`` in four set-based queries (tables, columns,
unique indexes, foreign keys) and returns a ``SchemaModel``: every table of ``public``,
plus the tables outside it that a public foreign key references (``auth.users``), marked
``external``. Each public table gets an *area*: the migration file whose ``create table``
made it (``create_initial_schema`` is ``core``, ``add_echo_ai_schema`` is ``echo_ai``, …).

The model is what the ERD renderers (and notebooks) draw from, so it holds only catalog facts;
rendering lives elsewhere. The seeder (``seed_catalog``) and the RLS probe (``probe_model``) read
the catalog themselves: they need facts a diagram does not (CHECKs, enum labels, identity columns,
partial unique indexes; insertable columns, owner and workspace columns).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import pglast
import psycopg

from nexus_kit.migrations import Migration, discover

EXTERNAL_AREA = "external"
# Migration names whose area is not simply the name without "add_" and "_schema".
AREA_ALIASES = {"create_initial_schema": "core", "initial_schema": "core"}
ON_DELETE = {"a": "no action", "r": "restrict", "c": "cascade", "n": "set null", "d": "set default"}
SHORT_TYPES = [  # format_type() spells SQL-standard names; psql users read the short ones
    (re.compile(r"^timestamp(\(\d+\))? with time zone"), r"timestamptz\1"),
    (re.compile(r"^timestamp(\(\d+\))? without time zone"), r"timestamp\1"),
    (re.compile(r"^time(\(\d+\))? with time zone"), r"timetz\1"),
    (re.compile(r"^time(\(\d+\))? without time zone"), r"time\1"),
    (re.compile(r"^character varying"), "varchar"),
    (re.compile(r"^character\b"), "char"),
    (re.compile(r"^bit varying"), "varbit"),
]


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # as psql shows it: uuid, text[], timestamptz, varchar(255), public.app_role
    not_null: bool
    default: str | None = None
    comment: str | None = None
    is_primary_key: bool = False
    is_unique: bool = False  # a single-column unique constraint or index
    generated: bool = False


@dataclass(frozen=True)
class UniqueConstraint:
    name: str
    columns: tuple[str, ...]


@dataclass(frozen=True)
class ForeignKey:
    name: str
    table: str  # key of the referencing table
    columns: tuple[str, ...]
    ref_table: str  # key of the referenced table
    ref_columns: tuple[str, ...]
    on_delete: str = "no action"

    @property
    def is_self_reference(self) -> bool:
        return self.table == self.ref_table


@dataclass(frozen=True)
class Table:
    schema: str
    name: str
    columns: tuple[Column, ...]
    area: str
    comment: str | None = None
    rls_enabled: bool = False
    force_rls: bool = False
    policy_count: int = 0
    primary_key: tuple[str, ...] = ()
    uniques: tuple[UniqueConstraint, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def key(self) -> str:
        """``profiles`` for public tables, ``auth.users`` for the others."""
        return self.name if self.schema == "public" else f"{self.schema}.{self.name}"

    @property
    def external(self) -> bool:
        return self.schema != "public"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def requires(self, fk: ForeignKey) -> bool:
        """True when every row must reference a row (all the key's columns are NOT NULL)."""
        return all(self.column(c).not_null for c in fk.columns)

    def is_one_to_one(self, fk: ForeignKey) -> bool:
        """True when the key's columns are this table's primary key or a unique set."""
        keys = [set(self.primary_key), *(set(u.columns) for u in self.uniques)]
        return set(fk.columns) in keys


@dataclass(frozen=True)
class SchemaModel:
    tables: tuple[Table, ...]
    areas: tuple[str, ...] = field(default=())  # in migration order

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_key", {t.key: t for t in self.tables})

    def table(self, key: str) -> Table:
        return self._by_key[key]  # type: ignore[attr-defined]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key  # type: ignore[attr-defined]

    @property
    def keys(self) -> list[str]:
        return [t.key for t in self.tables]

    @property
    def foreign_keys(self) -> list[ForeignKey]:
        return [fk for t in self.tables for fk in t.foreign_keys]

    def in_area(self, area: str) -> list[Table]:
        return [t for t in self.tables if t.area == area]

    def to_frame(self):
        """One row per public table: area, RLS, policies, columns, foreign keys and its comment."""
        import pandas as pd

        rows = [
            {"area": t.area, "table": t.name, "rls": t.rls_enabled, "policies": t.policy_count,
             "columns": len(t.columns), "foreign_keys": len(t.foreign_keys), "comment": t.comment or ""}
            for t in self.tables if not t.external
        ]
        return pd.DataFrame(rows)

    def neighbours(self, key: str, distance: int = 1) -> list[str]:
        """Keys of the tables at most ``distance`` foreign keys away from ``key`` (either direction)."""
        adjacent: dict[str, set[str]] = {k: set() for k in self.keys}
        for fk in self.foreign_keys:
            adjacent[fk.table].add(fk.ref_table)
            adjacent[fk.ref_table].add(fk.table)
        reached, frontier = {key}, {key}
        for _ in range(distance):
            frontier = {n for k in frontier for n in adjacent[k]} - reached
            reached |= frontier
        return [k for k in self.keys if k in reached]

    def subset(self, keys: Iterable[str], fks_from: Iterable[str] | None = None) -> SchemaModel:
        """Only the tables in ``keys``, and the foreign keys between them (from ``fks_from`` tables only)."""
        keep = set(keys)
        sources = keep if fks_from is None else set(fks_from)
        tables = tuple(
            replace(t, foreign_keys=tuple(fk for fk in t.foreign_keys if t.key in sources and fk.ref_table in keep))
            for t in self.tables if t.key in keep
        )
        return SchemaModel(tables, self.areas)

    def __repr__(self) -> str:
        n_fk = len(self.foreign_keys)
        return f"SchemaModel: {len(self.tables)} tables, {n_fk} foreign keys, areas {', '.join(self.areas)}"

    def _repr_html_(self) -> str:
        """Tables per area, with RLS and policy counts: what a newcomer wants first."""
        frame = self.to_frame()
        summary = frame.groupby("area", sort=False).agg(
            tables=("table", "count"), rls_on=("rls", "sum"), policies=("policies", "sum"))
        return f"<p>{html.escape(repr(self))}</p>{summary.to_html()}"


# -- areas from the migration files -----------------------------------------------------

def area_name(migration_name: str) -> str:
    """``add_echo_ai_schema`` → ``echo_ai``; ``create_initial_schema`` → ``core``."""
    if migration_name in AREA_ALIASES:
        return AREA_ALIASES[migration_name]
    return migration_name.removeprefix("add_").removeprefix("create_").removesuffix("_schema")


def table_areas(migrations: Iterable[Migration]) -> dict[str, str]:
    """Public table name → the area of the first migration with a top-level ``create table`` for it."""
    areas: dict[str, str] = {}
    for migration in migrations:
        for raw in pglast.parse_sql(migration.sql):
            stmt = raw.stmt
            if isinstance(stmt, pglast.ast.CreateStmt) and stmt.relation.schemaname in (None, "public"):
                areas.setdefault(stmt.relation.relname, area_name(migration.name))
    return areas


# -- catalog queries ----------------------------------------------------------------------

TABLES_SQL = """
with public_fk_targets as (
  select distinct confrelid as oid from pg_constraint k join pg_class c on c.oid = k.conrelid
  where k.contype = 'f' and c.relnamespace = 'public'::regnamespace
)
select c.oid, n.nspname, c.relname, obj_description(c.oid, 'pg_class'),
       c.relrowsecurity, c.relforcerowsecurity,
       (select count(*) from pg_policy p where p.polrelid = c.oid)::int
from pg_class c join pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p') and not c.relispartition
  and (n.nspname = 'public' or c.oid in (select oid from public_fk_targets))
order by n.nspname <> 'public', c.relname
"""

COLUMNS_SQL = """
select a.attrelid, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), col_description(a.attrelid, a.attnum), a.attgenerated <> ''
from pg_attribute a left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
where a.attrelid = any(%(oids)s) and a.attnum > 0 and not a.attisdropped
order by a.attrelid, a.attnum
"""

# Unique indexes on plain columns without a predicate: constraint-backed or not. The primary key too.
UNIQUES_SQL = """
select i.indrelid, ic.relname, i.indisprimary,
       array(select a.attname from unnest(i.indkey::int2[]) with ordinality k(attnum, ord)
             join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.ord)
from pg_index i join pg_class ic on ic.oid = i.indexrelid
where i.indrelid = any(%(oids)s) and i.indisunique and i.indpred is null and i.indexprs is null
order by i.indrelid, i.indisprimary desc, ic.relname
"""

FOREIGN_KEYS_SQL = """
select k.conrelid, k.conname, k.confrelid, k.confdeltype,
       array(select a.attname from unnest(k.conkey) with ordinality u(attnum, ord)
             join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum order by u.ord),
       array(select a.attname from unnest(k.confkey) with ordinality u(attnum, ord)
             join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.attnum order by u.ord)
from pg_constraint k
where k.contype = 'f' and k.conrelid = any(%(oids)s)
order by k.conrelid, k.conname
"""


def short_type(pg_type: str) -> str:
    for pattern, replacement in SHORT_TYPES:
        pg_type = pattern.sub(replacement, pg_type)
    return pg_type


def introspect(conn: psycopg.Connection, migrations_dir: Path | None = None) -> SchemaModel:
    """The public schema (plus the external tables it references) as a ``SchemaModel``."""
    migrations = discover(migrations_dir)
    areas = table_areas(migrations)
    with conn.cursor() as cur:
        tables = cur.execute(TABLES_SQL).fetchall()
        oids = [row[0] for row in tables]
        keys = {oid: (name if schema == "public" else f"{schema}.{name}") for oid, schema, name, *_ in tables}
        columns = _group(cur.execute(COLUMNS_SQL, {"oids": oids}).fetchall())
        uniques = _group(cur.execute(UNIQUES_SQL, {"oids": oids}).fetchall())
        fks = _group(cur.execute(FOREIGN_KEYS_SQL, {"oids": oids}).fetchall())
    built = []
    for oid, schema, name, comment, rls, force, policies in tables:
        area = areas.get(name, "other") if schema == "public" else EXTERNAL_AREA
        built.append(_table(oid, schema, name, comment, rls, force, policies, area,
                            columns.get(oid, []), uniques.get(oid, []), fks.get(oid, []), keys))
    known_areas = list(dict.fromkeys(area_name(m.name) for m in migrations))
    extra = sorted({t.area for t in built} - set(known_areas) - {EXTERNAL_AREA})
    return SchemaModel(tables=tuple(built), areas=tuple(known_areas + extra))


def _group(rows: list[tuple]) -> dict[int, list[tuple]]:
    grouped: dict[int, list[tuple]] = {}
    for oid, *rest in rows:
        grouped.setdefault(oid, []).append(tuple(rest))
    return grouped


def _table(oid, schema, name, comment, rls, force, policies, area, columns, uniques, fks, keys) -> Table:
    primary_key = next((tuple(cols) for _, is_pk, cols in uniques if is_pk), ())
    unique_sets = tuple(UniqueConstraint(idx, tuple(cols)) for idx, is_pk, cols in uniques if not is_pk)
    single_unique = {u.columns[0] for u in unique_sets if len(u.columns) == 1}
    cols = tuple(
        Column(col, short_type(typ), not_null, default, col_comment,
               is_primary_key=col in primary_key, is_unique=col in single_unique, generated=generated)
        for col, typ, not_null, default, col_comment, generated in columns
    )
    foreign_keys = tuple(
        ForeignKey(conname, keys[oid], tuple(cols_), keys[ref_oid], tuple(ref_cols), ON_DELETE[deltype])
        for conname, ref_oid, deltype, cols_, ref_cols in fks
        if ref_oid in keys
    )
    return Table(schema, name, cols, area, comment, rls, force, policies, primary_key, unique_sets, foreign_keys)
