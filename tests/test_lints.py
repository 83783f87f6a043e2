"""The schema advisor: every lint as "issue → fix → no issue" in a rolled-back transaction.

Each case creates the offending object on a database with only the Supabase compat layer, asserts
the lint reports it (its cache_key names the object), applies the fix and asserts it is gone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from nexus_kit.lint_report import COLUMNS, Finding, LintReport
from nexus_kit.lints import available, lint, lint_name, sql_lints
from nexus_kit.lints_ast import AST_LINTS
from tests.conftest import create_database, drop_database, with_dbname

REPO = Path(__file__).resolve().parent.parent

# a table with RLS on that the policy cases attach policies to
DOCS = """
create table public.lt_docs (id uuid primary key, owner_id uuid, editor_id uuid, tenant text);
alter table public.lt_docs enable row level security;
create table public.lt_members (doc_id uuid, user_id uuid);
"""


@dataclass(frozen=True)
class Case:
    lint: str
    issue: str
    fix: str
    key: str
    id: str = ""

    @property
    def label(self) -> str:
        return self.id or self.lint


CASES = [
    Case("unindexed_foreign_keys",
         "create table public.lt_parent (id int primary key);"
         "create table public.lt_child (id int primary key, a int, parent_id int,"
         " constraint lt_child_parent_fk foreign key (parent_id) references public.lt_parent);"
         "create index on public.lt_child (a, parent_id);",  # parent_id is not a leading column
         "create index on public.lt_child (parent_id, a);",
         "unindexed_foreign_keys_public_lt_child_lt_child_parent_fk"),
    Case("auth_users_exposed",
         "create view public.lt_users as select id, email from auth.users;"
         "grant select on public.lt_users to anon, authenticated;",
         "revoke all on public.lt_users from anon, authenticated, public;",
         "auth_users_exposed_public_lt_users"),
    Case("auth_rls_initplan",
         DOCS + "create policy lt_p on public.lt_docs for select to authenticated using (owner_id = auth.uid());",
         "alter policy lt_p on public.lt_docs using (owner_id = (select auth.uid()));",
         "auth_rls_init_plan_public_lt_docs_lt_p", "initplan-plain"),
    Case("auth_rls_initplan",  # splinter misses this one: a wrapped call hides the unwrapped one
         DOCS + "create policy lt_p on public.lt_docs for select to authenticated"
                " using (owner_id = (select auth.uid()) or editor_id = auth.uid());",
         "alter policy lt_p on public.lt_docs"
         " using (owner_id = (select auth.uid()) or editor_id = (select auth.uid()));",
         "auth_rls_init_plan_public_lt_docs_lt_p", "initplan-mixed"),
    Case("auth_rls_initplan",  # inside a correlated sub-query the call still runs per row
         DOCS + "create policy lt_p on public.lt_docs for select to authenticated using (exists ("
                "select 1 from public.lt_members m where m.doc_id = lt_docs.id and m.user_id = auth.uid()));",
         "alter policy lt_p on public.lt_docs using (exists (select 1 from public.lt_members m"
         " where m.doc_id = lt_docs.id and m.user_id = (select auth.uid())));",
         "auth_rls_init_plan_public_lt_docs_lt_p", "initplan-correlated"),
    Case("auth_rls_initplan",  # a STABLE helper that does not depend on the row
         DOCS + "create function public.lt_is_admin() returns boolean language sql stable set search_path = ''"
                " as $$ select true $$;"
                "create policy lt_p on public.lt_docs for update to authenticated using (public.lt_is_admin());",
         "alter policy lt_p on public.lt_docs using ((select public.lt_is_admin()));",
         "auth_rls_init_plan_public_lt_docs_lt_p", "initplan-helper"),
    Case("auth_rls_initplan",
         DOCS + "create policy lt_p on public.lt_docs for insert to authenticated"
                " with check (tenant = current_setting('app.tenant', true));",
         "alter policy lt_p on public.lt_docs with check (tenant = (select current_setting('app.tenant', true)));",
         "auth_rls_init_plan_public_lt_docs_lt_p", "initplan-current-setting"),
    Case("no_primary_key",
         "create table public.lt_nopk (x int);",
         "alter table public.lt_nopk add primary key (x);",
         "no_primary_key_public_lt_nopk"),
    Case("multiple_permissive_policies",
         DOCS + "create policy lt_a on public.lt_docs for select to authenticated using (owner_id is not null);"
                "create policy lt_b on public.lt_docs for all to authenticated using (editor_id is not null);",
         "drop policy lt_b on public.lt_docs;",
         "multiple_permissive_policies_public_lt_docs_authenticated_SELECT"),
    Case("policy_exists_rls_disabled",
         "create table public.lt_t (id int primary key);"
         "create policy lt_p on public.lt_t for select to authenticated using (true);",
         "alter table public.lt_t enable row level security;",
         "policy_exists_rls_disabled_public_lt_t"),
    Case("rls_enabled_no_policy",
         "create table public.lt_t (id int primary key); alter table public.lt_t enable row level security;",
         "create policy lt_p on public.lt_t for select to authenticated using (true);",
         "rls_enabled_no_policy_public_lt_t"),
    Case("duplicate_index",
         "create table public.lt_t (id int primary key, a int);"
         "create index lt_t_a1 on public.lt_t (a); create index lt_t_a2 on public.lt_t (a);",
         "drop index public.lt_t_a2;",
         "duplicate_index_public_lt_t_{lt_t_a1,lt_t_a2}"),
    Case("security_definer_view",
         "create table public.lt_t (id int primary key); alter table public.lt_t enable row level security;"
         "create view public.lt_v as select id from public.lt_t; grant select on public.lt_v to anon;",
         "alter view public.lt_v set (security_invoker = on);",
         "security_definer_view_public_lt_v"),
    Case("function_search_path_mutable",
         "create function public.lt_f(x int) returns int language sql as $$ select x $$;",
         "alter function public.lt_f(int) set search_path = '';",
         "function_search_path_mutable_public_lt_f_x integer"),
    Case("rls_disabled_in_public",
         "create table public.lt_t (id int primary key); grant insert on public.lt_t to anon;",
         "alter table public.lt_t enable row level security;",
         "rls_disabled_in_public_public_lt_t"),
    Case("rls_references_user_metadata",
         DOCS + "create policy lt_p on public.lt_docs for select to authenticated"
                " using (((select auth.jwt()) -> 'user_metadata' ->> 'role') = 'admin');",
         "alter policy lt_p on public.lt_docs using (((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin');",
         "rls_references_user_metadata_public_lt_docs_lt_p"),
    Case("rls_references_user_metadata",
         DOCS + "create policy lt_p on public.lt_docs for select to authenticated using (exists (select 1 from"
                " auth.users u where u.id = (select auth.uid()) and u.raw_user_meta_data ->> 'admin' = 'yes'));",
         "alter policy lt_p on public.lt_docs using (exists (select 1 from auth.users u"
         " where u.id = (select auth.uid()) and u.raw_app_meta_data ->> 'admin' = 'yes'));",
         "rls_references_user_metadata_public_lt_docs_lt_p", "user-metadata-raw"),
    Case("materialized_view_in_api",
         "create materialized view public.lt_mv as select 1 as x; grant select on public.lt_mv to anon;",
         "revoke all on public.lt_mv from anon, authenticated, public;",
         "materialized_view_in_api_public_lt_mv"),
    Case("foreign_table_in_api",
         "create foreign data wrapper lt_fdw; create server lt_srv foreign data wrapper lt_fdw;"
         "create foreign table public.lt_ft (x int) server lt_srv; grant select on public.lt_ft to authenticated;",
         "revoke all on public.lt_ft from anon, authenticated, public;",
         "foreign_table_in_api_public_lt_ft"),
    Case("unsupported_reg_types",
         "create table public.lt_t (id int primary key, fn regproc);",
         "alter table public.lt_t alter column fn type text;",
         "unsupported_reg_types_public_lt_t_fn"),
    Case("fkey_to_auth_unique",
         "create table public.lt_t (id int primary key, phone text"
         " constraint lt_t_phone_fk references auth.users (phone));",
         "alter table public.lt_t drop constraint lt_t_phone_fk;",
         "fkey_to_auth_unique_public_lt_t_lt_t_phone_fk"),
    Case("sensitive_columns_exposed",
         "create table public.lt_accounts (id int primary key, password text, iban text);",
         "alter table public.lt_accounts enable row level security;",
         "sensitive_columns_exposed_public_lt_accounts"),
    Case("rls_policy_always_true",
         DOCS + "create policy lt_p on public.lt_docs for update to authenticated using (true);",
         "alter policy lt_p on public.lt_docs using (owner_id = (select auth.uid()));",
         "rls_policy_always_true_public_lt_docs_lt_p"),
    Case("anon_security_definer_function_executable",
         "create function public.lt_def() returns int language sql security definer set search_path = ''"
         " as $$ select 1 $$; grant execute on function public.lt_def() to anon;",
         "revoke execute on function public.lt_def() from anon, public;",
         "anon_security_definer_function_executable_public_lt_def_"),
    Case("authenticated_security_definer_function_executable",
         "create function public.lt_def() returns int language sql security definer set search_path = ''"
         " as $$ select 1 $$; grant execute on function public.lt_def() to authenticated;",
         "revoke execute on function public.lt_def() from authenticated, public;",
         "authenticated_security_definer_function_executable_public_lt_def_"),
    Case("autovacuum_disabled",
         "create table public.lt_t (id int primary key) with (autovacuum_enabled = false);",
         "alter table public.lt_t reset (autovacuum_enabled);",
         "autovacuum_disabled_public_lt_t"),
    Case("invalid_index",  # the state a failed CREATE INDEX CONCURRENTLY leaves, made directly
         "create table public.lt_t (id int primary key, a int); create index lt_t_a on public.lt_t (a);"
         "update pg_catalog.pg_index set indisvalid = false where indexrelid = 'public.lt_t_a'::regclass;",
         "reindex index public.lt_t_a;",
         "invalid_index_public_lt_t_lt_t_a"),
    Case("rls_policy_null_auth_disjunct",
         DOCS + "create policy lt_p on public.lt_docs for select to authenticated"
                " using (auth.uid() is null or owner_id = auth.uid());",
         "alter policy lt_p on public.lt_docs using (auth.uid() is not null and owner_id = auth.uid());",
         "rls_policy_null_auth_disjunct_public_lt_docs_lt_p"),
    Case("rls_policy_null_auth_disjunct",  # splinter's regex misses the wrapped form
         DOCS + "create policy lt_p on public.lt_docs for select to anon"
                " using (owner_id = (select auth.uid()) or (select auth.jwt() ->> 'sub') is null);",
         "alter policy lt_p on public.lt_docs using (owner_id = (select auth.uid()));",
         "rls_policy_null_auth_disjunct_public_lt_docs_lt_p", "null-disjunct-wrapped"),
    Case("table_without_comment",
         "create table public.lt_t (id int primary key);",
         "comment on table public.lt_t is 'a test table';",
         "table_without_comment_public_lt_t"),
    Case("key_column_without_comment",
         "create table public.lt_t (id int primary key); comment on table public.lt_t is 'a test table';",
         "comment on column public.lt_t.id is 'the row';",
         "key_column_without_comment_public_lt_t_id"),
    Case("policy_to_public",
         DOCS + "create policy lt_p on public.lt_docs for select using (owner_id = (select auth.uid()));",
         "alter policy lt_p on public.lt_docs to authenticated;",
         "policy_to_public_public_lt_docs_lt_p"),
]


@pytest.fixture(scope="module")
def compat_url(server_url, compat_template):
    """One compat database for the module; each test's work is rolled back."""
    name = create_database(server_url, template=compat_template)
    yield with_dbname(server_url, name)
    drop_database(server_url, name)


