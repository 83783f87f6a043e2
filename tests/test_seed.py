"""seed(): deterministic, idempotent, resumable, within every constraint, and realistic enough for RLS."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys

import psycopg
import pytest

from nexus_kit.errors import SeedError
from nexus_kit.seed import seed
from nexus_kit.seed_files import SEED_SQL

# Rows a trigger writes (ids from gen_random_uuid(), times from now()): not the seeder's to fix.
# The seeder's own times lie in 2024-2025; anything from 2026 on is a now() default (seed.sql, triggers).
TRIGGER_COLUMNS = {"public.workspace_memberships": {"id", "created_at", "updated_at"},
                   "public.profiles": {"created_at", "updated_at"}}


@pytest.fixture(autouse=True)
def local_users(monkeypatch, tmp_path):
    monkeypatch.delenv("SUPABASE_URL", raising=False)
    monkeypatch.delenv("SUPABASE_SERVICE_ROLE_KEY", raising=False)
    monkeypatch.chdir(tmp_path)


def public_tables(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "select schemaname || '.' || tablename from pg_tables where schemaname = 'public' order by 1")]


def counts(conn) -> dict[str, int]:
    return {t: conn.execute(f"select count(*) from {t}").fetchone()[0] for t in public_tables(conn)}


def fingerprint(conn, table: str) -> str:
    """The table's rows, minus what the database itself wrote: trigger ids and ``now()`` times."""
    skip = TRIGGER_COLUMNS.get(table, set())
    rows = []
    for (doc,) in conn.execute(f"select to_jsonb(t) from {table} t"):
        kept = {k: v for k, v in doc.items() if k not in skip and not (isinstance(v, str) and v[:4] >= "2026"
                                                                       and v[4:5] == "-" and "T" in v)}
        rows.append(json.dumps(kept, sort_keys=True))
    return hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest()


def test_same_seed_gives_identical_rows_ids_included(seeded_db, migrated_db):
    with psycopg.connect(seeded_db, autocommit=True) as a, psycopg.connect(migrated_db, autocommit=True) as b:
        seed(b, scale=1, seed=42, progress=False)
        assert counts(a) == counts(b)
        for table in public_tables(a):
            assert fingerprint(a, table) == fingerprint(b, table), table


def test_another_seed_gives_other_rows(migrated_db):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        report = seed(conn, scale=0.2, seed=7, progress=False)
        ids = conn.execute("select id from public.workspaces where slug <> 'nexus-demo' order by id limit 1")
        first = ids.fetchone()[0]
    assert report.total > 1000
    assert first is not None


def test_scale_one_is_about_ten_thousand_rows_and_rerun_adds_nothing(seeded_db):
    with psycopg.connect(seeded_db, autocommit=True) as conn:
        before = counts(conn)
        assert 8_000 <= sum(before.values()) <= 12_000
        assert all(n > 0 for t, n in before.items() if t != "public.ai_models"), before
        again = seed(conn, scale=1, seed=42, progress=False)
        assert again.total == 0 and again.total_generated > 8_000
        assert counts(conn) == before
        assert "0 rows added" in repr(again) and "<table>" in again._repr_html_()
        assert set(again.to_frame().columns) == {"table", "added", "generated"}


def test_interrupted_run_completes_with_no_duplicate_or_orphan(seeded_db, migrated_db):
    class Stop(Exception):
        pass

    def stop_after_ten(table: str, added: int, seen=[]) -> None:  # noqa: B006
        seen.append(table)
        if len(seen) == 10:
            raise Stop(table)

    with psycopg.connect(migrated_db, autocommit=True) as conn:
        with pytest.raises(Stop):
            seed(conn, scale=1, seed=42, progress=False, on_table=stop_after_ten)
        partial = counts(conn)
        seed(conn, scale=1, seed=42, progress=False)
        resumed = counts(conn)
    with psycopg.connect(seeded_db, autocommit=True) as reference:
        assert resumed == counts(reference)
    assert sum(partial.values()) < sum(resumed.values())


