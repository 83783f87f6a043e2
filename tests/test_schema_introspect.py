"""Introspection on the real migrated schema, checked against the catalogs and the migration files."""

from __future__ import annotations

import psycopg
import pytest

from nexus_kit.migrations import discover
from nexus_kit.schema import area_name, introspect, table_areas


@pytest.fixture
def model_and_conn(migrated_db):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        yield introspect(conn), conn


def test_every_public_table_is_present_with_its_area(model_and_conn):
    model, conn = model_and_conn
    public = {r[0] for r in conn.execute("select tablename from pg_tables where schemaname = 'public'")}
    assert {t.key for t in model.tables if not t.external} == public
    assert len(public) >= 10
    expected_areas = table_areas(discover())
    assert {t.key: t.area for t in model.tables if not t.external} == {k: expected_areas[k] for k in public}
    assert model.areas[0] == "core" and set(model.areas) == {area_name(m.name) for m in discover()}


def test_auth_users_is_the_external_table_public_keys_reference(model_and_conn):
    model, _ = model_and_conn
    assert [t.key for t in model.tables if t.external] == ["auth.users"]
    users = model.table("auth.users")
    assert users.area == "external" and users.primary_key == ("id",)
    assert any(fk.ref_table == "auth.users" for fk in model.foreign_keys)


def test_every_foreign_key_is_found(model_and_conn):
    model, conn = model_and_conn
    catalog = {r[0] for r in conn.execute(
        "select conname from pg_constraint where contype = 'f' and connamespace = 'public'::regnamespace")}
    assert {fk.name for fk in model.foreign_keys} == catalog
    profiles_id = next(fk for fk in model.table("profiles").foreign_keys if fk.columns == ("id",))
    assert (profiles_id.ref_table, profiles_id.ref_columns, profiles_id.on_delete) == ("auth.users", ("id",), "cascade")
    composite = [fk for fk in model.foreign_keys if len(fk.columns) > 1]
    assert composite and all(len(fk.columns) == len(fk.ref_columns) for fk in composite)


def test_rls_flags_and_policy_counts_match_the_catalog(model_and_conn):
    model, conn = model_and_conn
    rows = conn.execute(
        "select c.relname, c.relrowsecurity, c.relforcerowsecurity, count(p.oid) from pg_class c "
        "left join pg_policy p on p.polrelid = c.oid where c.relnamespace = 'public'::regnamespace "
        "and c.relkind = 'r' group by 1, 2, 3").fetchall()
    assert {(t.name, t.rls_enabled, t.force_rls, t.policy_count) for t in model.tables if not t.external} == set(rows)


def test_columns_types_keys_and_comments(model_and_conn):
    model, _ = model_and_conn
    profiles = model.table("profiles")
    assert profiles.primary_key == ("id",)
    assert profiles.column("id").type == "uuid" and profiles.column("id").is_primary_key
    assert profiles.column("created_at").type == "timestamptz" and profiles.column("created_at").default == "now()"
    assert profiles.comment
    types = {c.type for t in model.tables for c in t.columns}
    assert "text[]" in types and not any("with time zone" in t for t in types)
    assert any(c.is_unique for t in model.tables for c in t.columns)