@pytest.fixture
def conn(compat_url):
    connection = psycopg.connect(compat_url, autocommit=False)
    try:
        yield connection
    finally:
        connection.rollback()
        connection.close()


def findings(conn: psycopg.Connection, name: str) -> dict[str, Finding]:
    return {f.cache_key: f for f in lint(conn, [name]).findings}


def assert_issue_fix_no_issue(conn: psycopg.Connection, name: str, issue: str, fix: str, key: str) -> Finding:
    conn.execute(issue)
    found = findings(conn, name)
    assert key in found, f"{name} did not report {key}; it reported {sorted(found)}"
    finding = found[key]
    assert finding.name == name
    conn.execute(fix)
    assert key not in findings(conn, name), f"{name} still reports {key} after the fix"
    return finding


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_issue_fix_no_issue(conn, case):
    finding = assert_issue_fix_no_issue(conn, case.lint, case.issue, case.fix, case.key)
    assert finding.level in {"ERROR", "WARN", "INFO"} and finding.facing == "EXTERNAL"
    assert finding.metadata.get("schema") == "public" or case.lint == "extension_versions_outdated"


def test_every_lint_has_a_case():
    covered = {c.lint for c in CASES} | {"extension_in_public", "extension_versions_outdated"}
    assert {lint_name(stem) for stem in available()} == covered


