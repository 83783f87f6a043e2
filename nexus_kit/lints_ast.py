"""Lints that read policy expressions as syntax trees (pglast), not as strings.

splinter judges ``auth_rls_initplan`` by substring: one ``(select auth.uid())`` in a policy hides
an unwrapped ``auth.uid()`` next to it, a call wrapped inside a correlated sub-query is taken as
wrapped, ``current_setting()`` is not looked at, and STABLE helper functions called once per row
go unseen. Here every call is judged on its own: it must sit in a FROM-less, uncorrelated
sub-select, which PostgreSQL runs once per statement as an InitPlan.

Expressions are deparsed with ``search_path = ''`` (the caller sets it), so every function outside
pg_catalog comes back schema-qualified and can be looked up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pglast
import psycopg
from pglast import ast
from pglast.enums import BoolExprType, NullTestType
from pglast.stream import RawStream
from psycopg.rows import dict_row

from nexus_kit.lint_report import Finding

AUTH_FUNCTIONS = frozenset({("auth", "uid"), ("auth", "jwt"), ("auth", "role"), ("auth", "email")})
SETTING_FUNCTIONS = frozenset({("current_setting",), ("pg_catalog", "current_setting")})
SYSTEM_SCHEMAS = (
    "information_schema", "auth", "extensions", "storage", "realtime", "vault", "graphql", "graphql_public",
    "supabase_functions", "supabase_migrations", "nexus_kit", "cron", "net", "pgsodium", "pgsodium_masks",
    "pgbouncer", "pgtle", "pgmq", "repack", "topology", "tiger",
)

POLICIES_SQL = """
select n.nspname as schema_name, c.relname as table_name, p.polname as policy_name,
       c.relrowsecurity as rls_enabled, p.polpermissive as permissive,
       case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE'
                     when 'd' then 'DELETE' else 'ALL' end as command,
       array(select case when r = 0 then 'public' else r::regrole::text end
               from unnest(p.polroles) as r order by r) as roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) as qual,
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) as with_check
from pg_catalog.pg_policy p
join pg_catalog.pg_class c on c.oid = p.polrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where n.nspname not like 'pg\\_%%' and n.nspname <> all(%(system)s)
order by 1, 2, 3
"""

# (schema, name) of every function outside pg_catalog that is not IMMUTABLE in some overload
VOLATILE_FUNCTIONS_SQL = """
select distinct n.nspname, p.proname
from pg_catalog.pg_proc p
join pg_catalog.pg_namespace n on n.oid = p.pronamespace
where n.nspname <> 'pg_catalog' and p.provolatile <> 'i'
"""


@dataclass(frozen=True)
class Policy:
    schema_name: str
    table_name: str
    policy_name: str
    rls_enabled: bool
    permissive: bool
    command: str
    roles: list[str]
    qual: str | None
    with_check: str | None

    def clauses(self) -> Iterator[tuple[str, ast.Node]]:
        for label, text in (("USING", self.qual), ("WITH CHECK", self.with_check)):
            if text:
                yield label, parse_expression(text)

    @property
    def applies_to_api(self) -> bool:
        return bool({"public", "anon", "authenticated"} & set(self.roles))

    def metadata(self, **extra) -> dict:
        return {"schema": self.schema_name, "name": self.table_name, "type": "table",
                "policy_name": self.policy_name, "command": self.command, "roles": self.roles, **extra}


def parse_expression(text: str) -> ast.Node:
    return pglast.parse_sql(f"select {text}")[0].stmt.targetList[0].val


def function_name(call: ast.FuncCall) -> tuple[str, ...]:
    return tuple(part.sval for part in call.funcname)


def is_auth_call(call: ast.FuncCall) -> bool:
    name = function_name(call)
    return name in AUTH_FUNCTIONS or name in SETTING_FUNCTIONS


def children(node) -> Iterator:
    """The direct sub-nodes of a pglast node (lists flattened)."""
    for slot in getattr(type(node), "__slots__", ()):
        value = getattr(node, slot, None)
        if isinstance(value, ast.Node):
            yield value
        elif isinstance(value, (list, tuple)):
            yield from (item for item in value if isinstance(item, ast.Node))


def walk(node, selects: tuple = ()) -> Iterator[tuple[ast.Node, tuple]]:
    """Every node under ``node`` with the chain of sub-selects enclosing it (innermost last)."""
    yield node, selects
    inner = (*selects, node) if isinstance(node, ast.SelectStmt) else selects
    for child in children(node):
        yield from walk(child, inner)


def has_column_ref(node) -> bool:
    return any(isinstance(n, ast.ColumnRef) for n, _ in walk(node))


def runs_once(selects: tuple) -> bool:
    """True when the innermost enclosing sub-select is FROM-less and uncorrelated: an InitPlan."""
    if not selects:
        return False
    innermost = selects[-1]
    return not innermost.fromClause and not has_column_ref(innermost)


def per_row_calls(expression: ast.Node, volatile: set[tuple[str, str]]) -> list[str]:
    """Calls evaluated once per row that could run once per statement, as SQL text."""
    found = []
    for node, selects in walk(expression):
        if not isinstance(node, ast.FuncCall) or runs_once(selects):
            continue
        name = function_name(node)
        helper = name in volatile and not any(has_column_ref(arg) for arg in node.args or ())
        if is_auth_call(node) or helper:
            found.append(RawStream()(node))
    return found


def auth_rls_initplan(policies: list[Policy], volatile: set[tuple[str, str]]) -> list[Finding]:
    findings = []
    for policy in policies:
        if not policy.rls_enabled:
            continue
        calls = {label: per_row_calls(tree, volatile) for label, tree in policy.clauses()}
        calls = {label: found for label, found in calls.items() if found}
        if not calls:
            continue
        listed = "; ".join(f"{label}: {', '.join(found)}" for label, found in calls.items())
        findings.append(Finding(
            name="auth_rls_initplan",
            title="Auth RLS Initialization Plan",
            level="WARN",
            facing="EXTERNAL",
            categories=("PERFORMANCE",),
            description="Detects if calls to `auth.<function>()`, `current_setting()` or row-independent helper "
                        "functions in RLS policies are being unnecessarily re-evaluated for each row",
            detail=f"Table `{policy.schema_name}.{policy.table_name}` has a row level security policy "
                   f"`{policy.policy_name}` that re-evaluates {listed} for each row. This produces suboptimal "
                   "query performance at scale. Resolve the issue by wrapping each call in a sub-select, e.g. "
                   "`(select auth.uid())`.",
            remediation="https://supabase.com/docs/guides/database/database-linter?lint=0003_auth_rls_initplan",
            metadata=policy.metadata(calls=calls),
            cache_key=f"auth_rls_init_plan_{policy.schema_name}_{policy.table_name}_{policy.policy_name}",
        ))
    return findings


def disjuncts(node: ast.Node) -> list[ast.Node]:
    """The top-level OR branches of an expression (the expression itself when it is no OR)."""
    if isinstance(node, ast.BoolExpr) and node.boolop == BoolExprType.OR_EXPR:
        return [leaf for arg in node.args for leaf in disjuncts(arg)]
    return [node]


def is_auth_only(node: ast.Node) -> bool:
    calls = [n for n, _ in walk(node) if isinstance(n, ast.FuncCall)]
    return any(is_auth_call(c) for c in calls) and not has_column_ref(node)


def is_null_auth_check(node: ast.Node) -> bool:
    """``<auth expression> IS NULL`` or ``NOT (<auth expression> IS NOT NULL)``."""
    if isinstance(node, ast.NullTest):
        return node.nulltesttype == NullTestType.IS_NULL and is_auth_only(node.arg)
    if isinstance(node, ast.BoolExpr) and node.boolop == BoolExprType.NOT_EXPR:
        inner = node.args[0]
        return (isinstance(inner, ast.NullTest) and inner.nulltesttype == NullTestType.IS_NOT_NULL
                and is_auth_only(inner.arg))
    return False


def rls_policy_null_auth_disjunct(policies: list[Policy]) -> list[Finding]:
    findings = []
    for policy in policies:
        if not (policy.rls_enabled and policy.permissive and policy.applies_to_api and policy.qual
                and policy.command in ("SELECT", "ALL")):
            continue
        branches = disjuncts(parse_expression(policy.qual))
        checks = [RawStream()(b) for b in branches if len(branches) > 1 and is_null_auth_check(b)]
        if not checks:
            continue
        findings.append(Finding(
            name="rls_policy_null_auth_disjunct",
            title="RLS Policy True When Auth Is Null",
            level="WARN",
            facing="EXTERNAL",
            categories=("SECURITY",),
            description="Detects permissive RLS read policies whose USING clause has a top-level OR disjunct that is "
                        "true when an auth function returns NULL (for example `auth.uid() IS NULL OR ...`). Such a "
                        "policy admits every row for any session where that function is NULL.",
            detail=f"Table `{policy.schema_name}.{policy.table_name}` has a permissive policy "
                   f"`{policy.policy_name}` for `{policy.command}` whose USING clause is true whenever "
                   f"{' / '.join(checks)} holds, so it exposes every row to those sessions (roles: "
                   f"{', '.join(policy.roles)}). Remove the disjunct or turn it into `IS NOT NULL AND ...`.",
            remediation="https://supabase.com/docs/guides/database/database-linter?lint="
                        "0030_rls_policy_null_auth_disjunct",
            metadata=policy.metadata(qual=policy.qual, null_checks=checks),
            cache_key=f"rls_policy_null_auth_disjunct_{policy.schema_name}_{policy.table_name}_"
                      f"{policy.policy_name}",
        ))
    return findings


def load_policies(conn: psycopg.Connection) -> list[Policy]:
    with conn.cursor(row_factory=dict_row) as cur:
        return [Policy(**row) for row in cur.execute(POLICIES_SQL, {"system": list(SYSTEM_SCHEMAS)})]


def load_volatile_functions(conn: psycopg.Connection) -> set[tuple[str, str]]:
    return {(schema, name) for schema, name in conn.execute(VOLATILE_FUNCTIONS_SQL)}


AST_LINTS = ("0003_auth_rls_initplan", "0030_rls_policy_null_auth_disjunct")


def run_ast_lints(conn: psycopg.Connection, names: set[str]) -> list[Finding]:
    """Run the AST lints whose names (without number) are in ``names``."""
    policies = load_policies(conn)
    findings: list[Finding] = []
    if "auth_rls_initplan" in names:
        findings += auth_rls_initplan(policies, load_volatile_functions(conn))
    if "rls_policy_null_auth_disjunct" in names:
        findings += rls_policy_null_auth_disjunct(policies)
    return findings
