"""Isolation fuzzing: random pairs of users (A, B) × table × operation.

For each case, A acts on B's rows (rows B owns, or rows of B's workspaces) exactly as the probe
does: reads them, updates and deletes them, re-inserts one of them on B's behalf. A row of B that
A reaches beyond what ``sql/access_expectations.csv`` allows A is a leak. A user who is not one of
the cast is allowed what any regular persona is allowed (plus their platform role's persona).
"""

from __future__ import annotations

import html
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from nexus_kit.errors import ProbeError
from nexus_kit.impersonate import user_claims
from nexus_kit.personas import CAST, PLATFORM_ROLES
from nexus_kit.probe_cases import Actor, insert_row, predicate_sql, run_as
from nexus_kit.probe_expect import OPS, read_expectations, row_set
from nexus_kit.probe_model import TableInfo, read_tables

REGULAR = tuple(p.key for p in CAST if not p.platform_role)  # personas whose rights any signed-in user has


@dataclass(frozen=True)
class Leak:
    a: str
    b: str
    table: str
    op: str
    rows: int

    def __str__(self) -> str:
        return f"{self.a} {self.op} {self.rows} row(s) of {self.b} in {self.table}"


@dataclass
class FuzzReport:
    cases: int
    exercised: int  # cases in which B had rows in the table
    seed: int
    leaks: list[Leak] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.leaks

    def to_dict(self) -> dict:
        return {"cases": self.cases, "exercised": self.exercised, "seed": self.seed,
                "leaks": [vars(leak) for leak in self.leaks]}

    def __repr__(self) -> str:
        head = (f"FuzzReport: {self.cases} cases (seed {self.seed}), {self.exercised} on rows of B, "
                f"{len(self.leaks)} leaks")
        return "\n".join([head, *(f"  ✗ {leak}" for leak in self.leaks)])

    def _repr_html_(self) -> str:
        return "<pre>" + html.escape(repr(self)) + "</pre>"


@dataclass(frozen=True)
class User:
    id: str
    claims: str
    personas: tuple[str, ...]  # whose expectations apply


def fuzz(conn: psycopg.Connection, *, cases: int = 1000, seed: int = 0, tables=None,
         expectations: Path | None = None, scopes: Path | None = None) -> FuzzReport:
    """Try `cases` random (A, B, table, operation) cases; report every row of B that A reaches beyond its rights."""
    rng = random.Random(seed)
    expect = read_expectations(expectations)
    report = FuzzReport(cases, 0, seed)
    with conn.transaction(force_rollback=True):
        conn.execute("select set_config('search_path', 'public, extensions', true)")
        infos = read_tables(conn, scopes)
        names = sorted(tables or infos)
        people = _users(conn)
        for _ in range(cases):
            a, b = rng.sample(people, 2)
            table, op = rng.choice(names), rng.choice(OPS)
            leak, exercised = _case(conn, infos[table], a, b, op, expect, rng)
            report.exercised += exercised
            if leak:
                report.leaks.append(leak)
    return report


def _users(conn: psycopg.Connection) -> list[User]:
    cast = {p.email.lower(): p.key for p in CAST}
    out = []
    for uid, email, app_meta, user_meta in conn.execute(
            "select id, lower(email), raw_app_meta_data, raw_user_meta_data from auth.users order by id"):
        role = (app_meta or {}).get("platform_role")
        keys = (cast[email],) if email in cast else REGULAR + ((role,) if role in PLATFORM_ROLES else ())
        claims = user_claims(uid, email=email or "", app_metadata=app_meta, user_metadata=user_meta)
        out.append(User(str(uid), json.dumps(claims), keys))
    if len(out) < 2:
        raise ProbeError("fuzzing needs at least two users in auth.users: run `nexus-kit seed-users` first")
    return out


def _case(conn, info: TableInfo, a: User, b: User, op: str, expect, rng) -> tuple[Leak | None, int]:
    rows = _rows_of(conn, info, a, b)
    if not rows:
        return None, 0
    actor = Actor(a.personas[0], "authenticated", a.claims, a.id)
    allowed = _allowed(info, a, op, rows, expect)
    keys = sorted(rows)
    if op == "insert":  # B's row, re-inserted as it is by A: allowed only where A's rights cover it
        key = rng.choice(keys)
        doc = conn.execute(f"select to_jsonb(t) from {info.qualified} as t where {info.pk_sql} = %s",
                           (key,)).fetchone()[0]
        got = insert_row(conn, actor, info, doc)
        reached = 1 if got.ok and got.rows and key not in allowed else 0
    else:
        where = f"where {info.pk_sql} = any(%s)"
        sql = {"select": f"select {info.pk_sql} from {info.qualified} as t {where}",
               "update": f"select {info.pk_sql} from {info.qualified} as t {where} for update",
               "delete": f"delete from {info.qualified} as t {where} returning {info.pk_sql}"}[op]
        got = run_as(conn, actor, sql, (keys,))
        reached = len((got.rows or frozenset()) - allowed)
    return (Leak(a.id, b.id, info.name, op, reached) if reached else None), 1


def _rows_of(conn, info: TableInfo, a: User, b: User) -> dict[str, dict[str, bool]]:
    """B's rows in the table, each with A's named row sets it belongs to."""
    mine = [info.sets[n] for n in ("own", "member") if n in info.sets]
    if not mine:
        return {}
    names = sorted(n for n in info.sets if not n.startswith("@"))
    flags = ", ".join(f"coalesce(({predicate_sql(info.sets[n], 'a')}), false)" for n in names)
    of_b = " or ".join(f"coalesce(({predicate_sql(p, 'b')}), false)" for p in mine)
    sql = f"select {info.pk_sql}, {flags} from {info.qualified} as t where {of_b}"
    return {pk: dict(zip(names, vals, strict=True)) for pk, *vals in conn.execute(sql, {"a": a.id, "b": b.id})}


def _allowed(info: TableInfo, a: User, op: str, rows: dict, expect) -> frozenset[str]:
    """B's rows that A's expectations cover (insert: rows A may add, by the scope its value names)."""
    every = frozenset(rows)
    sets = {"all": every, "none": frozenset()}
    for name in next(iter(rows.values()), {}):
        sets[name] = frozenset(k for k, f in rows.items() if f[name])
    allowed: frozenset[str] = frozenset()
    for persona in a.personas:
        label = expect.label(info.name, persona, op)
        if label is None or label == "denied":
            continue
        allowed |= sets.get(label, frozenset()) if op == "insert" else row_set(label, sets)
    return allowed