def test_initplan_names_every_unwrapped_call(conn):
    conn.execute(DOCS + "create function public.lt_can_see(d uuid) returns boolean language sql stable"
                        " set search_path = '' as $$ select true $$;"
                        "create policy lt_p on public.lt_docs for update to authenticated"
                        " using (public.lt_can_see(id) and owner_id = (select auth.uid()))"
                        " with check (editor_id = auth.uid() and tenant = (auth.jwt() ->> 'tenant'));")
    [finding] = findings(conn, "auth_rls_initplan").values()
    # the helper takes the row's id, so it must run per row: not reported
    assert finding.metadata["calls"] == {"WITH CHECK": ["auth.uid()", "auth.jwt()"]}


def test_always_true_ignores_select_and_missing_clauses(conn):
    # SELECT using (true) is public read on purpose; a DELETE policy without USING deletes nothing
    conn.execute(DOCS + "create policy lt_r on public.lt_docs for select to anon using (true);"
                        "create policy lt_d on public.lt_docs for delete to authenticated;")
    assert findings(conn, "rls_policy_always_true") == {}


def test_security_definer_helper_outside_api_schemas_is_not_reported(conn):
    conn.execute("create schema lt_private; grant usage on schema lt_private to anon;"
                 "create function lt_private.lt_def() returns int language sql security definer"
                 " set search_path = '' as $$ select 1 $$; grant execute on function lt_private.lt_def() to anon;")
    assert findings(conn, "anon_security_definer_function_executable") == {}


