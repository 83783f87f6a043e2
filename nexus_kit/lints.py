"""The schema advisor: Supabase's splinter lints, adapted to plain PostgreSQL, plus the kit's own.

One SQL file per lint in ``sql/lints/`` (numbered as in splinter; 1xxx are nexus-kit's own), each
returning splinter's ten columns; the lints that must read policy expressions as syntax trees live
in ``nexus_kit/lints_ast.py`` and return the same columns.

    report = nk.lint(conn)       # LintReport; report.ok is False on any ERROR or WARN

splinter lints left out, and why: unused_index (0005) and table_bloat (0020) judge runtime
statistics, not the schema, and flag every index of a freshly migrated database;
auth_allow_anonymous_sign_ins (0012) reads GoTrue's settings; insecure_queue_exposed_in_api (0019),
public_bucket_allows_listing (0025), pg_graphql_*_table_exposed (0026, 0027) need pgmq, Supabase
Storage or pg_graphql; pg17_deprecated_extensions (0025) concerns Supabase's own upgrade; and
unused_replication_slot (0031) is server state shared by every database of the cluster.
"""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
from psycopg.rows import dict_row

from nexus_kit.config import SQL_DIR
from nexus_kit.errors import ApiRolesMissing, LintFailed, UnknownLint
from nexus_kit.lint_report import Finding, LintReport
from nexus_kit.lints_ast import AST_LINTS, run_ast_lints

LINTS_DIR = SQL_DIR / "lints"
API_ROLES = ("anon", "authenticated")
LINT_FILE = re.compile(r"^(?P<number>\d{4})_(?P<name>\w+)\.sql$")


def lint_name(stem: str) -> str:
    """``0008_rls_enabled_no_policy`` → ``rls_enabled_no_policy``."""
    return stem.split("_", 1)[1]


def sql_lints(lints_dir: Path | None = None) -> dict[str, Path]:
    """Every SQL lint, file stem → path, in number order."""
    folder = lints_dir or LINTS_DIR
    return {p.stem: p for p in sorted(folder.glob("*.sql")) if LINT_FILE.match(p.name)}


def available(lints_dir: Path | None = None) -> list[str]:
    """The stems of every lint the advisor runs (SQL and AST), in number order."""
    return sorted([*sql_lints(lints_dir), *AST_LINTS])


def select_lints(only: list[str] | None, lints_dir: Path | None = None) -> list[str]:
    known = available(lints_dir)
    if not only:
        return known
    wanted = set(only)
    chosen = [stem for stem in known if stem in wanted or lint_name(stem) in wanted]
    missing = wanted - {s for s in chosen} - {lint_name(s) for s in chosen}
    if missing:
        raise UnknownLint(sorted(missing)[0], [lint_name(s) for s in known])
    return chosen


def check_api_roles(conn: psycopg.Connection) -> None:
    present = {r for (r,) in conn.execute("select rolname from pg_catalog.pg_roles where rolname = any(%s)",
                                          [list(API_ROLES)])}
    missing = [r for r in API_ROLES if r not in present]
    if missing:
        raise ApiRolesMissing(missing)


def run_sql_lint(conn: psycopg.Connection, stem: str, path: Path) -> list[Finding]:
    try:
        with conn.transaction(), conn.cursor(row_factory=dict_row) as cur:
            return [Finding.from_row(row) for row in cur.execute(path.read_text())]
    except psycopg.Error as exc:
        raise LintFailed(stem, exc.diag.message_primary or str(exc)) from None


def lint(conn: psycopg.Connection, only: list[str] | None = None, *, lints_dir: Path | None = None) -> LintReport:
    """Run every lint (or those named in ``only``, with or without number) against the database.

    Only reads: it runs in a transaction (a savepoint inside the caller's) that is rolled back, with
    ``search_path = ''`` so that expressions come back schema-qualified, as splinter runs.
    """
    stems = select_lints(only, lints_dir)
    files = sql_lints(lints_dir)
    findings: list[Finding] = []
    with conn.transaction(force_rollback=True):
        check_api_roles(conn)
        conn.execute("select pg_catalog.set_config('search_path', '', true)")
        for stem in stems:
            if stem in files:
                findings += run_sql_lint(conn, stem, files[stem])
        ast_names = {lint_name(s) for s in stems if s in AST_LINTS}
        if ast_names:
            findings += run_ast_lints(conn, ast_names)
    return LintReport(tuple(findings), tuple(lint_name(s) for s in stems))
