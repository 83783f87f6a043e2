"""What the RLS probe needs to know about each public table, read from the catalog.

For every table: its primary key, the columns an INSERT may list, the column that says who owns
a row (a foreign key to ``auth.users``) and the column that says which workspace it belongs to.
``sql/access_scopes.csv`` overrides or adds the row sets the expectations talk about (``own``,
``member``, ``member:editor``, ``published`` and table-specific ones).

Read in one query of its own rather than from ``nexus_kit.schema`` (the ERD's model), which keeps
neither GENERATED ALWAYS identity columns (an INSERT may not list them) nor partial unique indexes.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from nexus_kit.config import SQL_DIR
from nexus_kit.errors import ProbeError

SCOPES_FILE = SQL_DIR / "access_scopes.csv"
# When a table has several foreign keys to auth.users, the first of these names is its owner.
OWNER_PREFERENCE = ("user_id", "owner_id", "seller_id", "requester_id", "author_id", "reviewer_id",
                    "buyer_id", "created_by", "connected_by", "id")
MEMBER_OF = "(select m.workspace_id from public.workspace_memberships as m where m.user_id = :uid)"
WORKSPACE_RANKS = {"editor": "'owner', 'admin', 'editor'", "admin": "'owner', 'admin'", "owner": "'owner'"}


@dataclass(frozen=True)
class TableInfo:
    name: str
    pk: tuple[str, ...]
    insert_columns: tuple[str, ...]
    owner_col: str | None
    workspace_col: str | None
    sets: dict[str, str] = field(default_factory=dict)  # named row set -> SQL predicate (":uid" = the user)
    nullable: frozenset[str] = frozenset()
    fk_columns: frozenset[str] = frozenset()
    unique_text: tuple[str, ...] = ()  # text columns in unique indexes (renamed when a row is copied)

    @property
    def pk_sql(self) -> str:
        cols = ", ".join(f"t.{_q(c)}" for c in self.pk)
        return f"({cols})::text" if len(self.pk) > 1 else f"t.{_q(self.pk[0])}::text"

    @property
    def scope(self) -> str | None:
        """What 'on someone else's behalf' varies for inserts: the workspace, the owner, or nothing.

        A workspace itself (its workspace column is its own key) is added by its owner: "own"."""
        if self.workspace_col and self.pk != (self.workspace_col,):
            return "member"
        if "own" in self.sets:
            return "own"
        return None

    @property
    def insert_as(self) -> str | None:
        """The column an insert sets to the acting user (scopes file: set '@insert_as'; '' for none)."""
        column = self.sets.get("@insert_as", self.owner_col)
        return column if column and column in self.insert_columns else None

    @property
    def qualified(self) -> str:
        return f"public.{_q(self.name)}"


def _q(ident: str) -> str:
    return '"' + ident.replace('"', '""') + '"'


_TABLES_SQL = """
select c.relname,
       (select array_agg(a.attname order by k.ord) from unnest(i.indkey) with ordinality as k(attnum, ord)
          join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum) as pk,
       (select array_agg(a.attname order by a.attnum) from pg_attribute a
         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
           and a.attgenerated = '' and a.attidentity <> 'a') as insert_columns,
       (select coalesce(array_agg(a.attname), '{}') from pg_attribute a
         where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and not a.attnotnull) as nullable,
       (select coalesce(array_agg(distinct a.attname), '{}') from pg_index x
          join pg_attribute a on a.attrelid = c.oid and a.attnum = any(x.indkey)
         where x.indrelid = c.oid and x.indisunique and not x.indisprimary
           and a.atttypid = 'text'::regtype) as unique_text,
       (select coalesce(array_agg(distinct a.attname), '{}') from pg_constraint f
          join pg_attribute a on a.attrelid = c.oid and a.attnum = any(f.conkey)
         where f.conrelid = c.oid and f.contype = 'f') as fk_columns,
       (select array_agg(a.attname order by a.attnum) from pg_constraint f
          join pg_attribute a on a.attrelid = c.oid and a.attnum = f.conkey[1]
         where f.conrelid = c.oid and f.contype = 'f' and cardinality(f.conkey) = 1
           and f.confrelid = 'auth.users'::regclass) as user_fks,
       (select a.attname from pg_constraint f join pg_attribute a on a.attrelid = c.oid and a.attnum = f.conkey[1]
         where f.conrelid = c.oid and f.contype = 'f' and f.confrelid = 'public.workspaces'::regclass
           and a.attname = 'workspace_id' limit 1) as workspace_col
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
left join pg_index i on i.indrelid = c.oid and i.indisprimary
where n.nspname = 'public' and c.relkind in ('r', 'p')
order by c.relname
"""


def read_scopes(path: Path | None = None) -> dict[str, dict[str, str]]:
    """table -> {set name -> predicate} from sql/access_scopes.csv (lines starting with # are notes)."""
    path = path or SCOPES_FILE
    if not path.exists():
        return {}
    with path.open(newline="") as fh:
        rows = csv.DictReader(line for line in fh if line.strip() and not line.startswith("#"))
        scopes: dict[str, dict[str, str]] = {}
        for row in rows:
            scopes.setdefault(row["table"].strip(), {})[row["set"].strip()] = row["predicate"].strip()
    return scopes


def read_tables(conn: psycopg.Connection, scopes_path: Path | None = None) -> dict[str, TableInfo]:
    """Every public table the probe covers, with its row sets."""
    if conn.execute("select to_regclass('public.workspaces')").fetchone()[0] is None:
        raise ProbeError("no public.workspaces table: the schema is not migrated. Run `nexus-kit migrate` first")
    scopes = read_scopes(scopes_path)
    tables: dict[str, TableInfo] = {}
    for name, pk, insert_cols, nullable, unique_text, fks, user_fks, workspace_col in conn.execute(_TABLES_SQL):
        if not pk:
            raise ProbeError(f"table public.{name} has no primary key: the probe cannot name its rows. Add one")
        owner = next((c for c in OWNER_PREFERENCE if c in (user_fks or [])), (user_fks or [None])[0])
        if name == "workspaces":
            workspace_col = "id"
        sets = _default_sets(owner, workspace_col)
        sets.update(scopes.get(name, {}))
        if "@insert_as" in sets:
            sets["@insert_as"] = sets["@insert_as"].strip()
        tables[name] = TableInfo(name, tuple(pk), tuple(insert_cols), owner, workspace_col, sets,
                                 frozenset(nullable), frozenset(fks), tuple(sorted(unique_text)))
    return tables


def _default_sets(owner: str | None, workspace_col: str | None) -> dict[str, str]:
    sets = {"published": "false"}
    if owner:
        sets["own"] = f"{_q(owner)} = :uid"
    if workspace_col:
        sets["member"] = f"{_q(workspace_col)} in {MEMBER_OF}"
        for role, ranks in WORKSPACE_RANKS.items():  # member:editor = workspaces where they are editor or above
            sets[f"member:{role}"] = f"{_q(workspace_col)} in {MEMBER_OF[:-1]} and m.role in ({ranks}))"
    return sets