def available_extension(conn: psycopg.Connection, *, outdated: bool) -> tuple[str, str] | None:
    """A relocatable extension not installed here, and the version to install (an old one if asked)."""
    rows = conn.execute(
        """
        select e.name, case when %s then min(v.version) else e.default_version end
        from pg_catalog.pg_available_extensions e
        join pg_catalog.pg_available_extension_versions v on v.name = e.name
        where e.installed_version is null and v.relocatable
          and e.name in ('pg_trgm', 'citext', 'hstore', 'cube', 'vector')
        group by e.name, e.default_version
        having not %s or count(*) > 1
        order by 1
        """, [outdated, outdated]).fetchall()
    return rows[0] if rows else None


def test_extension_in_public(conn):
    extension = available_extension(conn, outdated=False)
    assert extension, "no relocatable extension (pg_trgm, citext, hstore, cube, vector) on this server"
    name, version = extension
    assert_issue_fix_no_issue(conn, "extension_in_public",
                              f"create extension {name} version '{version}' schema public;",
                              f"alter extension {name} set schema extensions;",
                              f"extension_in_public_{name}")


def test_extension_versions_outdated(conn):
    extension = available_extension(conn, outdated=True)
    if extension is None:
        # pgserver ships one version of one extension (vector): nothing can be outdated, so the lint
        # must stay silent even with that extension installed; the system server runs the full cycle
        conn.execute("create extension if not exists vector schema extensions")
        assert not lint(conn, ["extension_versions_outdated"]).findings
        return
    name, version = extension
    assert_issue_fix_no_issue(conn, "extension_versions_outdated",
                              f"create extension {name} version '{version}' schema extensions;",
                              f"alter extension {name} update;",
                              f"extension_versions_outdated_{name}_{version}")


