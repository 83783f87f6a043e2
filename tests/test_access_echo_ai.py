"""Echo AI data is personal: only its owner reads it (admins read for support); the backend
(service role) alone writes patterns and insights."""

from __future__ import annotations

import psycopg
import pytest

from nexus_kit.impersonate import as_service_role
from tests.rls_helpers import count, denied, ids, setup_cast


@pytest.fixture
def cast(migrated_conn):
    cast = setup_cast(migrated_conn)
    c = migrated_conn
    for key in ("owner", "buyer"):
        uid = cast[key]
        c.execute("insert into public.user_interactions (user_id, interaction_type, prompt) "
                  "values (%s, 'chat_message', %s)", (uid, f"hello from {key}"))
        c.execute("insert into public.interaction_patterns (user_id, pattern_type, pattern_key, confidence) "
                  "values (%s, 'timing', %s, 0.8)", (uid, f"{key}-mornings"))
        c.execute("insert into public.echo_insights (user_id, insight_type, title, body) "
                  "values (%s, 'tip', %s, 'body')", (uid, f"tip for {key}"))
        c.execute("insert into public.user_preferences (user_id, theme) values (%s, 'dark')", (uid,))
        c.execute("insert into public.style_profiles (user_id, name) values (%s, %s)", (uid, f"{key} voice"))
    return cast


TABLES = {
    "user_interactions": "prompt",
    "interaction_patterns": "pattern_key",
    "echo_insights": "title",
    "user_preferences": "user_id::text",
    "style_profiles": "name",
}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_owner_reads_only_their_own(migrated_conn, cast, table):
    c = migrated_conn
    sql = f"select user_id from public.{table}"
    assert ids(c, "owner", sql) == {cast["owner"]}
    assert ids(c, "buyer", sql) == {cast["buyer"]}
    for who in ("stranger", "anon", "moderator", "support_agent", "ws_owner"):
        assert ids(c, who, sql) == set(), who
    assert ids(c, "admin", sql) >= {cast["owner"], cast["buyer"]}


def test_owner_records_rates_and_deletes_interactions(migrated_conn, cast):
    c = migrated_conn
    assert count(c, "owner", "insert into public.user_interactions (interaction_type, prompt) "
                             "values ('command', 'cut the intro')") == 1
    denied(c, "owner", "insert into public.user_interactions (user_id, interaction_type) values (%s, 'search')",
           (cast["buyer"],))
    denied(c, "anon", "insert into public.user_interactions (interaction_type) values ('search')")
    assert count(c, "owner", "update public.user_interactions set rating = 5") == 1
    assert count(c, "stranger", "update public.user_interactions set rating = 1") == 0
    assert count(c, "admin", "update public.user_interactions set rating = 1") == 0  # admins do not edit
    assert count(c, "stranger", "delete from public.user_interactions") == 0
    assert count(c, "owner", "delete from public.user_interactions") == 1


def test_no_one_moves_echo_data_to_another_owner(migrated_conn, cast):
    c = migrated_conn
    for table in ("user_interactions", "user_preferences", "style_profiles"):
        denied(c, "owner", f"update public.{table} set user_id = %s", (cast["buyer"],))


@pytest.mark.parametrize("table", ["interaction_patterns", "echo_insights"])
def test_only_the_backend_writes_patterns_and_insights(migrated_conn, cast, table):
    c = migrated_conn
    if table == "interaction_patterns":
        insert = ("insert into public.interaction_patterns (user_id, pattern_type, pattern_key) "
                  "values (%s, 'style', 'forged')")
    else:
        insert = "insert into public.echo_insights (user_id, insight_type, title, body) values (%s, 'tip', 'x', 'y')"
    denied(c, "owner", insert, (cast["owner"],))
    denied(c, "admin", insert, (cast["owner"],))
    assert count(c, "owner", f"update public.{table} set updated_at = now()") == 0
    assert count(c, "owner", f"delete from public.{table}") == 0
    with as_service_role(c) as cur:
        cur.execute(insert, (cast["owner"],))
        assert cur.rowcount == 1


def test_one_preference_row_per_user_and_default_workspace_must_be_theirs(migrated_conn, cast):
    c = migrated_conn
    with pytest.raises(psycopg.errors.UniqueViolation):
        count(c, "owner", "insert into public.user_preferences (theme) values ('light')")
    demo = c.execute("select id from public.workspaces where slug = 'nexus-demo'").fetchone()[0]
    denied(c, "owner", "update public.user_preferences set default_workspace_id = %s", (demo,))
    assert count(c, "ws_viewer", "insert into public.user_preferences (default_workspace_id) values (%s)",
                 (demo,)) == 1
