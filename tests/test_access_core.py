"""Access rules of the core schema: profiles, subscriptions, workspaces and memberships,
content, AI models and workflow templates — each checked as the persona through RLS."""

from __future__ import annotations

import psycopg
import pytest

from nexus_kit.impersonate import as_user, impersonate, user_claims
from tests.rls_helpers import count, demo_workspace, denied, ids, rows, setup_cast


@pytest.fixture
def cast(migrated_conn):
    return setup_cast(migrated_conn)


# -- profiles ----------------------------------------------------------------------------------

def test_profiles_are_created_on_sign_up_and_public(migrated_conn, cast):
    names = dict(rows(migrated_conn, "anon", "select id, full_name from public.profiles"))
    assert names[cast["owner"]] == "Olivia Owner"
    assert set(cast.values()) <= set(names)


def test_users_edit_only_their_own_profile(migrated_conn, cast):
    c = migrated_conn
    assert count(c, "owner", "update public.profiles set bio = 'hi' where id = %s", (cast["owner"],)) == 1
    assert count(c, "stranger", "update public.profiles set bio = 'x' where id = %s", (cast["owner"],)) == 0
    assert count(c, "anon", "update public.profiles set bio = 'x'") == 0
    assert count(c, "admin", "update public.profiles set bio = 'ok' where id = %s", (cast["owner"],)) == 1


# -- subscriptions --------------------------------------------------------------------------------

def test_subscriptions_owner_reads_only_service_role_writes(migrated_conn, cast):
    c = migrated_conn
    c.execute("insert into public.subscriptions (user_id, plan, status) values (%s, 'pro', 'active'), "
              "(%s, 'team', 'active')", (cast["owner"], cast["buyer"]))
    assert ids(c, "owner", "select plan from public.subscriptions") == {"pro"}
    assert ids(c, "stranger", "select plan from public.subscriptions") == set()
    assert ids(c, "anon", "select plan from public.subscriptions") == set()
    assert ids(c, "admin", "select plan from public.subscriptions") == {"pro", "team"}
    denied(c, "owner", "insert into public.subscriptions (user_id, plan) values (%s, 'enterprise')",
           (cast["owner"],))
    assert count(c, "owner", "update public.subscriptions set plan = 'enterprise'") == 0
    assert count(c, "owner", "delete from public.subscriptions") == 0


# -- workspaces -----------------------------------------------------------------------------------

def test_seed_builds_the_demo_workspace_with_one_member_per_role(migrated_conn, cast):
    ws = demo_workspace(migrated_conn)
    members = dict(migrated_conn.execute(
        "select user_id, role from public.workspace_memberships where workspace_id = %s", (ws,)).fetchall())
    assert members == {cast["ws_owner"]: "owner", cast["ws_admin"]: "admin",
                       cast["ws_editor"]: "editor", cast["ws_viewer"]: "viewer"}


def test_members_see_the_workspace_non_members_do_not(migrated_conn, cast):
    c = migrated_conn
    ws = demo_workspace(c)
    for who in ("ws_owner", "ws_admin", "ws_editor", "ws_viewer", "admin"):
        assert ws in ids(c, who, "select id from public.workspaces"), who
    for who in ("stranger", "anon", "moderator", "support_agent"):
        assert ids(c, who, "select id from public.workspaces") == set(), who
        assert ids(c, who, "select id from public.workspace_memberships") == set(), who


def test_anyone_signed_in_creates_a_workspace_and_becomes_owner(migrated_conn, cast):
    c = migrated_conn
    with as_user(c, "stranger") as cur:
        cur.execute("insert into public.workspaces (name, slug) values ('Sam Co', 'sam-co') returning id, owner_id")
        ws, owner = cur.fetchone()
        assert owner == cast["stranger"]
        cur.execute("select user_id, role from public.workspace_memberships where workspace_id = %s", (ws,))
        assert cur.fetchall() == [(cast["stranger"], "owner")]
    denied(c, "stranger", "insert into public.workspaces (name, slug, owner_id) values ('X', 'x-co', %s)",
           (cast["owner"],))
    denied(c, "anon", "insert into public.workspaces (name, slug) values ('X', 'anon-co')")


def test_workspace_settings_admins_update_owners_delete(migrated_conn, cast):
    c = migrated_conn
    ws = demo_workspace(c)
    upd = "update public.workspaces set description = 'new' where id = %s"
    assert count(c, "ws_viewer", upd, (ws,)) == 0
    assert count(c, "ws_editor", upd, (ws,)) == 0
    assert count(c, "ws_admin", upd, (ws,)) == 1
    assert count(c, "ws_admin", "delete from public.workspaces where id = %s", (ws,)) == 0
    assert count(c, "ws_owner", "delete from public.workspaces where id = %s", (ws,)) == 1


