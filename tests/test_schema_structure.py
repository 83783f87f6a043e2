"""Structural lint of the migrated schema, as catalog queries: every check must find nothing.

These are the Supabase advisor's security and performance lints plus the project's own
conventions (comments, timestamps, uuid keys, one permissive policy per role and action).
"""

from __future__ import annotations

import pglast
import pytest

AUTH_FUNCTIONS = {"uid", "jwt", "role", "email"}

EXPECTED_TABLES = {
    # create_initial_schema
    "profiles", "subscriptions", "workspaces", "workspace_memberships", "projects", "content_items",
    "timeline_clips", "ai_models", "workflow_templates",
    # add_echo_ai_schema
    "user_interactions", "interaction_patterns", "echo_insights", "user_preferences", "style_profiles",
    # add_marketplace_schema
    "marketplace_items", "marketplace_reviews", "marketplace_purchases", "marketplace_collections",
    "marketplace_collection_items", "wishlist_items",
    # add_analytics_schema
    "analytics_dashboards", "dashboard_widgets", "scheduled_reports", "metrics",
    # add_social_media_schema
    "social_accounts", "scheduled_posts", "social_campaigns", "content_calendars", "social_post_metrics",
    "social_listening_queries", "social_mentions",
    # add_support_schema
    "kb_categories", "kb_articles", "kb_article_feedback", "forum_questions", "forum_answers", "forum_votes",
    "support_tickets", "ticket_messages",
}


def findings(conn, sql: str, params=None) -> list[tuple]:
    return conn.execute(sql, params).fetchall()


# -- the Supabase lints ----------------------------------------------------------------------

def test_every_expected_table_exists(migrated_conn):
    tables = {r[0] for r in findings(migrated_conn, "select tablename from pg_tables where schemaname = 'public'")}
    assert EXPECTED_TABLES - tables == set()


def test_rls_enabled_on_every_public_table(migrated_conn):
    assert findings(migrated_conn, """
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relrowsecurity
    """) == []


def test_no_table_with_rls_and_no_policy(migrated_conn):
    assert findings(migrated_conn, """
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p') and c.relrowsecurity
          and not exists (select 1 from pg_policy p where p.polrelid = c.oid)
    """) == []


def _auth_calls_outside_scalar_subquery(expr: str) -> list[str]:
    """auth.*() calls whose nearest enclosing SELECT is not a FROM-less scalar subquery."""
    tree = pglast.parse_sql(f"select ({expr})")[0].stmt(skip_none=True)
    bad: list[str] = []

    def walk(node, selects: list[dict]):
        if isinstance(node, dict):
            kind = node.get("@")
            if kind == "SelectStmt":
                selects = [*selects, node]
            if kind == "FuncCall":
                name = [part.get("sval") for part in node.get("funcname", [])]
                if len(name) == 2 and name[0] == "auth" and name[1] in AUTH_FUNCTIONS:
                    nearest = selects[-1]
                    # selects[0] is our own wrapper: a call directly in the qual is per-row
                    if len(selects) < 2 or nearest.get("fromClause"):
                        bad.append(".".join(name))
            for value in node.values():
                walk(value, selects)
        elif isinstance(node, (list, tuple)):
            for item in node:
                walk(item, selects)

    walk(tree, [])
    return bad


def test_auth_calls_in_policies_are_wrapped_in_scalar_subqueries(migrated_conn):
    rows = findings(migrated_conn, """
        select tablename, policyname, qual, with_check from pg_policies where schemaname = 'public'
    """)
    assert rows, "no policies found"
    bad = []
    for table, policy, qual, check in rows:
        for expr in (qual, check):
            if expr and _auth_calls_outside_scalar_subquery(expr):
                bad.append((table, policy, expr))
    assert bad == []


def test_wrapping_detector_catches_per_row_calls():
    # the detector itself: a bare call, and a call inside a correlated subquery, are per-row
    assert _auth_calls_outside_scalar_subquery("user_id = auth.uid()") == ["auth.uid"]
    assert _auth_calls_outside_scalar_subquery(
        "exists (select 1 from t where t.owner = auth.uid())") == ["auth.uid"]
    assert _auth_calls_outside_scalar_subquery("user_id = (select auth.uid())") == []
    assert _auth_calls_outside_scalar_subquery(
        "((select auth.jwt()) -> 'app_metadata' ->> 'platform_role') = 'admin'") == []


