"""Measure one table: what each persona can read, insert, update and delete, on the real rows.

Every case runs in its own savepoint on the caller's transaction and is rolled back: first any
preparation as the connecting (privileged) role, then ``set_config('role')`` and
``set_config('request.jwt.claims')`` exactly as PostgREST does, then one set-based statement.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

import psycopg

from nexus_kit.errors import ProbeError
from nexus_kit.impersonate import api_key_claims, claims_for
from nexus_kit.probe_model import TableInfo, _q

MAX_INSERT_ATTEMPTS = 10


@dataclass(frozen=True)
class Actor:
    key: str
    role: str
    claims: str
    uid: str | None

    @property
    def set_sql(self) -> str:
        """PostgREST's per-request settings, as one statement with the values inlined (one round trip)."""
        return (f"select set_config('role', {_literal(self.role)}, true), "
                f"set_config('request.jwt.claims', {_literal(self.claims)}, true)")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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
    every = frozenset(rows)
    sets = {}
    for actor in people:  # one scan per persona: with the user id a constant, subqueries are hashed once
        sets[actor.key] = {"all": every, "none": frozenset(),
                           **dict(zip(names, row_sets(conn, info, names, actor.uid), strict=True))}
    return Snapshot(rows, sets)


def row_sets(conn: psycopg.Connection, info: TableInfo, names: list[str], uid: str | None) -> list[frozenset[str]]:
    """For each named set, the rows in it for the user `uid` (None: anon, service role)."""
    preds = ", ".join(f"coalesce(({predicate_sql(info.sets[n])}), false)" for n in names)
    found: list[set[str]] = [set() for _ in names]
    try:
        result = conn.execute(f"select {info.pk_sql}, {preds} from {info.qualified} as t", {"uid": uid})
    except psycopg.Error as exc:
        raise ProbeError(f"a row set of {info.name} in sql/access_scopes.csv does not run: "
                         f"{exc.diag.message_primary}. Fix the predicate") from None
    for pk, *flags in result:
        for i, flag in enumerate(flags):
            if flag:
                found[i].add(pk)
    return [frozenset(f) for f in found]


def predicate_sql(predicate: str, param: str = "uid") -> str:
    """A scopes-file predicate with :uid as the psycopg parameter ``param``."""
    return predicate.replace("%", "%%").replace(":uid", f"%({param})s::uuid")


def run_as(conn: psycopg.Connection, actor: Actor, sql: str, params=(), prep: tuple = ()) -> Outcome:
    """One case in a rolled-back savepoint: privileged prep, then the statement as the actor."""
    conn.execute("savepoint nexus_probe")
    try:
        try:
            for statement, args in prep:
                conn.execute(statement, args)
        except psycopg.Error as exc:
            return Outcome(None, exc.sqlstate, "prep")
        conn.execute(actor.set_sql)
        cur = conn.execute(sql, params)
        if cur.description is None:
            return Outcome(frozenset({"inserted"}) if cur.rowcount == 1 else frozenset())
        return Outcome(frozenset(r[0] for r in cur.fetchall()))
    except psycopg.Error as exc:
        return Outcome(None, exc.sqlstate, _denied_by(exc))
    finally:  # one round trip: undo everything the case did, role and claims included
        conn.execute("rollback to savepoint nexus_probe; release savepoint nexus_probe")


def _denied_by(exc: psycopg.Error) -> str | None:
    if exc.sqlstate != "42501":
        return None
    message = exc.diag.message_primary or ""
    if message.startswith("permission denied"):
        return "grant"
    return "rls" if "row-level security" in message else "check"


def measure(conn: psycopg.Connection, info: TableInfo, actor: Actor, snap: Snapshot,
            retry_denied: bool = True, tries: int = 4) -> dict[str, Outcome]:
    """select, update and delete (set-based) and insert (own, and on someone else's behalf).

    update: the rows an UPDATE can reach, read with SELECT … FOR UPDATE, which applies exactly the
    SELECT and UPDATE policies' USING clauses (and needs the UPDATE privilege) without writing or
    firing triggers. WITH CHECK clauses are exercised by the insert attempts.

    An insert tries up to ``tries`` different rows (rows that cannot be prepared are skipped);
    with ``retry_denied`` a refusal also moves on to the next row (for policies whose check looks
    at other rows, e.g. "only buyers review"), else the first refusal is the answer.
    """
    pk = info.pk_sql
    out = {
        "select": run_as(conn, actor, f"select {pk} from {info.qualified} as t"),
        "update": run_as(conn, actor, f"select {pk} from {info.qualified} as t for update"),
        "delete": _write(conn, actor, info, snap, f"delete from {info.qualified} as t"),
    }
    own, other = insert_templates(info, snap, actor, tries)
    out["insert_own"] = _insert_any(conn, actor, info, own, retry_denied)
    out["insert_other"] = _insert_any(conn, actor, info, other, False)  # someone else's row: one refusal says it
    return out


def _write(conn, actor: Actor, info: TableInfo, snap: Snapshot, statement: str) -> Outcome:
    whole = run_as(conn, actor, f"{statement} returning {info.pk_sql}")
    if whole.ok or whole.denied_by == "grant" or not snap.rows:
        return whole
    # Some row broke the whole statement (a foreign key, a with-check): bisect to find the rows that pass.
    affected, failures = _bisect(conn, actor, info, statement, sorted(snap.rows))
    if not affected and failures:
        return failures[0]
    return Outcome(frozenset(affected))