def test_nobody_moves_a_workspace_to_another_owner(migrated_conn, cast):
    denied(migrated_conn, "ws_owner", "update public.workspaces set owner_id = %s where slug = 'nexus-demo'",
           (cast["stranger"],))


# -- memberships ----------------------------------------------------------------------------------

def test_admins_manage_members_but_only_owners_grant_owner(migrated_conn, cast):
    c = migrated_conn
    ws = demo_workspace(c)
    add = "insert into public.workspace_memberships (workspace_id, user_id, role) values (%s, %s, %s)"
    assert count(c, "ws_admin", add, (ws, cast["stranger"], "editor")) == 1
    denied(c, "ws_admin", add, (ws, cast["stranger"], "owner"))
    denied(c, "ws_editor", add, (ws, cast["stranger"], "viewer"))
    denied(c, "ws_viewer", add, (ws, cast["stranger"], "viewer"))
    denied(c, "stranger", add, (ws, cast["stranger"], "viewer"))  # nobody joins by themselves
    assert count(c, "ws_owner", add, (ws, cast["stranger"], "owner")) == 1


def test_role_changes_and_removals(migrated_conn, cast):
    c = migrated_conn
    ws = demo_workspace(c)
    upd = "update public.workspace_memberships set role = %s where workspace_id = %s and user_id = %s"
    # admins change editors/viewers, not owners; nobody touches their own row
    assert count(c, "ws_admin", upd, ("editor", ws, cast["ws_viewer"])) == 1
    denied(c, "ws_admin", upd, ("owner", ws, cast["ws_viewer"]))
    assert count(c, "ws_admin", upd, ("viewer", ws, cast["ws_owner"])) == 0
    assert count(c, "ws_owner", upd, ("admin", ws, cast["ws_editor"])) == 1
    delete = "delete from public.workspace_memberships where workspace_id = %s and user_id = %s"
    assert count(c, "ws_editor", delete, (ws, cast["ws_viewer"])) == 0
    assert count(c, "ws_admin", delete, (ws, cast["ws_owner"])) == 0
    assert count(c, "ws_admin", delete, (ws, cast["ws_editor"])) == 1
    assert count(c, "ws_viewer", delete, (ws, cast["ws_viewer"])) == 1  # leaving
    assert count(c, "ws_owner", delete, (ws, cast["ws_owner"])) == 0  # an owner cannot walk away


@pytest.mark.parametrize("who, role", [("ws_viewer", "editor"), ("ws_editor", "admin"), ("ws_admin", "owner")])
def test_nobody_raises_their_own_role(migrated_conn, cast, who, role):
    c = migrated_conn
    ws = demo_workspace(c)
    changed = count(c, who, "update public.workspace_memberships set role = %s "
                            "where workspace_id = %s and user_id = %s", (role, ws, cast[who]))
    assert changed == 0
    assert c.execute("select role from public.workspace_memberships where workspace_id = %s and user_id = %s",
                     (ws, cast[who])).fetchone()[0] != role


def test_platform_role_comes_from_app_metadata_only(migrated_conn, cast):
    c = migrated_conn
    c.execute("insert into public.subscriptions (user_id, plan) values (%s, 'pro')", (cast["owner"],))
    claims = user_claims(cast["stranger"], user_metadata={"platform_role": "admin"})
    with impersonate(c, "authenticated", claims) as cur:
        cur.execute("select count(*) from public.subscriptions")
        assert cur.fetchone()[0] == 0
    # and nobody can edit their app_metadata: auth.users is out of reach of the API roles
    denied(c, "stranger", "update auth.users set raw_app_meta_data = '{\"platform_role\": \"admin\"}'")
    denied(c, "stranger", "select raw_app_meta_data from auth.users")


# -- content ----------------------------------------------------------------------------------------

