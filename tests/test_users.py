"""seed_users: locally exactly as GoTrue writes users, or through the Admin API (a GoTrue stub)."""

from __future__ import annotations

import subprocess
import sys

import bcrypt
import psycopg
import pytest

from nexus_kit.errors import AdminApiError, SupabaseCredentialsMissing
from nexus_kit.personas import CAST, DEMO_PASSWORD, persona, user_id_for
from nexus_kit.users import seed_users
from tests.gotrue_stub import GoTrueStub, service_role_key

TOKEN_COLUMNS = ("confirmation_token", "recovery_token", "email_change_token_new", "email_change",
                 "email_change_token_current", "phone_change", "phone_change_token", "reauthentication_token")


@pytest.fixture
def no_supabase_env(monkeypatch, tmp_path):
    monkeypatch.delenv("SUPABASE_URL", raising=False)
    monkeypatch.delenv("SUPABASE_SERVICE_ROLE_KEY", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env


def test_local_users_are_written_as_gotrue_writes_them(migrated_db, no_supabase_env):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        table = seed_users(conn, count=3)
        assert table.source == "local" and len(table) == len(CAST) + 3 and table.created == len(table)
        owner = persona("owner")
        assert table.id_of(owner.email) == user_id_for(owner.email)
        row = conn.execute(
            f"select instance_id::text, aud, role, encrypted_password, email_confirmed_at is not null, "
            f"raw_app_meta_data, raw_user_meta_data, {', '.join(TOKEN_COLUMNS)} from auth.users where id = %s",
            (owner.local_id,)).fetchone()
        assert row[:3] == ("00000000-0000-0000-0000-000000000000", "authenticated", "authenticated")
        assert row[3].startswith("$2a$10$") and bcrypt.checkpw(DEMO_PASSWORD.encode(), row[3].encode())
        assert row[4] is True
        assert row[5] == {"provider": "email", "providers": ["email"]}
        assert row[6] == {"full_name": owner.full_name, "email_verified": True}
        assert all(v == "" for v in row[7:]), "token columns must be '' (GoTrue scans them as strings), never NULL"
        admin = conn.execute("select raw_app_meta_data from auth.users where id = %s",
                             (persona("admin").local_id,)).fetchone()[0]
        assert admin["platform_role"] == "admin"
        identity = conn.execute("select provider, provider_id, identity_data from auth.identities where user_id = %s",
                                (owner.local_id,)).fetchone()
        assert identity[0] == "email" and identity[1] == str(owner.local_id)
        assert identity[2] == {"sub": str(owner.local_id), "email": owner.email, "email_verified": True,
                               "phone_verified": False}
        profiles = conn.execute("select count(*) from public.profiles where id = any(%s)", (table.ids,)).fetchone()[0]
        assert profiles == len(table), "the sign-up trigger creates a profile per user"
        roles = dict(conn.execute(
            "select m.role, m.user_id from public.workspace_memberships m join public.workspaces w "
            "on w.id = m.workspace_id where w.slug = 'nexus-demo'").fetchall())
        assert roles == {p.workspace_role: p.local_id for p in CAST if p.workspace_role}
        again = seed_users(conn, count=3)
        assert again.created == 0 and again.ids == table.ids
        assert conn.execute("select count(*) from auth.users").fetchone()[0] == len(table)


def test_user_table_shows_email_id_role_and_no_secret(migrated_db, no_supabase_env):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        table = seed_users(conn)
    text = repr(table)
    assert "olivia.owner@nexus.test" in text and str(persona("owner").local_id) in text
    assert "workspace:viewer" in text and "support_agent" in text
    assert "<table>" in table._repr_html_()
    assert list(table.to_frame().columns) == ["email", "id", "role", "created"]


def test_admin_api_creates_reuses_and_never_duplicates(migrated_db, no_supabase_env, capsys):
    key = service_role_key()
    with GoTrueStub(migrated_db) as stub, psycopg.connect(migrated_db, autocommit=True) as conn:
        first = seed_users(conn, count=2, supabase_url=stub.url, service_role_key=key)
        assert first.source == "admin api" and first.created == len(CAST) + 2
        second = seed_users(conn, count=4, supabase_url=stub.url, service_role_key=key)
        assert second.created == 2 and second.ids[: len(first)] == first.ids
        emails = conn.execute("select lower(email), count(*) from auth.users group by 1 having count(*) > 1")
        assert emails.fetchall() == []
        assert conn.execute("select count(*) from auth.users").fetchone()[0] == len(CAST) + 4
        meta = conn.execute("select raw_app_meta_data, raw_user_meta_data, email_confirmed_at is not null "
                            "from auth.users where email = %s", (persona("moderator").email,)).fetchone()
        assert meta[0]["platform_role"] == "moderator" and meta[0]["providers"] == ["email"]
        assert meta[1]["full_name"] == persona("moderator").full_name and meta[2] is True
        assert conn.execute("select count(*) from public.profiles").fetchone()[0] == len(CAST) + 4
        assert first.memberships == 4
        assert any(m == "POST" for m, _, _ in stub.requests) and any("page=" in p for _, p, _ in stub.requests)
    shown = capsys.readouterr()
    assert key not in shown.out + shown.err + repr(second) + second._repr_html_()
    assert key not in second.to_frame().to_string()


def test_admin_api_with_a_non_service_key_fails_without_showing_it(migrated_db, no_supabase_env):
    anon = service_role_key(role="anon")
    with (GoTrueStub(migrated_db) as stub, psycopg.connect(migrated_db, autocommit=True) as conn,
          pytest.raises(AdminApiError) as err):
        seed_users(conn, supabase_url=stub.url, service_role_key=anon)
    assert "User not allowed" in str(err.value) and anon not in str(err.value)


def test_supabase_database_without_key_is_refused(migrated_db, no_supabase_env):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        conn.execute("comment on schema auth is 'Auth schema'")  # what a real project looks like
        with pytest.raises(SupabaseCredentialsMissing, match="SUPABASE_URL"):
            seed_users(conn)
        assert conn.execute("select count(*) from auth.users").fetchone()[0] == 0


def test_cli_prints_the_table(migrated_db, no_supabase_env):
    done = subprocess.run([sys.executable, "-m", "nexus_kit", "--db-url", migrated_db, "seed-users", "--count", "1"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "user000001@synthetic.nexus.test" in done.stdout and "workspace:owner" in done.stdout
