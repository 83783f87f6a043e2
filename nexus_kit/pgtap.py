"""Write the declared expectations as pgTAP tests, in the layout `supabase test db` runs.

One file per table, ``<dir>/rls_<table>.test.sql``::

    begin; create extension if not exists pgtap with schema extensions; select plan(N);
    … helpers in a schema created (and rolled back) by the file …
    set local role authenticated; select set_config('request.jwt.claims', …, true);
    select results_eq('select id::text from public.t order by 1', 'expected rows', '…');
    … select * from finish(); rollback;

Expected rows are computed inside the test from the row sets (``sql/access_scopes.csv``), and the
personas are found by email, so the tests hold on any database that has the cast and some rows.
Writes run in a helper that rolls itself back (a raised exception), like the probe's savepoints.
"""

from __future__ import annotations

from pathlib import Path

import psycopg

from nexus_kit.personas import BY_KEY
from nexus_kit.probe_expect import OPS, PERSONAS, Expectations, read_expectations, terms
from nexus_kit.probe_model import TableInfo, _q, read_tables
from nexus_kit.probe_static import persona_role

HEADER = ("-- Generated from sql/access_expectations.csv by `nexus-kit probe --pgtap DIR`\n"
          "-- (or `python -m nexus_kit.pgtap supabase/tests`): do not edit.\n")

HELPERS = r"""
create schema nexus_probe;
grant usage on schema nexus_probe to anon, authenticated, service_role;
create table nexus_probe.expected (persona text, op text, id text);
grant select on nexus_probe.expected to anon, authenticated, service_role;
create function nexus_probe.uid(email text) returns uuid language sql stable as
  $f$ select id from auth.users where lower(users.email) = lower(uid.email) $f$;
create function nexus_probe.claims(email text) returns text language sql stable as $f$
  select json_build_object('sub', u.id, 'role', 'authenticated', 'aud', 'authenticated', 'email', u.email,
    'app_metadata', u.raw_app_meta_data, 'user_metadata', u.raw_user_meta_data, 'is_anonymous', false)::text
  from auth.users u where lower(u.email) = lower(claims.email) $f$;
-- Run prep as the caller, then stmt as role/claims; roll it all back; return {"state", "ids"}.
create function nexus_probe.attempt(who text, claims text, stmt text, prep text default null,
                                    each text default null, keys text default null)
returns jsonb language plpgsql as $f$
declare ids text[] := '{}'; r record; k record; state text;
begin
  begin
    if prep is not null then
      begin execute prep;
      exception when others then return jsonb_build_object('state', 'skip', 'ids', '[]'::jsonb);
      end;
    end if;
    perform set_config('role', who, true), set_config('request.jwt.claims', claims, true);
    if stmt like 'insert%' then execute stmt; state := 'ok';
    else for r in execute stmt loop ids := ids || r.id::text; end loop; state := 'ok';
    end if;
    raise exception using errcode = 'NXP01';
  exception when sqlstate 'NXP01' then null;
            when others then state := sqlstate; ids := '{}';
  end;
  if state not like '42%' and state <> 'ok' and each is not null then
    -- A constraint (not a policy) broke the set-based statement: try the rows one by one; a row
    -- the policies let through counts even when a foreign key then refuses it (as the probe does).
    state := 'ok';
    for k in execute keys loop
      begin
        perform set_config('role', who, true), set_config('request.jwt.claims', claims, true);
        for r in execute each using k.id loop ids := ids || r.id::text; end loop;
        raise exception using errcode = 'NXP01';
      exception when sqlstate 'NXP01' then null;
                when others then if sqlstate not like '42%' then ids := ids || k.id::text; end if;
      end;
    end loop;
  end if;
  return jsonb_build_object('state', state, 'ids', to_jsonb(ids));
end $f$;
grant execute on all functions in schema nexus_probe to anon, authenticated, service_role;
"""


def write_pgtap(conn: psycopg.Connection, out: Path, *, expectations: Path | None = None) -> list[Path]:
    """Write one pgTAP file per table into `out`; return the files written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    expect = read_expectations(expectations)
    infos = read_tables(conn)
    written = []
    for name in sorted(infos):
        path = out / f"rls_{name}.test.sql"
        path.write_text(table_file(infos[name], expect))
        written.append(path)
    return written


def _uid(persona: str) -> str:
    if persona in ("anon", "service_role"):
        return "null::uuid"
    return f"nexus_probe.uid('{BY_KEY[persona].email}')"


def _claims(persona: str) -> str:
    if persona in ("anon", "service_role"):
        return f"'{{\"role\": \"{persona}\", \"iss\": \"supabase-demo\"}}'"
    return f"nexus_probe.claims('{BY_KEY[persona].email}')"


def label_sql(label: str, info: TableInfo, persona: str) -> str:
    """A label as a predicate on the table's row, for one persona."""
    sql = "false"
    for sign, name in terms(label):
        pred = {"all": "true", "none": "false"}.get(name) or info.sets[name]
        pred = f"coalesce(({pred.replace(':uid', _uid(persona))}), false)"
        sql = f"({sql} or {pred})" if sign == "+" else f"({sql} and not {pred})"
    return sql


