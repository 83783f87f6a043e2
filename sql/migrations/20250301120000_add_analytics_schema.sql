-- Nexus Platform — analytics: personal dashboards, their widgets, scheduled reports and
-- the metric time series behind them.
--
-- All personal: the owner only (platform admins may read and delete). Metrics are written
-- by the analytics backend (service role) and read by their owner.

create table public.analytics_dashboards (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 100),
  description text,
  layout jsonb not null default '{}' check (jsonb_typeof(layout) = 'object'),
  date_range text not null default 'last_30_days'
    check (date_range in ('last_7_days', 'last_30_days', 'last_90_days', 'last_12_months', 'custom')),
  refresh_interval_seconds integer check (refresh_interval_seconds >= 60),
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, name)
);
comment on table public.analytics_dashboards is 'A user''s analytics dashboard. Owner only.';
comment on column public.analytics_dashboards.user_id is 'Owner of the dashboard.';
comment on column public.analytics_dashboards.date_range is
  'Default period: last_7_days | last_30_days | last_90_days | last_12_months | custom.';
comment on column public.analytics_dashboards.is_default is 'Dashboard shown first (one per user).';
create unique index analytics_dashboards_one_default_per_user on public.analytics_dashboards (user_id)
  where is_default;

create table public.dashboard_widgets (
  id uuid primary key default gen_random_uuid(),
  dashboard_id uuid not null references public.analytics_dashboards (id) on delete cascade,
  widget_type text not null
    check (widget_type in ('line_chart', 'bar_chart', 'area_chart', 'pie_chart', 'metric_card', 'table',
                           'heatmap', 'funnel', 'text')),
  title text check (char_length(title) <= 200),
  metric_key text check (metric_key ~ '^[a-z][a-z0-9_.]{0,99}$'),
  config jsonb not null default '{}' check (jsonb_typeof(config) = 'object'),
  position_x smallint not null default 0 check (position_x >= 0),
  position_y smallint not null default 0 check (position_y >= 0),
  width smallint not null default 4 check (width between 1 and 12),
  height smallint not null default 3 check (height between 1 and 12),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.dashboard_widgets is 'A chart or card on a dashboard. Belongs to the dashboard''s owner.';
comment on column public.dashboard_widgets.dashboard_id is 'Dashboard the widget sits on (ownership comes from it).';
comment on column public.dashboard_widgets.widget_type is
  'line_chart | bar_chart | area_chart | pie_chart | metric_card | table | heatmap | funnel | text.';
comment on column public.dashboard_widgets.metric_key is 'Metric plotted (metrics.metric_key).';
create index dashboard_widgets_dashboard_id_idx on public.dashboard_widgets (dashboard_id);

create table public.scheduled_reports (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  dashboard_id uuid references public.analytics_dashboards (id) on delete set null,
  name text not null check (char_length(btrim(name)) between 1 and 100),
  frequency text not null check (frequency in ('daily', 'weekly', 'monthly')),
  format text not null default 'pdf' check (format in ('pdf', 'csv', 'xlsx')),
  recipients text[] not null default '{}' check (cardinality(recipients) <= 20),
  timezone text not null default 'UTC',
  send_at_hour smallint not null default 8 check (send_at_hour between 0 and 23),
  is_active boolean not null default true,
  next_run_at timestamptz,
  last_run_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.scheduled_reports is
  'A report emailed on a schedule from one of the user''s dashboards. Owner only; sent by the backend.';
comment on column public.scheduled_reports.user_id is 'Owner of the report.';
comment on column public.scheduled_reports.dashboard_id is 'Dashboard rendered (must belong to the same user).';
comment on column public.scheduled_reports.frequency is 'daily | weekly | monthly.';
comment on column public.scheduled_reports.format is 'pdf | csv | xlsx.';
create index scheduled_reports_user_id_idx on public.scheduled_reports (user_id);
create index scheduled_reports_dashboard_id_idx on public.scheduled_reports (dashboard_id);
create index scheduled_reports_due_idx on public.scheduled_reports (next_run_at) where is_active;

create table public.metrics (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  metric_key text not null check (metric_key ~ '^[a-z][a-z0-9_.]{0,99}$'),
  source text not null
    check (source in ('platform', 'content', 'echo_ai', 'marketplace', 'social_media', 'support')),
  value numeric not null,
  unit text check (unit in ('count', 'seconds', 'percent', 'currency', 'bytes', 'ratio')),
  dimensions jsonb not null default '{}' check (jsonb_typeof(dimensions) = 'object'),
  recorded_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.metrics is
  'Metric data points of a user (time series behind dashboards). Written by the analytics backend '
  '(service role); the owner reads.';
comment on column public.metrics.user_id is 'Whose metric this is.';
comment on column public.metrics.metric_key is 'Metric name, e.g. content.views or marketplace.revenue.';
comment on column public.metrics.source is 'platform | content | echo_ai | marketplace | social_media | support.';
comment on column public.metrics.recorded_at is 'Instant the value refers to.';
create index metrics_user_id_key_recorded_at_idx on public.metrics (user_id, metric_key, recorded_at desc);

-- Row Level Security ----------------------------------------------------------------------
alter table public.analytics_dashboards enable row level security;
alter table public.dashboard_widgets enable row level security;
alter table public.scheduled_reports enable row level security;
alter table public.metrics enable row level security;

create policy "analytics_dashboards: owner or admin reads" on public.analytics_dashboards
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));
create policy "analytics_dashboards: owner inserts" on public.analytics_dashboards
  for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy "analytics_dashboards: owner updates" on public.analytics_dashboards
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
create policy "analytics_dashboards: owner or admin deletes" on public.analytics_dashboards
  for delete to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));