def test_members_read_content_editors_write(migrated_conn, cast):
    c = migrated_conn
    ws = demo_workspace(c)
    c.execute("insert into public.projects (id, workspace_id, name, slug, created_by) "
              "values ('00000000-0000-4000-8000-0000000000a1', %s, 'Launch', 'launch', %s)", (ws, cast["ws_owner"]))
    c.execute("insert into public.content_items (workspace_id, project_id, title, content_type, created_by) "
              "values (%s, '00000000-0000-4000-8000-0000000000a1', 'Teaser', 'video', %s)", (ws, cast["ws_owner"]))
    for who in ("ws_viewer", "ws_editor", "ws_admin", "ws_owner"):
        assert ids(c, who, "select title from public.content_items") == {"Teaser"}, who
    for who in ("stranger", "anon", "buyer"):
        assert ids(c, who, "select title from public.content_items") == set(), who
        assert ids(c, who, "select name from public.projects") == set(), who
    insert = ("insert into public.content_items (workspace_id, title, content_type) "
              "values (%s, 'Draft', 'post')")
    denied(c, "ws_viewer", insert, (ws,))
    denied(c, "stranger", insert, (ws,))
    assert count(c, "ws_editor", insert, (ws,)) == 1
    assert count(c, "ws_viewer", "update public.content_items set title = 'x'") == 0
    assert count(c, "ws_viewer", "delete from public.content_items") == 0
    assert count(c, "ws_editor", "update public.content_items set status = 'in_review'") == 1
    assert count(c, "ws_editor", "delete from public.projects") == 1


def test_content_never_moves_to_another_workspace(migrated_conn, cast):
    c = migrated_conn
    ws = demo_workspace(c)
    other = c.execute("insert into public.workspaces (name, slug, owner_id) values ('Eddie solo', 'eddie-solo', %s) "
                      "returning id", (cast["ws_editor"],)).fetchone()[0]
    c.execute("insert into public.content_items (workspace_id, title, content_type, created_by) "
              "values (%s, 'Secret', 'document', %s)", (ws, cast["ws_owner"]))
    denied(c, "ws_editor", "update public.content_items set workspace_id = %s", (other,))
    denied(c, "ws_editor", "update public.content_items set created_by = %s", (cast["ws_editor"],))


def test_clips_cannot_point_at_another_workspace(migrated_conn, cast):
    c = migrated_conn
    ws = demo_workspace(c)
    other = c.execute("insert into public.workspaces (name, slug, owner_id) values ('Other', 'other-ws', %s) "
                      "returning id", (cast["stranger"],)).fetchone()[0]
    foreign_item = c.execute("insert into public.content_items (workspace_id, title, content_type) "
                             "values (%s, 'Theirs', 'timeline') returning id", (other,)).fetchone()[0]
    with pytest.raises(psycopg.errors.ForeignKeyViolation), as_user(c, "ws_editor") as cur:
        cur.execute("insert into public.timeline_clips (workspace_id, content_item_id, clip_type, start_ms, end_ms) "
                    "values (%s, %s, 'video', 0, 1000)", (ws, foreign_item))


# -- catalog: AI models and workflow templates ---------------------------------------------------

def test_active_ai_models_are_public_admins_manage(migrated_conn, cast):
    c = migrated_conn
    anon_models = ids(c, "anon", "select slug from public.ai_models")
    assert "echo-core" in anon_models and "echo-legacy" not in anon_models
    assert "echo-legacy" in ids(c, "admin", "select slug from public.ai_models")
    insert = ("insert into public.ai_models (slug, name, provider, provider_model_id, modality) "
              "values ('m-x', 'X', 'acme', 'x-1', 'text')")
    denied(c, "stranger", insert)
    denied(c, "moderator", insert)
    assert count(c, "admin", insert) == 1
    assert count(c, "stranger", "update public.ai_models set is_active = false") == 0


def test_workflow_templates_public_read_authors_write(migrated_conn, cast):
    c = migrated_conn
    assert "video-to-social-clips" in ids(c, "anon", "select slug from public.workflow_templates")
    insert = ("insert into public.workflow_templates (slug, name, category) "
              "values ('olivias-flow', 'Olivia flow', 'automation')")
    assert count(c, "owner", insert) == 1
    c.execute(insert.replace("(slug", "(created_by, slug").replace("values (", "values (%s, "), (cast["owner"],))
    assert "olivias-flow" in ids(c, "owner", "select slug from public.workflow_templates")
    assert "olivias-flow" not in ids(c, "stranger", "select slug from public.workflow_templates")
    assert "olivias-flow" not in ids(c, "anon", "select slug from public.workflow_templates")
    assert count(c, "stranger", "update public.workflow_templates set name = 'mine'") == 0
    denied(c, "stranger", "insert into public.workflow_templates (slug, name, category, created_by) "
                          "values ('forged', 'Forged', 'automation', %s)", (cast["owner"],))
    denied(c, "owner", "insert into public.workflow_templates (slug, name, category, is_official) "
                       "values ('fake-official', 'Fake', 'automation', true)")
    denied(c, "owner", "update public.workflow_templates set created_by = %s where slug = 'olivias-flow'",
           (cast["stranger"],))