@pytest.mark.parametrize("stem", sorted(sql_lints()))
def test_every_sql_lint_returns_splinters_columns(conn, stem):
    cursor = conn.execute(sql_lints()[stem].read_text())
    assert tuple(column.name for column in cursor.description) == COLUMNS
    assert stem.split("_", 1)[1] == lint_name(stem)


def test_lint_leaves_no_trace(conn):
    conn.execute("set search_path = public, extensions")
    lint(conn)
    assert conn.execute("show search_path").fetchone()[0] == "public, extensions"
    assert set(AST_LINTS) <= set(available())


def test_report_text_html_frame_json(conn):
    conn.execute("create table public.lt_t (id int primary key);")
    report = lint(conn, ["rls_disabled_in_public", "table_without_comment", "key_column_without_comment"])
    assert isinstance(report, LintReport) and not report.ok
    text = repr(report)
    assert text.splitlines()[0] == "lint: 3 lints, 3 findings (1 ERROR, 1 WARN, 1 INFO): FAILED"
    assert text.index("ERROR (1)") < text.index("WARN (1)") < text.index("INFO (1)")
    assert "lt_t" in report._repr_html_()
    assert list(report.to_frame().columns) == list(COLUMNS) and len(report.to_frame()) == 3
    data = json.loads(report.to_json())
    assert data["ok"] is False and data["counts"] == {"ERROR": 1, "WARN": 1, "INFO": 1}
    assert all(set(f) == set(COLUMNS) for f in data["findings"])


def test_info_alone_does_not_fail(conn):
    conn.execute("create table public.lt_t (id int primary key); alter table public.lt_t enable row level security;"
                 "comment on table public.lt_t is 'x'; comment on column public.lt_t.id is 'x';")
    report = lint(conn)
    assert [f.name for f in report.findings] == ["rls_enabled_no_policy"] and report.ok


def test_migrated_schema_has_no_findings(migrated_conn):
    report = lint(migrated_conn)
    assert report.findings == (), repr(report)


def nexus(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nexus_kit", *args], capture_output=True, text=True, cwd=REPO,
                          timeout=300)


def test_cli_json_and_exit_code(compat_db):
    with psycopg.connect(compat_db, autocommit=True) as setup:
        setup.execute("create table public.lt_t (id int primary key);")
    failing = nexus("--db-url", compat_db, "lint", "--json")
    assert failing.returncode == 1, failing.stderr
    data = json.loads(failing.stdout)
    assert set(data) == {"ok", "lints", "counts", "findings"} and data["ok"] is False
    assert "rls_disabled_in_public_public_lt_t" in {f["cache_key"] for f in data["findings"]}
    with psycopg.connect(compat_db, autocommit=True) as setup:
        setup.execute("drop table public.lt_t;")
    passing = nexus("--db-url", compat_db, "lint")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert passing.stdout.startswith("lint: ") and ": ok" in passing.stdout


def test_cli_unknown_lint_is_one_line(compat_db):
    result = nexus("--db-url", compat_db, "lint", "--only", "no_such_lint")
    assert result.returncode == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [
        line for line in result.stderr.splitlines() if "no lint 'no_such_lint'" in line]