def test_rows_are_realistic_for_rls_probing(seeded_db):
    with psycopg.connect(seeded_db, autocommit=True) as conn:
        one = lambda q: conn.execute(q).fetchone()[0]  # noqa: E731
        for table in public_tables(conn):
            cols = {r[0] for r in conn.execute(
                "select column_name from information_schema.columns where table_schema = 'public' "
                "and table_name = %s", (table.split(".")[1],))}
            if {"created_at", "updated_at"} <= cols:
                assert one(f"select count(*) from {table} where updated_at < created_at") == 0, table
            if {"created_at", "published_at"} <= cols:
                assert one(f"select count(*) from {table} where published_at < created_at") == 0, table
        roles = {r[0] for r in conn.execute("select distinct role from public.workspace_memberships")}
        assert roles == {"owner", "admin", "editor", "viewer"}
        assert {r[0] for r in conn.execute("select distinct visibility from public.workflow_templates")} >= \
            {"public", "private"}
        assert {r[0] for r in conn.execute("select distinct is_public from public.marketplace_collections")} == \
            {True, False}
        statuses = {r[0] for r in conn.execute("select distinct status from public.content_items")}
        assert {"draft", "published"} <= statuses
        assert one("select count(*) from public.content_items where status = 'published' and published_at is null") == 0
        assert one("select count(*) from public.marketplace_reviews") > 0
        assert one("""select count(*) from public.marketplace_reviews r where not exists (
                        select 1 from public.marketplace_purchases p where p.item_id = r.item_id
                        and p.buyer_id = r.reviewer_id and p.status = 'completed')""") == 0, "reviews only by buyers"
        assert one("select count(*) from public.marketplace_purchases where buyer_id = seller_id") == 0
        owner_rows = one("""select count(*) from public.metrics m join auth.users u on u.id = m.user_id
                            where u.email = 'olivia.owner@nexus.test'""")
        assert owner_rows > 0, "the owner persona has data"
        stranger = one("""select count(*) from public.workspace_memberships m join auth.users u on u.id = m.user_id
                          where u.email = 'sam.stranger@nexus.test'""")
        assert stranger == 0, "the stranger is related to nothing"


def test_seed_sql_is_recorded_like_the_supabase_cli(seeded_db):
    with psycopg.connect(seeded_db, autocommit=True) as conn:
        rows = conn.execute("select path, hash from supabase_migrations.seed_files").fetchall()
    assert rows == [("sql/seed.sql", hashlib.sha256(SEED_SQL.read_bytes()).hexdigest())]


def test_out_file_applies_to_an_empty_migrated_database(seeded_db, migrated_db, server_url, tmp_path):
    from tests.conftest import create_database, drop_database, with_dbname

    out = tmp_path / "seed_data.sql"
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        report = seed(conn, scale=1, seed=42, out=out, progress=False)
        assert conn.execute("select count(*) from auth.users").fetchone()[0] == 0, "--out writes nothing to the db"
        assert sum(counts(conn).values()) == 0
    assert report.total_generated > 8_000 and out.stat().st_size > 100_000
    from nexus_kit.migrations import apply

    name = create_database(server_url)
    try:
        with psycopg.connect(with_dbname(server_url, name), autocommit=True) as fresh:
            apply(fresh)
            fresh.execute(out.read_text())
            fresh.execute(out.read_text())  # idempotent: a second run adds nothing
            got = counts(fresh)
            with psycopg.connect(seeded_db, autocommit=True) as reference:
                assert got == counts(reference)
                differ = [t for t in public_tables(fresh) if fingerprint(fresh, t) != fingerprint(reference, t)]
                assert differ == [], "the file writes the very rows a load writes (filled profiles, accepted answers)"
    finally:
        drop_database(server_url, name)


@pytest.mark.parametrize("scale", [0, -1])
def test_scale_zero_or_less_is_refused(migrated_db, scale):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        with pytest.raises(SeedError, match="scale must be greater than 0"):
            seed(conn, scale=scale, progress=False)
        assert conn.execute("select count(*) from auth.users").fetchone()[0] == 0


def test_a_constraint_it_cannot_satisfy_is_named(migrated_db):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        conn.execute("create table public.zz_codes (id uuid primary key, code text not null "
                     "constraint zz_codes_code_check check (code ~ '^Z{5}[0-9]$'))")
        with pytest.raises(SeedError, match=r"zz_codes_code_check on public\.zz_codes\.code"):
            seed(conn, scale=0.1, progress=False)


def test_a_type_it_cannot_generate_is_named(migrated_db):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        conn.execute("create table public.zz_places (id uuid primary key, spot point not null)")
        with pytest.raises(SeedError, match=r"public\.zz_places\.spot of type point"):
            seed(conn, scale=0.1, progress=False)