-- dashboard_widgets: ownership comes from the dashboard.
create policy "dashboard_widgets: dashboard owner or admin reads" on public.dashboard_widgets
  for select to authenticated
  using (
    exists (select 1 from public.analytics_dashboards as d
            where d.id = dashboard_id and d.user_id = (select auth.uid()))
    or (select private.is_platform_admin())
  );
create policy "dashboard_widgets: dashboard owner inserts" on public.dashboard_widgets
  for insert to authenticated
  with check (exists (select 1 from public.analytics_dashboards as d
                      where d.id = dashboard_id and d.user_id = (select auth.uid())));
create policy "dashboard_widgets: dashboard owner updates" on public.dashboard_widgets
  for update to authenticated
  using (exists (select 1 from public.analytics_dashboards as d
                 where d.id = dashboard_id and d.user_id = (select auth.uid())))
  with check (exists (select 1 from public.analytics_dashboards as d
                      where d.id = dashboard_id and d.user_id = (select auth.uid())));
create policy "dashboard_widgets: dashboard owner or admin deletes" on public.dashboard_widgets
  for delete to authenticated
  using (
    exists (select 1 from public.analytics_dashboards as d
            where d.id = dashboard_id and d.user_id = (select auth.uid()))
    or (select private.is_platform_admin())
  );

-- scheduled_reports: owner only; may only render the owner's own dashboards.
create policy "scheduled_reports: owner or admin reads" on public.scheduled_reports
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));
create policy "scheduled_reports: owner inserts" on public.scheduled_reports
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and (dashboard_id is null
         or exists (select 1 from public.analytics_dashboards as d
                    where d.id = dashboard_id and d.user_id = (select auth.uid())))
  );
create policy "scheduled_reports: owner updates" on public.scheduled_reports
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (
    user_id = (select auth.uid())
    and (dashboard_id is null
         or exists (select 1 from public.analytics_dashboards as d
                    where d.id = dashboard_id and d.user_id = (select auth.uid())))
  );
create policy "scheduled_reports: owner or admin deletes" on public.scheduled_reports
  for delete to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));

-- metrics: backend-written; the owner (and admins) read.
create policy "metrics: owner or admin reads" on public.metrics
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));

create trigger protect_columns before update on public.analytics_dashboards
  for each row execute function private.protect_columns('nobody', 'user_id');
create trigger protect_columns before update on public.dashboard_widgets
  for each row execute function private.protect_columns('nobody', 'dashboard_id');
create trigger protect_columns before update on public.scheduled_reports
  for each row execute function private.protect_columns('nobody', 'user_id');

select private.apply_table_conventions();
