"""The Supabase compatibility layer: shape, functions, grants, idempotence, detection."""

from __future__ import annotations

import json

import psycopg
import pytest

from nexus_kit.compat import has_compat, install_compat, is_supabase

UID = "7a1e4b1c-1111-4222-8333-944455556666"


def test_applies_twice_with_roles_already_there(empty_db):
    with psycopg.connect(empty_db, autocommit=True) as conn:
        # the roles are cluster-wide: other test databases have created them already
        assert install_compat(conn) is True
        assert install_compat(conn) is True
        assert has_compat(conn) and not is_supabase(conn)
        roles = dict(conn.execute(
            "select rolname, rolbypassrls from pg_roles "
            "where rolname in ('anon','authenticated','service_role','authenticator')").fetchall())
        assert roles == {"anon": False, "authenticated": False, "service_role": True, "authenticator": False}
        members = {r for (r,) in conn.execute(
            "select r.rolname from pg_auth_members m join pg_roles r on r.oid = m.roleid "
            "join pg_roles u on u.oid = m.member where u.rolname = 'authenticator'")}
        assert members >= {"anon", "authenticated", "service_role"}


def test_auth_users_has_supabase_columns(compat_db):
    with psycopg.connect(compat_db) as conn:
        cols = {r[0]: r[1] for r in conn.execute(
            "select column_name, is_generated from information_schema.columns "
            "where table_schema = 'auth' and table_name = 'users'")}
        for name in ("id", "instance_id", "aud", "role", "email", "encrypted_password", "email_confirmed_at",
                     "raw_app_meta_data", "raw_user_meta_data", "created_at", "updated_at", "phone",
                     "is_anonymous", "is_sso_user", "deleted_at", "banned_until"):
            assert name in cols, name
        assert cols["confirmed_at"] == "ALWAYS"
        idcols = {r[0] for r in conn.execute(
            "select column_name from information_schema.columns where table_schema='auth' and table_name='identities'")}
        assert {"provider_id", "user_id", "identity_data", "provider", "email", "id"} <= idcols


def test_confirmed_at_is_generated(compat_db):
    with psycopg.connect(compat_db) as conn:
        conn.execute("insert into auth.users (id, email, email_confirmed_at) values (%s, 'a@b.c', now())", (UID,))
        assert conn.execute("select confirmed_at is not null from auth.users").fetchone()[0]
        with pytest.raises(psycopg.errors.GeneratedAlways):
            conn.execute("update auth.users set confirmed_at = now()")
        conn.rollback()


def claims(**extra) -> str:
    return json.dumps({"sub": UID, "role": "authenticated", "email": "a@b.c", **extra})


def test_auth_functions_read_claims_set_locally(compat_db):
    with psycopg.connect(compat_db) as conn:  # a transaction, as PostgREST opens one per request
        conn.execute("select set_config('role', 'authenticated', true), "
                     "set_config('request.jwt.claims', %s, true)", (claims(app_metadata={"platform_role": "admin"}),))
        uid, role, email, jwt, who = conn.execute(
            "select auth.uid(), auth.role(), auth.email(), auth.jwt(), current_user").fetchone()
        assert (str(uid), role, email, who) == (UID, "authenticated", "a@b.c", "authenticated")
        assert jwt["app_metadata"]["platform_role"] == "admin"
        conn.rollback()
        # after the transaction the settings are gone: the next request is nobody
        assert conn.execute("select auth.uid(), auth.jwt(), current_user").fetchone()[:2] == (None, None)
        conn.rollback()


def test_legacy_claim_wins_over_claims_json(compat_db):
    other = "00000000-0000-4000-8000-000000000042"
    with psycopg.connect(compat_db) as conn:
        conn.execute("select set_config('request.jwt.claim.sub', %s, true), "
                     "set_config('request.jwt.claims', %s, true)", (other, claims()))
        assert str(conn.execute("select auth.uid()").fetchone()[0]) == other
        conn.rollback()


def test_api_roles_cannot_read_auth_tables(compat_db):
    with psycopg.connect(compat_db) as conn:
        conn.execute("select set_config('role', 'authenticated', true)")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("select * from auth.users")
        conn.rollback()


def test_new_public_tables_get_supabase_default_grants(compat_db):
    with psycopg.connect(compat_db) as conn:
        conn.execute("create table public.granted (id int)")
        privs = {r[0] for r in conn.execute(
            "select grantee from information_schema.role_table_grants "
            "where table_name = 'granted' and privilege_type = 'SELECT'")}
        assert {"anon", "authenticated", "service_role"} <= privs
        conn.rollback()


def test_a_foreign_auth_schema_counts_as_supabase_and_is_left_alone(empty_db):
    with psycopg.connect(empty_db, autocommit=True) as conn:
        conn.execute("create schema auth")
        conn.execute("create table auth.users (id uuid primary key, custom text)")
        assert is_supabase(conn)
        assert install_compat(conn) is False
        cols = {r[0] for r in conn.execute(
            "select column_name from information_schema.columns where table_schema='auth' and table_name='users'")}
        assert cols == {"id", "custom"}
