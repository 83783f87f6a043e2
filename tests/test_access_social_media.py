"""Social media belongs to a workspace: members read, editors and above write, non-members
see nothing; OAuth tokens are never readable through the API roles."""

from __future__ import annotations

import psycopg
import pytest

from nexus_kit.impersonate import as_service_role
from tests.rls_helpers import count, demo_workspace, denied, ids, setup_cast

ACCOUNT = "00000000-0000-4000-8000-00000000e001"
POST = "00000000-0000-4000-8000-00000000e002"
QUERY = "00000000-0000-4000-8000-00000000e003"


@pytest.fixture
def cast(migrated_conn):
    cast = setup_cast(migrated_conn)
    c = migrated_conn
    ws = demo_workspace(c)
    c.execute("insert into public.social_accounts (id, workspace_id, platform, external_account_id, handle, "
              "access_token, refresh_token) values (%s, %s, 'x', '42', '@nexusdemo', 'secret-at', 'secret-rt')",
              (ACCOUNT, ws))
    c.execute("insert into public.social_campaigns (workspace_id, name) values (%s, 'Spring launch')", (ws,))
    c.execute("insert into public.content_calendars (workspace_id, name) values (%s, 'Main')", (ws,))
    c.execute("insert into public.scheduled_posts (id, workspace_id, social_account_id, body, scheduled_for) "
              "values (%s, %s, %s, 'Hello', now() + interval '1 day')", (POST, ws, ACCOUNT))
    c.execute("insert into public.social_post_metrics (workspace_id, scheduled_post_id, likes) values (%s, %s, 7)",
              (ws, POST))
    c.execute("insert into public.social_listening_queries (id, workspace_id, name, keywords) "
              "values (%s, %s, 'Brand', '{nexus}')", (QUERY, ws))
    c.execute("insert into public.social_mentions (workspace_id, listening_query_id, platform, external_id, "
              "mentioned_at) values (%s, %s, 'x', 'm1', now())", (ws, QUERY))
    return cast


TABLES = ["social_accounts", "social_campaigns", "content_calendars", "scheduled_posts", "social_post_metrics",
          "social_listening_queries", "social_mentions"]


@pytest.mark.parametrize("table", TABLES)
def test_members_read_non_members_see_nothing(migrated_conn, cast, table):
    c = migrated_conn
    for who in ("ws_viewer", "ws_editor", "ws_admin", "ws_owner", "admin"):
        assert len(ids(c, who, f"select id from public.{table}")) == 1, who
    for who in ("stranger", "anon", "moderator", "support_agent", "owner"):
        if who == "anon" and table == "social_accounts":
            denied(c, who, "select id from public.social_accounts")  # anon has no privilege at all
            continue
        assert ids(c, who, f"select id from public.{table}") == set(), who


@pytest.mark.parametrize("table, sets", [
    ("social_accounts", "display_name = 'Demo'"), ("social_campaigns", "status = 'active'"),
    ("content_calendars", "color = '#112233'"), ("scheduled_posts", "status = 'scheduled'"),
    ("social_post_metrics", "likes = 8"), ("social_listening_queries", "is_active = false"),
    ("social_mentions", "status = 'reviewed'"),
])
def test_editors_write_viewers_do_not(migrated_conn, cast, table, sets):
    c = migrated_conn
    assert count(c, "ws_viewer", f"update public.{table} set {sets}") == 0
    assert count(c, "stranger", f"update public.{table} set {sets}") == 0
    assert count(c, "ws_editor", f"update public.{table} set {sets}") == 1
    assert count(c, "ws_viewer", f"delete from public.{table}") == 0
    assert count(c, "ws_editor", f"delete from public.{table}") >= 1


def test_editors_schedule_posts_viewers_cannot(migrated_conn, cast):
    c = migrated_conn
    ws = demo_workspace(c)
    insert = ("insert into public.scheduled_posts (workspace_id, social_account_id, body, scheduled_for) "
              "values (%s, %s, 'New', now() + interval '2 days')")
    assert count(c, "ws_editor", insert, (ws, ACCOUNT)) == 1
    denied(c, "ws_viewer", insert, (ws, ACCOUNT))
    denied(c, "stranger", insert, (ws, ACCOUNT))
    other = c.execute("insert into public.workspaces (name, slug, owner_id) values ('Eddie solo', 'eddie-solo', %s) "
                      "returning id", (cast["ws_editor"],)).fetchone()[0]
    denied(c, "ws_editor", "update public.scheduled_posts set workspace_id = %s", (other,))
    # the account must belong to the same workspace as the post
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        count(c, "ws_editor", insert, (other, ACCOUNT))


@pytest.mark.parametrize("who", ["ws_owner", "ws_admin", "ws_editor", "ws_viewer", "admin", "stranger", "anon"])
def test_tokens_are_never_readable_through_the_api(migrated_conn, cast, who):
    for column in ("access_token", "refresh_token"):
        denied(migrated_conn, who, f"select {column} from public.social_accounts")
    denied(migrated_conn, who, "select * from public.social_accounts")


def test_members_read_the_safe_columns_and_service_role_reads_tokens(migrated_conn, cast):
    c = migrated_conn
    assert ids(c, "ws_viewer", "select handle from public.social_accounts") == {"@nexusdemo"}
    denied(c, "ws_owner", "update public.social_accounts set access_token = 'mine'")
    denied(c, "ws_owner", "insert into public.social_accounts (workspace_id, platform, external_account_id, handle) "
                          "values (%s, 'x', '43', '@forged')", (demo_workspace(c),))
    with as_service_role(c) as cur:
        cur.execute("select access_token from public.social_accounts")
        assert cur.fetchall() == [("secret-at",)]