def test_an_enum_status_is_a_closed_set_that_drives_its_timestamps(migrated_db):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        conn.execute("create type public.zz_state as enum ('draft', 'published', 'archived')")
        conn.execute("create table public.zz_posts (id uuid primary key, status public.zz_state not null, "
                     "published_at timestamptz, created_at timestamptz not null default now())")
        seed(conn, scale=0.5, progress=False)
        rows = conn.execute("select status::text, published_at is not null from public.zz_posts").fetchall()
        assert {status for status, _ in rows} == {"draft", "published", "archived"}
        # like a CHECK (status in (…)): published_at is set for published rows only
        assert all(has_date == (status == "published") for status, has_date in rows)


def test_cli_refuses_a_bad_scale_in_one_line(migrated_db):
    done = subprocess.run([sys.executable, "-m", "nexus_kit", "--db-url", migrated_db, "seed", "--scale", "0"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith("error: scale must be greater than 0")


STAFF = ("(select id from auth.users where raw_app_meta_data ->> 'platform_role' "
         "in ('moderator', 'support_agent', 'admin'))")
SUPPORT = "(select id from auth.users where raw_app_meta_data ->> 'platform_role' in ('support_agent', 'admin'))"
# Where staff act in their role: the knowledge base, the tickets they handle, their own profile.
STAFF_COLUMNS = {("kb_articles", "author_id"), ("ticket_messages", "author_id"),
                 ("support_tickets", "assigned_agent_id"), ("profiles", "id")}


def test_staff_personas_own_no_personal_or_workspace_rows(seeded_db):
    with psycopg.connect(seeded_db, autocommit=True) as conn:
        user_columns = conn.execute("""
            select c.conrelid::regclass::text, a.attname from pg_constraint c
              join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
             where c.contype = 'f' and c.confrelid = 'auth.users'::regclass
               and c.connamespace = 'public'::regnamespace""").fetchall()
        assert len(user_columns) > 20
        owned = {f"{t}.{c}": n for t, c in user_columns if (t, c) not in STAFF_COLUMNS
                 for n in [conn.execute(f"select count(*) from public.{t} where {c} in {STAFF}").fetchone()[0]] if n}
        assert owned == {}, "staff personas own no personal or workspace rows"
        assert conn.execute(f"select count(*) from public.kb_articles where author_id in {SUPPORT}").fetchone()[0] > 0
        assert conn.execute(f"select count(*) from public.support_tickets where assigned_agent_id in {SUPPORT}"
                            ).fetchone()[0] > 0


def test_rows_are_what_their_writer_could_have_inserted(seeded_db):
    """Each rule below is a table's INSERT policy (or the access model) read as a statement about the data."""
    violations = {
        "ticket message by neither the requester (in public) nor support": f"""
            select count(*) from public.ticket_messages m join public.support_tickets t on t.id = m.ticket_id
             where not ((m.author_id = t.requester_id and not m.is_internal) or m.author_id in {SUPPORT})""",
        "default workspace the user is not a member of": """
            select count(*) from public.user_preferences p where p.default_workspace_id is not null
               and not exists (select 1 from public.workspace_memberships m
                                where m.workspace_id = p.default_workspace_id and m.user_id = p.user_id)""",
        "report on someone else's dashboard": """
            select count(*) from public.scheduled_reports r join public.analytics_dashboards d on d.id = r.dashboard_id
             where d.user_id <> r.user_id""",
        "wish for an item the user cannot see or sells": """
            select count(*) from public.wishlist_items w join public.marketplace_items i on i.id = w.item_id
             where i.status <> 'published' or i.is_hidden or i.seller_id = w.user_id""",
        "collection item its owner cannot see": """
            select count(*) from public.marketplace_collection_items ci
              join public.marketplace_collections c on c.id = ci.collection_id
              join public.marketplace_items i on i.id = ci.item_id
             where not ((i.status = 'published' and not i.is_hidden) or i.seller_id = c.owner_id)""",
        "feedback on an unpublished article": """
            select count(*) from public.kb_article_feedback f join public.kb_articles a on a.id = f.article_id
             where a.status <> 'published'""",
        "article not written by support": f"""
            select count(*) from public.kb_articles where author_id is not null and author_id not in {SUPPORT}""",
        "workspace row written by a non-editor": """
            select count(*) from (select workspace_id, created_by from public.projects
                                  union all select workspace_id, created_by from public.content_items
                                  union all select workspace_id, created_by from public.timeline_clips
                                  union all select workspace_id, created_by from public.social_campaigns
                                  union all select workspace_id, created_by from public.scheduled_posts) r
             where not exists (select 1 from public.workspace_memberships m where m.workspace_id = r.workspace_id
                                  and m.user_id = r.created_by and m.role in ('owner', 'admin', 'editor'))""",
        "member invited by someone who is not an owner of the workspace": """
            select count(*) from public.workspace_memberships m where m.invited_by is not null
               and not exists (select 1 from public.workspace_memberships o where o.workspace_id = m.workspace_id
                                  and o.user_id = m.invited_by and o.role = 'owner' and o.user_id <> m.user_id)""",
        "answer to a closed or hidden question": """
            select count(*) from public.forum_answers a join public.forum_questions q on q.id = a.question_id
             where q.status = 'closed' or q.is_hidden""",
        "vote on one's own post": """
            select count(*) from public.forum_votes v left join public.forum_questions q on q.id = v.question_id
              left join public.forum_answers a on a.id = v.answer_id
             where v.user_id = coalesce(q.author_id, a.author_id)""",
        "insight on another user's pattern": """
            select count(*) from public.echo_insights e join public.interaction_patterns p on p.id = e.pattern_id
             where p.user_id <> e.user_id""",
        "purchase of a draft item": """
            select count(*) from public.marketplace_purchases p join public.marketplace_items i on i.id = p.item_id
             where i.status = 'draft'""",
    }
    with psycopg.connect(seeded_db, autocommit=True) as conn:
        found = {what: n for what, query in violations.items() if (n := conn.execute(query).fetchone()[0])}
        assert found == {}
        for table in ("ticket_messages", "user_preferences", "scheduled_reports", "wishlist_items",
                      "kb_article_feedback", "forum_votes"):
            assert conn.execute(f"select count(*) from public.{table}").fetchone()[0] > 20, table
        thread = conn.execute(f"""select count(*) filter (where m.author_id = t.requester_id),
                                         count(*) filter (where m.author_id in {SUPPORT} and m.is_internal),
                                         count(*) filter (where m.author_id in {SUPPORT} and not m.is_internal)
                                    from public.ticket_messages m join public.support_tickets t on t.id = m.ticket_id
                                 """).fetchone()
        assert all(n > 0 for n in thread), "requester replies, agents' replies and internal notes"
        assert conn.execute("select count(*) from public.user_preferences where default_workspace_id is not null"
                            ).fetchone()[0] > 0


def test_profiles_and_accepted_answers_are_filled(seeded_db):
    with psycopg.connect(seeded_db, autocommit=True) as conn:
        users, named = conn.execute("select count(*), count(p.username) from auth.users u "
                                    "left join public.profiles p on p.id = u.id").fetchone()
        assert users > 50 and named == users, "every profile has a username"
        assert conn.execute("select count(*) from public.profiles where bio is not null").fetchone()[0] > users // 2
        accepted, answered, wrong = conn.execute("""
            select count(q.accepted_answer_id), count(*) filter (where q.status = 'answered'),
                   count(*) filter (where q.accepted_answer_id is not null and (q.status <> 'answered' or a.is_hidden
                                    or a.question_id <> q.id))
              from public.forum_questions q left join public.forum_answers a on a.id = q.accepted_answer_id
            """).fetchone()
        assert answered > 0 and answered // 2 <= accepted <= answered, (accepted, answered)
        assert wrong == 0, "an accepted answer is a visible answer of its own (answered) question"


def test_rerun_changes_no_row(seeded_db):
    """A second run adds nothing and updates nothing: not even a now() on updated_at."""
    def snapshot(conn) -> dict[str, str]:
        return {t: conn.execute(f"select md5(coalesce(string_agg(to_jsonb(x)::text, '|' order by to_jsonb(x)::text),"
                                f" '')) from {t} x").fetchone()[0] for t in public_tables(conn)}

    with psycopg.connect(seeded_db, autocommit=True) as conn:
        before = snapshot(conn)
        seed(conn, scale=1, seed=42, progress=False)
        assert snapshot(conn) == before