def test_every_foreign_key_is_indexed(migrated_conn):
    assert findings(migrated_conn, """
        select c.conrelid::regclass::text, c.conname
        from pg_constraint c join pg_namespace n on n.oid = c.connamespace
        where c.contype = 'f' and n.nspname = 'public'
          and not exists (
            select 1 from pg_index i
            where i.indrelid = c.conrelid
              and i.indnkeyatts >= cardinality(c.conkey)
              and (select array_agg(k order by k) from unnest((i.indkey::int2[])[0:cardinality(c.conkey) - 1]) k)
                  = (select array_agg(k order by k) from unnest(c.conkey) k))
    """) == []


def test_functions_have_a_fixed_search_path(migrated_conn):
    assert findings(migrated_conn, """
        select p.oid::regprocedure::text
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname in ('public', 'private')
          and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
          and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) c where c like 'search_path=%%')
    """) == []


def test_no_policy_reads_user_metadata(migrated_conn):
    rows = findings(migrated_conn, """
        select tablename, policyname from pg_policies
        where schemaname = 'public'
          and (coalesce(qual, '') || coalesce(with_check, '')) ~* '(user_metadata|raw_user_meta_data)'
    """)
    assert rows == []
    # nor any helper a policy calls (everything in private except the sign-up trigger)
    helpers = findings(migrated_conn, """
        select p.proname from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'private' and p.proname <> 'handle_new_user'
          and p.prosrc ~* '(user_metadata|raw_user_meta_data)'
    """)
    assert helpers == []


def test_at_most_one_permissive_policy_per_table_role_and_action(migrated_conn):
    assert findings(migrated_conn, """
        with expanded as (
          select p.polrelid::regclass::text as tbl, r.role, a.action, p.polname
          from pg_policy p
          join pg_class c on c.oid = p.polrelid
          join pg_namespace n on n.oid = c.relnamespace
          cross join lateral unnest(p.polroles) as r(role)
          cross join lateral unnest(case p.polcmd when '*' then array['r', 'a', 'w', 'd']
                                                  else array[p.polcmd::text] end) as a(action)
          where n.nspname = 'public' and p.polpermissive
        )
        select tbl, role::regrole::text, action, array_agg(polname)
        from expanded group by tbl, role, action having count(*) > 1
    """) == []


def test_every_policy_names_its_roles(migrated_conn):
    assert findings(migrated_conn, """
        select tablename, policyname from pg_policies
        where schemaname = 'public' and roles @> array['public']::name[]
    """) == []


def test_every_table_has_a_primary_key(migrated_conn):
    assert findings(migrated_conn, """
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p')
          and not exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'p')
    """) == []


def test_views_are_security_invoker(migrated_conn):
    views = findings(migrated_conn, """
        select c.relname, coalesce(c.reloptions, '{}') from pg_class c
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('v', 'm')
    """)
    assert views, "expected at least one view (marketplace_item_ratings)"
    assert [v for v, opts in views
            if not any(o.lower() in ('security_invoker=true', 'security_invoker=on', 'security_invoker=1')
                       for o in opts)] == []


def test_no_duplicate_indexes(migrated_conn):
    assert findings(migrated_conn, """
        select indrelid::regclass::text, array_agg(indexrelid::regclass::text)
        from pg_index i join pg_class c on c.oid = i.indrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public'
        group by indrelid, indkey::text, indclass::text, indcollation::text,
                 coalesce(indexprs::text, ''), coalesce(indpred::text, ''), indisunique
        having count(*) > 1
    """) == []


def test_tables_views_and_key_columns_have_comments(migrated_conn):
    tables = findings(migrated_conn, """
        select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind in ('r', 'p', 'v', 'm')
          and obj_description(c.oid, 'pg_class') is null
    """)
    assert tables == []
    # key columns: primary-key columns, foreign-key columns, ownership columns
    columns = findings(migrated_conn, """
        select c.relname, a.attname
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
        where n.nspname = 'public' and c.relkind in ('r', 'p')
          and col_description(c.oid, a.attnum) is null
          and (exists (select 1 from pg_constraint k
                       where k.conrelid = c.oid and k.contype in ('p', 'f') and a.attnum = any (k.conkey))
               or a.attname in ('user_id', 'owner_id', 'seller_id', 'buyer_id', 'author_id', 'requester_id',
                                'created_by', 'workspace_id', 'status', 'role', 'visibility'))
    """)
    assert columns == []


# -- project conventions ------------------------------------------------------------------------

