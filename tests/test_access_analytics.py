"""Analytics is personal: dashboards, widgets and scheduled reports belong to their owner;
metrics are backend-written and read by their owner."""

from __future__ import annotations

import pytest

from nexus_kit.impersonate import as_service_role
from tests.rls_helpers import count, denied, ids, setup_cast

OLIVIA_DASH = "00000000-0000-4000-8000-00000000d001"
BEN_DASH = "00000000-0000-4000-8000-00000000d002"


@pytest.fixture
def cast(migrated_conn):
    cast = setup_cast(migrated_conn)
    c = migrated_conn
    c.execute("insert into public.analytics_dashboards (id, user_id, name) values (%s, %s, 'Sales'), "
              "(%s, %s, 'Mine')", (OLIVIA_DASH, cast["owner"], BEN_DASH, cast["buyer"]))
    c.execute("insert into public.dashboard_widgets (dashboard_id, widget_type, metric_key) values "
              "(%s, 'line_chart', 'marketplace.revenue'), (%s, 'metric_card', 'content.views')",
              (OLIVIA_DASH, BEN_DASH))
    c.execute("insert into public.scheduled_reports (user_id, dashboard_id, name, frequency) values "
              "(%s, %s, 'Weekly sales', 'weekly')", (cast["owner"], OLIVIA_DASH))
    c.execute("insert into public.metrics (user_id, metric_key, source, value, recorded_at) values "
              "(%s, 'marketplace.revenue', 'marketplace', 19, now()), "
              "(%s, 'content.views', 'content', 3, now())", (cast["owner"], cast["buyer"]))
    return cast


@pytest.mark.parametrize("table, owner_sql", [
    ("analytics_dashboards", "select user_id from public.analytics_dashboards"),
    ("dashboard_widgets", "select d.user_id from public.dashboard_widgets w "
                          "join public.analytics_dashboards d on d.id = w.dashboard_id"),
    ("scheduled_reports", "select user_id from public.scheduled_reports"),
    ("metrics", "select user_id from public.metrics"),
])
def test_owner_only(migrated_conn, cast, table, owner_sql):
    c = migrated_conn
    assert ids(c, "owner", owner_sql) == {cast["owner"]}
    for who in ("stranger", "anon", "moderator", "support_agent"):
        assert ids(c, who, f"select id from public.{table}") == set(), who
    assert len(ids(c, "admin", f"select id from public.{table}")) >= 1


def test_dashboards_and_widgets_are_written_by_their_owner(migrated_conn, cast):
    c = migrated_conn
    assert count(c, "owner", "insert into public.analytics_dashboards (name) values ('New')") == 1
    denied(c, "owner", "insert into public.analytics_dashboards (user_id, name) values (%s, 'x')", (cast["buyer"],))
    widget = "insert into public.dashboard_widgets (dashboard_id, widget_type) values (%s, 'table')"
    assert count(c, "owner", widget, (OLIVIA_DASH,)) == 1
    denied(c, "owner", widget, (BEN_DASH,))  # no widgets on somebody else's dashboard
    assert count(c, "stranger", "update public.dashboard_widgets set title = 'x'") == 0
    assert count(c, "stranger", "delete from public.analytics_dashboards") == 0
    denied(c, "owner", "update public.dashboard_widgets set dashboard_id = %s", (BEN_DASH,))
    denied(c, "owner", "update public.analytics_dashboards set user_id = %s", (cast["buyer"],))
    assert count(c, "owner", "delete from public.analytics_dashboards where id = %s", (OLIVIA_DASH,)) == 1


def test_reports_only_render_the_owners_dashboards(migrated_conn, cast):
    c = migrated_conn
    insert = "insert into public.scheduled_reports (dashboard_id, name, frequency) values (%s, 'r', 'daily')"
    denied(c, "owner", insert, (BEN_DASH,))
    assert count(c, "owner", insert, (OLIVIA_DASH,)) == 1
    denied(c, "owner", "update public.scheduled_reports set dashboard_id = %s", (BEN_DASH,))


def test_metrics_are_written_by_the_backend_only(migrated_conn, cast):
    c = migrated_conn
    insert = ("insert into public.metrics (user_id, metric_key, source, value, recorded_at) "
              "values (%s, 'content.views', 'content', 1000000, now())")
    denied(c, "owner", insert, (cast["owner"],))
    denied(c, "admin", insert, (cast["owner"],))
    assert count(c, "owner", "update public.metrics set value = 0") == 0
    assert count(c, "owner", "delete from public.metrics") == 0
    with as_service_role(c) as cur:
        cur.execute(insert, (cast["owner"],))
        assert cur.rowcount == 1
