"""What the seeder needs to know about the live schema: columns, types, defaults, CHECKs, enums,
UNIQUE keys (partial unique indexes included), foreign keys, and a foreign-key order.

A read-only view of the catalog, kept separate from ``nexus_kit.schema`` (the ERD's model) because
seeding needs constraint details the diagram does not.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from nexus_kit.seed_checks import ColumnRule, ColumnRules, parse_checks, parse_predicate

APP_SCHEMAS = ("public",)
TIME_TYPES = ("timestamptz", "timestamp", "date")  # Column.base of the columns that hold times


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # format_type(), e.g. "character varying(255)", "text[]", "numeric(10,2)"
    base: str  # pg_type.typname of the column or of its array elements: text, uuid, int4, ...
    is_array: bool
    not_null: bool
    default: str | None
    identity: str  # '' | 'a' (always) | 'd' (by default)
    generated: bool
    enum_labels: tuple[str, ...] = ()
    type_oid: int = 0

    @property
    def writable(self) -> bool:
        return not self.generated

    @property
    def volatile_default(self) -> bool:
        d = (self.default or "").lower()
        return any(f in d for f in ("now()", "current_timestamp", "gen_random_uuid()", "auth.uid()", "nextval("))


@dataclass(frozen=True)
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    ref_table: str  # schema.table
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class UniqueKey:
    name: str
    columns: tuple[str, ...]
    primary: bool = False
    predicate: str | None = None  # a partial unique index's WHERE, as SQL


@dataclass
class Table:
    schema: str
    name: str
    columns: dict[str, Column]
    primary_key: tuple[str, ...] = ()
    foreign_keys: list[ForeignKey] = field(default_factory=list)
    unique_keys: list[UniqueKey] = field(default_factory=list)
    checks: dict[str, str] = field(default_factory=dict)  # name → expression
    rules: ColumnRules = field(default_factory=ColumnRules)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    def parents(self) -> set[str]:
        return {fk.ref_table for fk in self.foreign_keys}


COLUMNS = """
select n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
       coalesce(et.typname, t.typname), t.typcategory = 'A', a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated <> '', coalesce(et.oid, t.oid),
       array(select e.enumlabel::text from pg_enum e where e.enumtypid = coalesce(et.oid, t.oid)
             order by e.enumsortorder)
  from pg_class c
  join pg_namespace n on n.oid = c.relnamespace
  join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  join pg_type t on t.oid = a.atttypid
  left join pg_type et on et.oid = t.typelem and t.typcategory = 'A'
  left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
 where c.relkind in ('r', 'p') and n.nspname = any(%s) and not c.relispartition
 order by n.nspname, c.relname, a.attnum
"""

CONSTRAINTS = """
select n.nspname, c.relname, k.conname, k.contype,
       array(select a.attname::text from unnest(k.conkey) with ordinality u(num, i)
             join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.num order by u.i),
       fn.nspname || '.' || fc.relname,
       array(select a.attname::text from unnest(k.confkey) with ordinality u(num, i)
             join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.num order by u.i),
       pg_get_constraintdef(k.oid)
  from pg_constraint k
  join pg_class c on c.oid = k.conrelid
  join pg_namespace n on n.oid = c.relnamespace
  left join pg_class fc on fc.oid = k.confrelid
  left join pg_namespace fn on fn.oid = fc.relnamespace
 where k.contype in ('p', 'u', 'f', 'c') and n.nspname = any(%s)
 order by n.nspname, c.relname, k.conname
"""

UNIQUE_INDEXES = """
select n.nspname, c.relname, i.relname,
       array(select a.attname::text from unnest(x.indkey) with ordinality u(num, j)
             join pg_attribute a on a.attrelid = x.indrelid and a.attnum = u.num order by u.j),
       0 = any(x.indkey::int2[]), pg_get_expr(x.indpred, x.indrelid)
  from pg_index x
  join pg_class i on i.oid = x.indexrelid
  join pg_class c on c.oid = x.indrelid
  join pg_namespace n on n.oid = c.relnamespace
 where x.indisunique and n.nspname = any(%s)
   and not exists (select 1 from pg_constraint k where k.conindid = x.indexrelid)
 order by n.nspname, c.relname, i.relname
"""


def read_catalog(conn: psycopg.Connection, schemas: tuple[str, ...] = APP_SCHEMAS) -> dict[str, Table]:
    """Every table of ``schemas`` with what seeding needs, keyed by ``schema.table``."""
    tables: dict[str, Table] = {}
    for (schema, rel, col, typ, base, is_array, not_null, default, identity, generated, oid,
         labels) in conn.execute(COLUMNS, (list(schemas),)):
        table = tables.setdefault(f"{schema}.{rel}", Table(schema, rel, {}))
        table.columns[col] = Column(col, typ, base, is_array, not_null, default, identity, generated,
                                    tuple(labels), oid)
    for schema, rel, name, kind, cols, ref, ref_cols, definition in conn.execute(CONSTRAINTS, (list(schemas),)):
        table = tables.get(f"{schema}.{rel}")
        if table is None:
            continue
        if kind == "p":
            table.primary_key = tuple(cols)
            table.unique_keys.append(UniqueKey(name, tuple(cols), primary=True))
        elif kind == "u":
            table.unique_keys.append(UniqueKey(name, tuple(cols)))
        elif kind == "f":
            table.foreign_keys.append(ForeignKey(name, tuple(cols), ref, tuple(ref_cols)))
        else:
            table.checks[name] = definition
    for schema, rel, name, cols, has_expr, predicate in conn.execute(UNIQUE_INDEXES, (list(schemas),)):
        table = tables.get(f"{schema}.{rel}")
        if table is not None and not has_expr:
            table.unique_keys.append(UniqueKey(name, tuple(cols), predicate=predicate))
    for table in tables.values():
        table.rules = parse_checks(table.checks)
        _add_enum_choices(table)
        for key in table.unique_keys:
            if key.predicate:
                parse_predicate(key.predicate)  # validates early; used by the planner
    return tables


def _add_enum_choices(table: Table) -> None:
    """An enum-typed column is a closed set like a CHECK ``in (…)``: its labels are its choices."""
    for col in table.columns.values():
        if col.enum_labels and not table.rules.of(col.name).choices:
            table.rules.columns.setdefault(col.name, ColumnRule()).choices = col.enum_labels


def fk_order(tables: dict[str, Table]) -> list[str]:
    """Tables parents-first. A cycle is broken at a foreign key with a nullable column (left null:
    with MATCH SIMPLE one null column is enough)."""
    deps = {name: {p for p in t.parents() if p in tables and p != name} for name, t in tables.items()}
    order: list[str] = []
    done: set[str] = set()
    while len(order) < len(tables):
        ready = sorted(n for n in tables if n not in done and deps[n] <= done)
        if not ready:  # a cycle: start with a table whose not-null foreign keys are all satisfied
            stuck = sorted(n for n in tables if n not in done)
            ready = [next((n for n in stuck if _hard_deps(tables[n], tables) <= done), stuck[0])]
        for name in ready:
            order.append(name)
            done.add(name)
    return order


def _hard_deps(table: Table, tables: dict[str, Table]) -> set[str]:
    return {fk.ref_table for fk in table.foreign_keys if fk.ref_table in tables and fk.ref_table != table.qualified
            and all(table.columns[c].not_null for c in fk.columns)}
