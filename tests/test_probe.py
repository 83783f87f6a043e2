"""The RLS probe: zero mismatches on the seeded schema, and every planted break detected."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from conftest import clone_database

from nexus_kit.probe import probe
from nexus_kit.probe_cases import predicate_sql
from nexus_kit.probe_expect import OPS, PERSONAS, read_expectations
from nexus_kit.probe_fuzz import fuzz
from nexus_kit.probe_model import read_tables
from nexus_kit.probe_static import static_matrix

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def seeded_url(server_url, seeded_template) -> Iterator[str]:
    yield from clone_database(server_url, seeded_template)


@pytest.fixture
def seeded(seeded_url) -> Iterator[psycopg.Connection]:
    """A connection to the seeded database; whatever a test plants is rolled back."""
    conn = psycopg.connect(seeded_url, autocommit=True)
    try:
        with conn.transaction(force_rollback=True):
            yield conn
    finally:
        conn.close()


def test_zero_mismatches_on_the_seeded_schema(seeded):
    matrix = probe(seeded)
    assert matrix.ok, repr(matrix)
    tables = sorted(read_tables(seeded))
    assert matrix.tables == tables and matrix.personas == list(PERSONAS)
    assert matrix.checks == len(tables) * len(PERSONAS) * len(OPS)
    assert not matrix.disagreements
    frame = matrix.to_frame()
    assert len(frame) == matrix.checks and set(frame["op"]) == set(OPS)
    assert matrix.cell("subscriptions", "owner", "select").measured == "own"
    assert matrix.cell("subscriptions", "anon", "insert").measured == "denied"
    assert matrix.cell("ai_models", "admin", "update").measured == "all"
    assert repr(matrix).startswith(f"AccessMatrix: {len(tables)} tables × 12 personas")
    assert "<table" in matrix._repr_html_()
    figure = matrix.heatmap()
    assert len(figure.axes) == len(OPS)


def test_nothing_persists(seeded):
    before = seeded.execute("select count(*) from public.workspaces").fetchone()[0]
    probe(seeded, tables=["workspaces", "workspace_memberships"])
    assert seeded.execute("select count(*) from public.workspaces").fetchone()[0] == before
    assert seeded.execute("select current_user = session_user").fetchone()[0]


def test_a_permissive_true_policy_is_a_mismatch(seeded):
    seeded.execute('create policy "leak" on public.user_preferences for select to authenticated using (true)')
    matrix = probe(seeded, tables=["user_preferences"])
    assert not matrix.ok
    leaked = {(m["persona"], m["op"]) for m in matrix.mismatches}
    assert ("stranger", "select") in leaked and ("ws_viewer", "select") in leaked
    assert matrix.cell("user_preferences", "stranger", "select").measured == "all"


def test_a_dropped_policy_is_a_mismatch_and_the_catalog_says_why(seeded):
    seeded.execute('drop policy "subscriptions: owner or admin reads" on public.subscriptions')
    matrix = probe(seeded, tables=["subscriptions"])
    cell = matrix.cell("subscriptions", "owner", "select")
    assert not cell.match and cell.measured == "none" and cell.static == "none"
    verdict = static_matrix(seeded).get(("subscriptions", "authenticated", "select"))
    assert verdict.label == "none" and "no permissive" in verdict.reason


def test_restrictive_policies_are_and_ed(seeded):
    seeded.execute('create policy "nobody" on public.subscriptions as restrictive for select to authenticated '
                   "using (false)")
    assert static_matrix(seeded).get(("subscriptions", "authenticated", "select")).label == "none"
    matrix = probe(seeded, tables=["subscriptions"], personas=["owner", "admin"])
    assert {(m["persona"], m["op"]) for m in matrix.mismatches} == {("owner", "select"), ("admin", "select")}
    assert not matrix.disagreements  # the catalog predicted it


def test_policies_reach_roles_through_membership(seeded):
    role = f"nk_probe_group_{seeded.info.backend_pid}"
    seeded.execute(f"create role {role} nologin")
    seeded.execute(f"grant {role} to anon")
    assert static_matrix(seeded).get(("subscriptions", "anon", "select")).label == "none"
    seeded.execute(f'create policy "group reads" on public.subscriptions for select to {role} using (true)')
    verdict = static_matrix(seeded).get(("subscriptions", "anon", "select"))
    assert verdict.label == "policy-filtered"
    matrix = probe(seeded, tables=["subscriptions"], personas=["anon"])
    assert matrix.cell("subscriptions", "anon", "select").measured == "all"
    assert not matrix.ok


def test_grants_and_bypassrls_in_the_static_matrix(seeded):
    static = static_matrix(seeded)
    assert static.get(("social_accounts", "anon", "select")).label == "denied"  # revoked from anon
    assert static.get(("social_accounts", "authenticated", "insert")).label == "denied"  # no column grant
    assert static.get(("social_accounts", "authenticated", "update")).label == "policy-filtered"  # column grant
    assert static.get(("profiles", "service_role", "delete")).label == "all"  # BYPASSRLS
    seeded.execute("alter table public.metrics disable row level security")
    assert static_matrix(seeded).get(("metrics", "anon", "select")).label == "all"


def test_static_disagreement_is_flagged(seeded):
    """Execution that contradicts the catalog (here: a grant the catalog check misses) is reported."""
    from nexus_kit.probe_classify import Cell
    from nexus_kit.probe_static import Verdict, static_verdict

    returned = Cell("t", "anon", "select", "denied", "all", False, rows=3, total=3)
    assert not static_verdict(Verdict("denied", "no select privilege"), returned)
    assert not static_verdict(Verdict("none", "no permissive select policy for the role"), returned)
    assert static_verdict(Verdict("policy-filtered", "1 permissive"), returned)


def test_a_table_without_expectations_fails(seeded):
    seeded.execute("create table public.nk_probe_new (id uuid primary key default gen_random_uuid())")
    seeded.execute("alter table public.nk_probe_new enable row level security")
    matrix = probe(seeded, tables=["nk_probe_new"], personas=["anon", "owner"])
    assert not matrix.ok
    assert {m["kind"] for m in matrix.mismatches} == {"missing-expectation"}


def test_expectations_cover_every_public_table(migrated_conn):
    declared = read_expectations()
    assert declared.missing(sorted(read_tables(migrated_conn)), PERSONAS) == []


def test_insert_scope_is_the_owner_for_a_workspace_and_the_workspace_for_its_rows(migrated_conn):
    infos = read_tables(migrated_conn)
    assert infos["workspaces"].scope == "own"
    assert infos["workspace_memberships"].scope == "member"


def test_predicate_sql_names_the_parameter_and_escapes_percent():
    assert predicate_sql("t.name like 'a%' and t.user_id = :uid", "b") == \
        "t.name like 'a%%' and t.user_id = %(b)s::uuid"
    assert predicate_sql(":uid = t.owner_id") == "%(uid)s::uuid = t.owner_id"


def test_fuzz_finds_no_leak_on_the_real_schema(seeded):
    report = fuzz(seeded, cases=300, seed=7)
    assert report.ok, repr(report)
    assert report.cases == 300 and report.exercised > 150


def test_fuzz_finds_a_planted_leak(seeded):
    seeded.execute('create policy "leak" on public.style_profiles for select to authenticated using (true)')
    report = fuzz(seeded, cases=60, seed=3, tables=["style_profiles"])
    assert not report.ok
    assert {leak.op for leak in report.leaks} == {"select"}
    assert all(leak.table == "style_profiles" for leak in report.leaks)


def test_cli_json_and_exit_code_on_mismatch(seeded_db):
    with psycopg.connect(seeded_db, autocommit=True) as conn:
        conn.execute('create policy "leak" on public.echo_insights for select to anon using (true)')
    result = subprocess.run([sys.executable, "-m", "nexus_kit", "--db-url", seeded_db, "probe", "--json"],
                            capture_output=True, text=True, cwd=REPO, timeout=600)
    assert result.returncode == 1, result.stderr
    doc = json.loads(result.stdout)
    assert set(doc) == {"tables", "personas", "checks", "mismatches", "matrix"}
    assert doc["checks"] == len(doc["matrix"]) == len(doc["tables"]) * len(doc["personas"]) * 4
    assert [(m["table"], m["persona"], m["op"]) for m in doc["mismatches"]] == [("echo_insights", "anon", "select")]