def table_file(info: TableInfo, expect: Expectations) -> str:
    tests, setup = [], []
    for persona in PERSONAS:
        for op in OPS:
            label = expect.label(info.name, persona, op)
            if label is None:
                continue
            if op != "insert" and label != "denied":
                setup.append(f"insert into nexus_probe.expected select '{persona}', '{op}', {info.pk_sql} "
                             f"from {info.qualified} as t where {label_sql(label, info, persona)};")
            tests.extend(_tests(info, persona, op, label))
    body = "\n".join(tests)
    return (HEADER + "begin;\ncreate extension if not exists pgtap with schema extensions;\n"
            "set local search_path to public, extensions;\n"
            f"select plan({len(tests)});\n" + HELPERS + "\n".join(setup) + "\n\n" + body
            + "\n\nselect * from finish();\nrollback;\n")


def _expected(persona: str, op: str) -> str:
    return f"$e$select id from nexus_probe.expected where persona = '{persona}' and op = '{op}' order by 1$e$"


def _tests(info: TableInfo, persona: str, op: str, label: str) -> list[str]:
    what = f"{info.name}: {persona} {op} → {label}"
    role, claims = persona_role(persona), _claims(persona)
    if op == "select":
        query = f"$q$select {info.pk_sql} as id from {info.qualified} as t order by 1$q$"
        check = (f"select throws_ok({query}, '42501', null, '{what}');" if label == "denied"
                 else f"select results_eq({query}, {_expected(persona, op)}, '{what}');")
        return [f"select set_config('request.jwt.claims', {claims}, true);\nset local role {role};\n"
                f"{check}\nreset role;"]
    if op in ("update", "delete"):  # update: the rows an UPDATE reaches (SELECT and UPDATE USING), as the probe
        stmt = (f"select {info.pk_sql} as id from {info.qualified} as t for update" if op == "update"
                else f"delete from {info.qualified} as t returning {info.pk_sql} as id")
        each = (f"$e${stmt.replace(' returning', f' where {info.pk_sql} = $1 returning')}$e$"
                if op == "delete" else "null")
        keys = f"$k$select {info.pk_sql} as id from {info.qualified} as t$k$"
        call = f"nexus_probe.attempt('{role}', {claims}, $s${stmt}$s$, null, {each}, {keys})"
        if label == "denied":
            return [f"select is({call} ->> 'state', '42501', '{what}');"]
        return [f"select results_eq($r$select jsonb_array_elements_text({call} -> 'ids') order by 1$r$, "
                f"{_expected(persona, op)}, '{what}');"]
    return _insert_tests(info, persona, label, what)


# Plainest rows first, as the probe picks them (fewest flags set, fewest optional values): e.g. a question
# without an accepted answer, whose re-insert does not point at an answer its own delete removed.
PLAINEST = ("(select count(*) filter (where e.value = 'true') * 1000 + count(*) filter (where e.value <> 'null') "
            "from jsonb_each(to_jsonb(t)) as e)")


def _insert_tests(info: TableInfo, persona: str, label: str, what: str) -> list[str]:
    """Re-insert someone else's row as the persona (refused unless the value is ``all``); where the
    value is ``denied``, their own row too. A row that cannot be prepared (deleted first) is skipped."""
    role, claims = persona_role(persona), _claims(persona)
    scope = info.scope
    cols = ", ".join(_q(c) for c in info.insert_columns)
    own_pred = label_sql(scope, info, persona) if scope else "false"
    user = persona not in ("anon", "service_role")
    sides = [("someone else''s", f"not {own_pred}", label == "all")]
    if label == "denied" and user and scope:
        sides.append(("own", own_pred, False))
    where = " and ".join(f"{_q(c)}::text = (%L::jsonb ->> '{c}')" for c in info.pk)
    prep = f"delete from {info.qualified} where {where}"
    stmt = (f"insert into {info.qualified} ({cols}) "
            f"select {cols} from jsonb_populate_record(null::{info.qualified}, %L::jsonb)")
    tests = []
    for side, pred, want in sides:
        row = f"(select to_jsonb(t) from {info.qualified} as t where {pred} order by {PLAINEST}, {info.pk_sql} limit 1)"
        if info.insert_as and user and (side == "own" or scope == "member"):
            row = f"({row} || jsonb_build_object('{info.insert_as}', {_uid(persona)}))"
        states = "array['ok', 'skip']" if want else "array['42501', 'skip']"
        args = ", ".join("r.doc" for _ in info.pk)
        tests.append(
            f"select ok(coalesce((select nexus_probe.attempt('{role}', {claims}, format($s${stmt}$s$, r.doc), "
            f"format($p${prep}$p$, {args})) ->> 'state' from (select {row} as doc) as r where r.doc is not null)"
            f" = any({states}), true), '{what} ({side} row)');")
    return tests


if __name__ == "__main__":  # python -m nexus_kit.pgtap supabase/tests  (needs a migrated database)
    import sys

    from nexus_kit.db import connect

    with connect() as connection:
        files = write_pgtap(connection, Path(sys.argv[1] if len(sys.argv) > 1 else "supabase/tests"))
    print(f"wrote {len(files)} files")