def _bisect(conn, actor: Actor, info: TableInfo, statement: str, keys: list[str]) -> tuple[set[str], list[Outcome]]:
    got = run_as(conn, actor, f"{statement} where {info.pk_sql} = any(%s) returning {info.pk_sql}", (keys,))
    if got.ok:
        return set(got.rows), []
    if len(keys) == 1:
        if got.sqlstate and not got.sqlstate.startswith("42"):
            return set(keys), []  # the policies let it through; a constraint or trigger stopped it
        return set(), [got]
    half = len(keys) // 2
    left, lf = _bisect(conn, actor, info, statement, keys[:half])
    right, rf = _bisect(conn, actor, info, statement, keys[half:])
    return left | right, lf + rf


def insert_templates(info: TableInfo, snap: Snapshot, actor: Actor, tries: int = 1) -> tuple[list[dict], list[dict]]:
    """Rows to re-insert as the actor: their own (or in their workspace), and someone else's."""
    scope = info.scope
    # Plainest rows first (fewest flags set, fewest optional values): a flag such as is_hidden or
    # is_official is what triggers refuse to API users; rows a user wrote (owner set) before platform rows.
    ordered = sorted(snap.rows, key=lambda k: _plainness(snap.rows[k], info.owner_col) + (k,))
    if scope is None:
        return [], [snap.rows[k] for k in ordered[:tries]]
    setter = info.insert_as
    sets = snap.sets[actor.key]
    mine = sets.get(scope, frozenset())
    stronger = sets.get("member:editor", frozenset())  # where writers may write, first
    own = sorted((k for k in ordered if k in mine), key=lambda k: k not in stronger)
    # Rows in the persona's other row sets (their tickets' threads, published items, members they
    # manage, ...) carry the context a policy may check, so they are the next best templates.
    context = {k for name, keys in sets.items() if name not in ("all", "none", scope) for k in keys} - mine
    pools = [own, [k for k in ordered if k in context]]
    if info.sets.get("@insert_from"):  # the scopes file names the rows a persona may add from
        chosen = sets.get(info.sets["@insert_from"].strip(), frozenset())
        pools.insert(0, [k for k in ordered if k in chosen])
    if scope == "own" and setter:
        pools.append([k for k in ordered if k not in mine and k not in context])
    picked = _round_robin(pools, tries)
    others = [k for k in ordered if k not in mine][:1]
    other = [row for k in others for row in variants(info, snap.rows[k])]
    if actor.uid is None:
        return [], other
    own_rows = [{**row, setter: actor.uid} if setter else row
                for k in picked for row in variants(info, snap.rows[k])]
    if scope == "member" and setter:
        other = [{**row, setter: actor.uid} for row in other]
    return own_rows, other


def _round_robin(pools: list[list[str]], limit: int) -> list[str]:
    picked: list[str] = []
    for i in range(limit):
        for pool in pools:
            if i < len(pool) and pool[i] not in picked and len(picked) < limit:
                picked.append(pool[i])
    return picked


def variants(info: TableInfo, row: dict) -> list[dict]:
    """The row without its optional parts (flags false, nullable values null; then also nullable
    references), and as it is: the plainest row a user could write comes first."""
    keep = {*info.pk, info.owner_col, info.workspace_col, info.insert_as}
    out = []
    for drop in (info.nullable - info.fk_columns - keep, info.nullable - keep, frozenset()):
        candidate = {c: None if c in drop else False if (v is True and c not in keep and drop) else v
                     for c, v in row.items()}
        if candidate not in out:
            out.append(candidate)
    return out


def _plainness(row: dict, owner_col: str | None) -> tuple[int, int, int]:
    unowned = 1 if owner_col and not row.get(owner_col) else 0
    return unowned, sum(v is True for v in row.values()), sum(v is not None for v in row.values())


def _insert_any(conn, actor: Actor, info: TableInfo, rows: list[dict], retry_denied: bool) -> Outcome:
    """The first of these rows the actor manages to insert; else the most telling refusal."""
    refusals = []
    for row in rows:  # errors that are no answer (a constraint, a row that cannot be prepared) go on
        got = insert_row(conn, actor, info, row)
        if got.ok or got.denied_by == "grant" or (got.denied and not retry_denied):
            return got
        refusals.append(got)
        if len(refusals) >= MAX_INSERT_ATTEMPTS:
            break
    if not refusals:
        return SKIPPED
    denied = [r for r in refusals if r.denied]
    if denied:
        return denied[0]
    real = [r for r in refusals if r.denied_by != "prep"]
    return real[0] if real else SKIPPED


def insert_row(conn, actor: Actor, info: TableInfo, row: dict) -> Outcome:
    """Re-insert `row` as the actor: the original is deleted first (privileged, rolled back), or, when
    something still references it, kept under renamed unique values while a copy with a new key goes in."""
    cols = ", ".join(_q(c) for c in info.insert_columns)
    where = " and ".join(f"{_q(c)}::text = %s" for c in info.pk)
    key = tuple(str(row[c]) for c in info.pk)
    sql = (f"insert into {info.qualified} ({cols}) "
           f"select {cols} from jsonb_populate_record(null::{info.qualified}, %s::jsonb)")
    got = run_as(conn, actor, sql, (json.dumps(row),), ((f"delete from {info.qualified} where {where}", key),))
    if got.denied_by != "prep" or len(info.pk) != 1 or not info.unique_text:
        return got
    renames = ", ".join(f"{_q(c)} = {_q(c)} || '-nexus-probe'" for c in info.unique_text)
    copy = {**row, info.pk[0]: str(uuid.uuid4())}
    rename = (f"update {info.qualified} set {renames} where {where}", key)
    return run_as(conn, actor, sql, (json.dumps(copy),), (rename,))
