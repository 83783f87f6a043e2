"""Measure one table: what each persona can read, insert, update and delete, on the real rows.

Every case runs in its own savepoint on the caller's transaction and is rolled back: first any
preparation as the connecting (privileged) role, then ``set_config('role')`` and
``set_config('request.jwt.claims')`` exactly as PostgREST does, then one set-based statement.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import psycopg

from nexus_kit.errors import ProbeError
from nexus_kit.impersonate import api_key_claims, claims_for
from nexus_kit.probe_model import TableInfo, _q

SET_ACTOR = "select set_config('role', %s, true), set_config('request.jwt.claims', %s, true)"
FALLBACK_LIMIT = 400  # row-by-row retry of an update/delete that failed as a whole, up to this many rows


@dataclass(frozen=True)
class Actor:
    key: str
    role: str
    claims: str
    uid: str | None


@dataclass(frozen=True)
class Outcome:
    """Rows visible or affected (None on error), the SQLSTATE and why it was refused."""

    rows: frozenset[str] | None
    sqlstate: str | None = None
    denied_by: str | None = None  # grant | rls | check (a trigger) | None
    skipped: bool = False

    @property
    def ok(self) -> bool:
        return self.rows is not None

    @property
    def denied(self) -> bool:
        return self.sqlstate == "42501"


SKIPPED = Outcome(None, skipped=True)


@dataclass
class Snapshot:
    """The table's rows as the privileged role sees them, and each persona's named row sets."""

    rows: dict[str, dict]
    sets: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)  # persona -> set name -> pks


def actors(conn: psycopg.Connection, keys) -> list[Actor]:
    out = []
    for key in keys:
        if key in ("anon", "service_role"):
            out.append(Actor(key, key, json.dumps(api_key_claims(key)), None))
            continue
        claims = claims_for(conn, key)
        if conn.execute("select 1 from auth.users where id = %s", (claims["sub"],)).fetchone() is None:
            raise ProbeError(f"persona {key!r} has no user in auth.users: run `nexus-kit seed-users` (or `up`) first")
        out.append(Actor(key, claims["role"], json.dumps(claims), claims["sub"]))
    return out


def snapshot(conn: psycopg.Connection, info: TableInfo, people: list[Actor]) -> Snapshot:
    rows = {pk: doc for pk, doc in conn.execute(f"select {info.pk_sql}, to_jsonb(t) from {info.qualified} as t")}
    names = sorted(n for n in info.sets if not n.startswith("@"))
    preds = ", ".join(f"coalesce(({info.sets[n].replace(':uid', 'p._probe_uid')}), false)" for n in names)
    sql = (f"select {info.pk_sql}, p._probe_key, {preds} from {info.qualified} as t "
           "cross join unnest(%s::text[], %s::uuid[]) as p(_probe_key, _probe_uid)")
    found: dict[str, dict[str, set[str]]] = {a.key: {n: set() for n in names} for a in people}
    try:
        result = conn.execute(sql, ([a.key for a in people], [a.uid for a in people])).fetchall()
    except psycopg.Error as exc:
        raise ProbeError(f"a row set of {info.name} in sql/access_scopes.csv does not run: "
                         f"{exc.diag.message_primary}. Fix the predicate") from None
    for pk, key, *flags in result:
        for name, flag in zip(names, flags, strict=True):
            if flag:
                found[key][name].add(pk)
    every = frozenset(rows)
    sets = {key: {"all": every, "none": frozenset(), **{n: frozenset(v) for n, v in named.items()}}
            for key, named in found.items()}
    return Snapshot(rows, sets)


def run_as(conn: psycopg.Connection, actor: Actor, sql: str, params=(), prep: tuple = ()) -> Outcome:
    """One case in a rolled-back savepoint: privileged prep, then the statement as the actor."""
    try:
        with conn.transaction(force_rollback=True):
            for statement, args in prep:
                conn.execute(statement, args)
            conn.execute(SET_ACTOR, (actor.role, actor.claims))
            cur = conn.execute(sql, params)
            if cur.description is None:
                return Outcome(frozenset({"inserted"}) if cur.rowcount == 1 else frozenset())
            return Outcome(frozenset(r[0] for r in cur.fetchall()))
    except psycopg.Error as exc:
        return Outcome(None, exc.sqlstate, _denied_by(exc))


def _denied_by(exc: psycopg.Error) -> str | None:
    if exc.sqlstate != "42501":
        return None
    message = exc.diag.message_primary or ""
    if message.startswith("permission denied"):
        return "grant"
    return "rls" if "row-level security" in message else "check"


def measure(conn: psycopg.Connection, info: TableInfo, actor: Actor, snap: Snapshot) -> dict[str, Outcome]:
    """select, update and delete (set-based) and insert (own, and on someone else's behalf)."""
    pk = info.pk_sql
    col = _q(info.update_col.get(actor.role) or _first_non_key(info))
    out = {
        "select": run_as(conn, actor, f"select {pk} from {info.qualified} as t"),
        "update": _write(conn, actor, info, snap, f"update {info.qualified} as t set {col} = t.{col}"),
        "delete": _write(conn, actor, info, snap, f"delete from {info.qualified} as t"),
    }
    own, other = insert_templates(info, snap, actor)
    out["insert_own"] = insert_row(conn, actor, info, own)
    out["insert_other"] = insert_row(conn, actor, info, other)
    return out


def _first_non_key(info: TableInfo) -> str:
    return next((c for c in info.insert_columns if c not in info.pk), info.pk[0])


def _write(conn, actor: Actor, info: TableInfo, snap: Snapshot, statement: str) -> Outcome:
    whole = run_as(conn, actor, f"{statement} returning {info.pk_sql}")
    if whole.ok or whole.denied_by == "grant" or len(snap.rows) > FALLBACK_LIMIT:
        return whole
    # One row broke the whole statement (a foreign key, a with-check): try the rows one by one.
    where = " and ".join(f"t.{_q(c)}::text = %s" for c in info.pk) if len(info.pk) == 1 else f"{info.pk_sql} = %s"
    affected, states = set(), set()
    for key in sorted(snap.rows):
        one = run_as(conn, actor, f"{statement} where {where} returning {info.pk_sql}", (key,))
        if one.ok:
            affected |= one.rows
        elif one.sqlstate and not one.sqlstate.startswith("42"):
            affected.add(key)  # the policies let it through; a constraint or trigger stopped it
        else:
            states.add((one.sqlstate, one.denied_by))
    if not affected and states:
        sqlstate, denied_by = sorted(states, key=str)[0]
        return Outcome(None, sqlstate, denied_by)
    return Outcome(frozenset(affected))


def insert_templates(info: TableInfo, snap: Snapshot, actor: Actor) -> tuple[dict | None, dict | None]:
    """Rows to re-insert as the actor: one of their own (or in their workspace), one of someone else."""
    scope = "own" if info.name == "workspaces" else info.scope
    ordered = sorted(snap.rows)
    if scope is None:
        return None, (snap.rows[ordered[0]] if ordered else None)
    setter = info.insert_as
    # Prefer rows a user wrote (owner set) over platform rows (owner null, often curated or official).
    authored = [k for k in ordered if info.owner_col and snap.rows[k].get(info.owner_col)] or ordered
    ordered = authored + [k for k in ordered if k not in authored]
    mine = snap.sets[actor.key].get(scope, frozenset())
    own = next((snap.rows[k] for k in ordered if k in mine), None)
    if own is None and scope == "own" and setter and ordered:
        own = snap.rows[ordered[0]]
    other = next((snap.rows[k] for k in ordered if k not in mine), None)
    if actor.uid is None:
        return None, other
    if own is not None and setter:
        own = {**own, setter: actor.uid}
    if other is not None and scope == "member" and setter:
        other = {**other, setter: actor.uid}
    return own, other


def insert_row(conn, actor: Actor, info: TableInfo, row: dict | None) -> Outcome:
    if row is None:
        return SKIPPED
    cols = ", ".join(_q(c) for c in info.insert_columns)
    where = " and ".join(f"{_q(c)}::text = %s" for c in info.pk)
    prep = ((f"delete from {info.qualified} where {where}", tuple(str(row[c]) for c in info.pk)),)
    sql = (f"insert into {info.qualified} ({cols}) "
           f"select {cols} from jsonb_populate_record(null::{info.qualified}, %s::jsonb)")
    return run_as(conn, actor, sql, (json.dumps(row),), prep)
