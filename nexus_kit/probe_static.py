"""The access matrix as the catalog states it, before anything runs.

Per table × role × operation, in this order:

1. no privilege (table or any column, through role membership too) → ``denied``;
2. the role is superuser or BYPASSRLS, or owns the table (directly or by inheritance) without
   FORCE ROW LEVEL SECURITY, or RLS is off → ``all``;
3. no PERMISSIVE policy for the command applies to the role (policies to PUBLIC, to the role or to
   a role it inherits from) → ``none`` (for insert: ``denied``, the row fails the check);
4. otherwise ``policy-filtered``; RESTRICTIVE policies are AND-ed in and only narrow it further,
   and a restrictive policy that is literally ``false`` makes it ``none``.

The probe compares every measured cell with this verdict and flags disagreements.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import psycopg

from nexus_kit.probe_expect import OPS

ROLES = ("anon", "authenticated", "service_role")

_SQL = """
with roles as (select unnest(%s::text[]) as rolname),
ops as (select * from (values ('select', 'SELECT', 'r'), ('insert', 'INSERT', 'a'), ('update', 'UPDATE', 'w'),
                              ('delete', 'DELETE', 'd')) as v(op, priv, cmd)),
tabs as (select c.oid, c.relname, c.relowner, c.relrowsecurity, c.relforcerowsecurity
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = 'public' and c.relkind in ('r', 'p')),
pol as (select p.polrelid, p.polcmd, p.polpermissive, p.polroles,
               coalesce(pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid)) as expr
        from pg_policy p)
select t.relname, r.rolname, o.op,
       case when o.op = 'delete' then has_table_privilege(r.rolname, t.oid, o.priv)
            else has_any_column_privilege(r.rolname, t.oid, o.priv) end as granted,
       (select a.rolsuper or a.rolbypassrls from pg_roles a where a.rolname = r.rolname) as bypass,
       pg_has_role(r.rolname, t.relowner, 'USAGE') as owner,
       t.relrowsecurity, t.relforcerowsecurity,
       count(p.*) filter (where p.polpermissive) as permissive,
       count(p.*) filter (where not p.polpermissive) as restrictive,
       bool_or(not p.polpermissive and p.expr = 'false') as restrictive_false
from tabs t cross join roles r cross join ops o
left join pol p on p.polrelid = t.oid and p.polcmd in (o.cmd, '*')
  and (0 = any(p.polroles) or exists (select 1 from unnest(p.polroles) as pr(oid)
                                      where pr.oid <> 0 and pg_has_role(r.rolname, pr.oid, 'USAGE')))
group by t.relname, r.rolname, o.op, o.priv, t.oid, t.relowner, t.relrowsecurity, t.relforcerowsecurity
order by 1, 2, 3
"""


@dataclass(frozen=True)
class Verdict:
    label: str  # denied | all | none | policy-filtered
    reason: str


@dataclass(frozen=True)
class StaticMatrix:
    """(table, role, op) -> Verdict, from grants, RLS flags, policies and role membership."""

    verdicts: dict[tuple[str, str, str], Verdict]
    roles: tuple[str, ...]

    def get(self, key: tuple[str, str, str]) -> Verdict | None:
        return self.verdicts.get(key)

    def to_frame(self):
        import pandas as pd

        rows = [{"table": t, "role": r, "op": o, "verdict": v.label, "reason": v.reason}
                for (t, r, o), v in sorted(self.verdicts.items())]
        return pd.DataFrame(rows, columns=["table", "role", "op", "verdict", "reason"])

    def __repr__(self) -> str:
        tables = sorted({t for t, _, _ in self.verdicts})
        lines = [f"StaticMatrix: {len(tables)} tables × {len(self.roles)} roles × {len(OPS)} operations"]
        for table in tables:
            for role in self.roles:
                cells = " ".join(f"{op}={self.verdicts[(table, role, op)].label}" for op in OPS
                                 if (table, role, op) in self.verdicts)
                lines.append(f"  {table:<30} {role:<14} {cells}")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return self.to_frame().to_html(index=False, escape=True) if self.verdicts else html.escape(repr(self))


def static_matrix(conn: psycopg.Connection, roles: tuple[str, ...] = ROLES) -> StaticMatrix:
    verdicts = {}
    for table, role, op, granted, bypass, owner, rls, force, permissive, restrictive, rfalse in conn.execute(
            _SQL, (list(roles),)):
        verdicts[(table, role, op)] = _verdict(op, granted, bypass, owner, rls, force, permissive,
                                               restrictive, rfalse)
    return StaticMatrix(verdicts, tuple(roles))


def _verdict(op, granted, bypass, owner, rls, force, permissive, restrictive, rfalse) -> Verdict:
    if not granted:
        return Verdict("denied", f"no {op} privilege")
    if bypass:
        return Verdict("all", "role bypasses RLS")
    if not rls:
        return Verdict("all", "RLS is off")
    if owner and not force:
        return Verdict("all", "role owns the table and RLS is not forced")
    if not permissive:
        return Verdict("denied" if op == "insert" else "none", f"no permissive {op} policy for the role")
    if rfalse:
        return Verdict("denied" if op == "insert" else "none", "a restrictive policy is always false")
    suffix = f", {restrictive} restrictive" if restrictive else ""
    return Verdict("policy-filtered", f"{permissive} permissive{suffix}")


def persona_role(persona: str) -> str:
    return persona if persona in ("anon", "service_role") else "authenticated"


def static_verdict(verdict: Verdict | None, cell) -> bool:
    """Does the measured cell agree with what the catalog says?"""
    if verdict is None or cell.measured == "n/a":
        return True
    by_grant = cell.measured == "denied" and "grant" in (cell.detail or "")
    if verdict.label == "denied":
        return cell.measured == "denied" if cell.op == "insert" else by_grant
    if by_grant:
        return False
    if verdict.label == "all":
        if cell.op == "insert":
            return cell.measured in ("all", "n/a")
        return cell.rows == cell.total
    if verdict.label == "none":
        return cell.measured in ("denied", "n/a") if cell.op == "insert" else cell.rows == 0
    return True