def test_every_table_has_timestamps_and_the_updated_at_trigger(migrated_conn):
    missing = findings(migrated_conn, """
        select c.relname,
               exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'created_at'
                       and a.attnotnull and a.atthasdef),
               exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'updated_at'
                       and a.attnotnull and a.atthasdef),
               exists (select 1 from pg_trigger t where t.tgrelid = c.oid
                       and t.tgfoid = 'private.set_updated_at()'::regprocedure)
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'
    """)
    assert [row[0] for row in missing if not all(row[1:])] == []


def test_primary_keys_are_generated_uuids(migrated_conn):
    rows = findings(migrated_conn, """
        select c.relname, a.attname, format_type(a.atttypid, a.atttypmod), pg_get_expr(d.adbin, d.adrelid)
        from pg_constraint k
        join pg_class c on c.oid = k.conrelid
        join pg_namespace n on n.oid = c.relnamespace
        join pg_attribute a on a.attrelid = c.oid and a.attnum = any (k.conkey)
        left join pg_attrdef d on d.adrelid = c.oid and d.adnum = a.attnum
        where n.nspname = 'public' and k.contype = 'p'
    """)
    bad = [r for r in rows
           if r[2] != "uuid" or (r[0] != "profiles" and r[3] != "gen_random_uuid()")]
    assert bad == []


def test_profiles_are_keyed_by_the_auth_user(migrated_conn):
    row = migrated_conn.execute("""
        select confrelid::regclass::text, confdeltype from pg_constraint
        where conrelid = 'public.profiles'::regclass and contype = 'f'
    """).fetchone()
    assert row == ("auth.users", "c")


@pytest.mark.parametrize("column", ["price", "amount", "budget"])
def test_money_columns_are_numeric_10_2_and_non_negative(migrated_conn, column):
    rows = findings(migrated_conn, """
        select c.relname, format_type(a.atttypid, a.atttypmod),
               exists (select 1 from pg_constraint k where k.conrelid = c.oid and k.contype = 'c'
                       and a.attnum = any (k.conkey) and pg_get_constraintdef(k.oid) like '%%>= (0)%%')
        from pg_attribute a join pg_class c on c.oid = a.attrelid
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r' and a.attname = %s and not a.attisdropped
    """, (column,))
    assert rows, f"no {column} column"
    assert [r for r in rows if r[1] != "numeric(10,2)" or not r[2]] == []


def test_no_functions_in_public(migrated_conn):
    # public functions are exposed as RPC endpoints to anon: everything lives in private
    assert findings(migrated_conn, """
        select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'public'
          and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
    """) == []


def test_private_helpers_are_secure(migrated_conn):
    rows = findings(migrated_conn, """
        select p.proname, p.prosecdef, p.provolatile, p.proconfig,
               has_function_privilege('public', p.oid, 'execute')
        from pg_proc p join pg_namespace n on n.oid = p.pronamespace
        where n.nspname = 'private'
    """)
    helpers = {"platform_role", "is_platform_admin", "is_moderator", "is_support_agent", "my_workspace_ids"}
    assert helpers <= {r[0] for r in rows}
    for name, secdef, volatile, config, public_exec in rows:
        assert not public_exec, f"PUBLIC can execute private.{name}"
        assert config == ["search_path=\"\""] or config == ["search_path=''"], (name, config)
        if name in helpers:
            assert secdef and volatile == "s", name
    # the private schema is not usable by PUBLIC
    assert migrated_conn.execute("select has_schema_privilege('public', 'private', 'usage')").fetchone()[0] is False


def test_api_roles_cannot_truncate(migrated_conn):
    assert findings(migrated_conn, """
        select c.relname, r.rolname from pg_class c join pg_namespace n on n.oid = c.relnamespace
        cross join (values ('anon'), ('authenticated')) as r(rolname)
        where n.nspname = 'public' and c.relkind = 'r'
          and has_table_privilege(r.rolname, c.oid, 'truncate')
    """) == []


def test_social_tokens_have_no_api_column_privilege(migrated_conn):
    rows = findings(migrated_conn, """
        select r.rolname, col, has_column_privilege(r.rolname, 'public.social_accounts', col, 'select')
        from (values ('anon'), ('authenticated')) r(rolname)
        cross join unnest(array['access_token', 'refresh_token']) col
    """)
    assert [r for r in rows if r[2]] == []
    assert migrated_conn.execute(
        "select has_column_privilege('service_role', 'public.social_accounts', 'access_token', 'select')"
    ).fetchone()[0] is True
