-- Nexus Platform — social media: connected accounts, scheduled posts, campaigns, content
-- calendars, post metrics and social listening, all scoped to a workspace.
--
-- Members of the workspace read; editors and above write. Child rows reference their
-- parent by (id, workspace_id) so they cannot point into another workspace.
-- OAuth tokens of connected accounts are never readable by anon/authenticated: the token
-- columns are excluded from their column privileges (only the service role reads them),
-- and accounts are connected by the OAuth backend (service role).

create table public.social_accounts (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  platform text not null
    check (platform in ('x', 'instagram', 'facebook', 'linkedin', 'tiktok', 'youtube', 'threads', 'pinterest')),
  external_account_id text not null,
  handle text not null check (char_length(handle) between 1 and 100),
  display_name text,
  avatar_url text check (avatar_url ~ '^https?://'),
  status text not null default 'connected' check (status in ('connected', 'expired', 'revoked', 'error')),
  access_token text,
  refresh_token text,
  token_expires_at timestamptz,
  scopes text[] not null default '{}',
  connected_by uuid default auth.uid() references auth.users (id) on delete set null,
  last_synced_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, platform, external_account_id),
  unique (id, workspace_id)
);
comment on table public.social_accounts is
  'A social network account connected to a workspace through OAuth. Tokens are readable only by the service role.';
comment on column public.social_accounts.workspace_id is 'Owning workspace.';
comment on column public.social_accounts.platform is 'x | instagram | facebook | linkedin | tiktok | youtube | threads | pinterest.';
comment on column public.social_accounts.external_account_id is 'Account id on the platform.';
comment on column public.social_accounts.status is 'connected | expired | revoked | error.';
comment on column public.social_accounts.access_token is
  'OAuth access token. SECRET: no column privilege for anon/authenticated; service role only.';
comment on column public.social_accounts.refresh_token is
  'OAuth refresh token. SECRET: no column privilege for anon/authenticated; service role only.';
comment on column public.social_accounts.connected_by is 'Member who connected the account.';
create index social_accounts_connected_by_idx on public.social_accounts (connected_by);

create table public.social_campaigns (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 150),
  description text,
  objective text not null default 'awareness'
    check (objective in ('awareness', 'engagement', 'traffic', 'leads', 'conversions', 'launch')),
  status text not null default 'planned' check (status in ('planned', 'active', 'paused', 'completed', 'archived')),
  starts_on date,
  ends_on date,
  budget numeric(10, 2) check (budget >= 0),
  currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  hashtags text[] not null default '{}',
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, name),
  unique (id, workspace_id),
  constraint social_campaigns_dates_order check (ends_on >= starts_on)
);
comment on table public.social_campaigns is 'A marketing campaign grouping scheduled posts of a workspace.';
comment on column public.social_campaigns.workspace_id is 'Owning workspace.';
comment on column public.social_campaigns.objective is 'awareness | engagement | traffic | leads | conversions | launch.';
comment on column public.social_campaigns.status is 'planned | active | paused | completed | archived.';
comment on column public.social_campaigns.budget is 'Paid budget, >= 0.';
comment on column public.social_campaigns.created_by is 'Member who created the campaign.';
create index social_campaigns_created_by_idx on public.social_campaigns (created_by);

create table public.content_calendars (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 100),
  description text,
  timezone text not null default 'UTC',
  color text check (color ~ '^#[0-9a-fA-F]{6}$'),
  is_default boolean not null default false,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, name),
  unique (id, workspace_id)
);
comment on table public.content_calendars is 'A publishing calendar of a workspace; scheduled posts are placed on it.';
comment on column public.content_calendars.workspace_id is 'Owning workspace.';
comment on column public.content_calendars.created_by is 'Member who created the calendar.';
comment on column public.content_calendars.is_default is 'The workspace''s default calendar (one per workspace).';
create index content_calendars_created_by_idx on public.content_calendars (created_by);
create unique index content_calendars_one_default_per_workspace on public.content_calendars (workspace_id)
  where is_default;

create table public.scheduled_posts (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  social_account_id uuid not null,
  campaign_id uuid,
  calendar_id uuid,
  content_item_id uuid,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  body text not null check (char_length(body) <= 10000),
  media_urls text[] not null default '{}',
  link_url text check (link_url ~ '^https?://'),
  scheduled_for timestamptz not null,
  status text not null default 'draft'
    check (status in ('draft', 'scheduled', 'publishing', 'published', 'failed', 'cancelled')),
  published_at timestamptz,
  external_post_id text,
  error_message text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, workspace_id),
  constraint scheduled_posts_social_account_fkey foreign key (social_account_id, workspace_id)
    references public.social_accounts (id, workspace_id) on delete cascade,
  constraint scheduled_posts_campaign_fkey foreign key (campaign_id, workspace_id)
    references public.social_campaigns (id, workspace_id) on delete set null (campaign_id),
  constraint scheduled_posts_calendar_fkey foreign key (calendar_id, workspace_id)
    references public.content_calendars (id, workspace_id) on delete set null (calendar_id),
  constraint scheduled_posts_content_item_fkey foreign key (content_item_id, workspace_id)
    references public.content_items (id, workspace_id) on delete set null (content_item_id)
);
comment on table public.scheduled_posts is 'A post to publish on a connected social account at a given time.';
comment on column public.scheduled_posts.workspace_id is 'Owning workspace.';
comment on column public.scheduled_posts.social_account_id is 'Account the post goes out on (same workspace).';
comment on column public.scheduled_posts.campaign_id is 'Campaign the post belongs to, if any (same workspace).';
comment on column public.scheduled_posts.calendar_id is 'Calendar the post is placed on, if any (same workspace).';
comment on column public.scheduled_posts.content_item_id is 'Content item the post promotes, if any (same workspace).';
comment on column public.scheduled_posts.created_by is 'Member who wrote the post.';
comment on column public.scheduled_posts.status is 'draft | scheduled | publishing | published | failed | cancelled.';
comment on column public.scheduled_posts.scheduled_for is 'When to publish.';
create index scheduled_posts_workspace_id_scheduled_for_idx on public.scheduled_posts (workspace_id, scheduled_for);
create index scheduled_posts_social_account_idx on public.scheduled_posts (social_account_id, workspace_id);
create index scheduled_posts_campaign_idx on public.scheduled_posts (campaign_id, workspace_id);
create index scheduled_posts_calendar_idx on public.scheduled_posts (calendar_id, workspace_id);
create index scheduled_posts_content_item_idx on public.scheduled_posts (content_item_id, workspace_id);
create index scheduled_posts_created_by_idx on public.scheduled_posts (created_by);
create index scheduled_posts_due_idx on public.scheduled_posts (scheduled_for) where status = 'scheduled';

create table public.social_post_metrics (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  scheduled_post_id uuid not null,
  captured_at timestamptz not null default now(),
  impressions bigint not null default 0 check (impressions >= 0),
  reach bigint not null default 0 check (reach >= 0),
  likes bigint not null default 0 check (likes >= 0),
  comments bigint not null default 0 check (comments >= 0),
  shares bigint not null default 0 check (shares >= 0),
  saves bigint not null default 0 check (saves >= 0),
  clicks bigint not null default 0 check (clicks >= 0),
  video_views bigint not null default 0 check (video_views >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (scheduled_post_id, captured_at),
  constraint social_post_metrics_post_fkey foreign key (scheduled_post_id, workspace_id)
    references public.scheduled_posts (id, workspace_id) on delete cascade
);
comment on table public.social_post_metrics is
  'Engagement snapshot of a published post at a point in time (imported by the sync backend or entered by editors).';
comment on column public.social_post_metrics.workspace_id is 'Owning workspace (same as the post''s).';
comment on column public.social_post_metrics.scheduled_post_id is 'The post measured.';
comment on column public.social_post_metrics.captured_at is 'When the snapshot was taken.';
create index social_post_metrics_post_idx on public.social_post_metrics (scheduled_post_id, workspace_id);
create index social_post_metrics_workspace_id_idx on public.social_post_metrics (workspace_id, captured_at desc);

create table public.social_listening_queries (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 100),
  keywords text[] not null check (cardinality(keywords) between 1 and 50),
  excluded_keywords text[] not null default '{}',
  platforms text[] not null default '{}'
    check (platforms <@ array['x', 'instagram', 'facebook', 'linkedin', 'tiktok', 'youtube', 'threads',
                              'pinterest']::text[]),
  language text check (language ~ '^[a-z]{2}$'),
  is_active boolean not null default true,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, name),
  unique (id, workspace_id)
);
comment on table public.social_listening_queries is 'Keywords a workspace monitors across social networks.';
comment on column public.social_listening_queries.workspace_id is 'Owning workspace.';
comment on column public.social_listening_queries.keywords is 'Terms to monitor (1..50).';
comment on column public.social_listening_queries.platforms is 'Networks to search (empty = all).';
comment on column public.social_listening_queries.created_by is 'Member who created the query.';
create index social_listening_queries_created_by_idx on public.social_listening_queries (created_by);

create table public.social_mentions (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  listening_query_id uuid not null,
  platform text not null
    check (platform in ('x', 'instagram', 'facebook', 'linkedin', 'tiktok', 'youtube', 'threads', 'pinterest')),
  external_id text not null,
  author_handle text,
  author_name text,
  content text,
  url text check (url ~ '^https?://'),
  sentiment text check (sentiment in ('positive', 'neutral', 'negative', 'mixed')),
  sentiment_score numeric(4, 3) check (sentiment_score between -1 and 1),
  reach bigint check (reach >= 0),
  mentioned_at timestamptz not null,
  status text not null default 'new' check (status in ('new', 'reviewed', 'flagged', 'archived')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (listening_query_id, platform, external_id),
  constraint social_mentions_query_fkey foreign key (listening_query_id, workspace_id)
    references public.social_listening_queries (id, workspace_id) on delete cascade
);
comment on table public.social_mentions is 'A public post matching a listening query.';
comment on column public.social_mentions.workspace_id is 'Owning workspace (same as the query''s).';
comment on column public.social_mentions.listening_query_id is 'Query that found the mention.';
comment on column public.social_mentions.platform is 'Network the mention was found on.';
comment on column public.social_mentions.sentiment is 'positive | neutral | negative | mixed.';
comment on column public.social_mentions.status is 'Triage state: new | reviewed | flagged | archived.';
create index social_mentions_query_idx on public.social_mentions (listening_query_id, workspace_id);
create index social_mentions_workspace_id_idx on public.social_mentions (workspace_id, mentioned_at desc);

-- Tokens: anon gets nothing; authenticated gets every column except the tokens, and may
-- only change descriptive columns. The service role (OAuth backend) keeps full access.
revoke all on public.social_accounts from anon, authenticated;
grant select (id, workspace_id, platform, external_account_id, handle, display_name, avatar_url, status,
              token_expires_at, scopes, connected_by, last_synced_at, created_at, updated_at)
  on public.social_accounts to authenticated;
grant update (handle, display_name, avatar_url, status) on public.social_accounts to authenticated;
grant delete on public.social_accounts to authenticated;

-- Row Level Security ----------------------------------------------------------------------
alter table public.social_accounts enable row level security;
alter table public.social_campaigns enable row level security;
alter table public.content_calendars enable row level security;
alter table public.scheduled_posts enable row level security;
alter table public.social_post_metrics enable row level security;
alter table public.social_listening_queries enable row level security;
alter table public.social_mentions enable row level security;

create policy "social_accounts: members read" on public.social_accounts
  for select to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('viewer'))::uuid[]) or (select private.is_platform_admin()));
create policy "social_accounts: editors update" on public.social_accounts
  for update to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  with check (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));
create policy "social_accounts: editors delete" on public.social_accounts
  for delete to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));

create policy "social_campaigns: members read" on public.social_campaigns
  for select to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('viewer'))::uuid[]) or (select private.is_platform_admin()));
create policy "social_campaigns: editors insert" on public.social_campaigns
  for insert to authenticated
  with check (
    created_by = (select auth.uid())
    and (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  );
create policy "social_campaigns: editors update" on public.social_campaigns
  for update to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  with check (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));
create policy "social_campaigns: editors delete" on public.social_campaigns
  for delete to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));

create policy "content_calendars: members read" on public.content_calendars
  for select to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('viewer'))::uuid[]) or (select private.is_platform_admin()));
create policy "content_calendars: editors insert" on public.content_calendars
  for insert to authenticated
  with check (
    created_by = (select auth.uid())
    and (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  );
create policy "content_calendars: editors update" on public.content_calendars
  for update to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  with check (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));
create policy "content_calendars: editors delete" on public.content_calendars
  for delete to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));

create policy "scheduled_posts: members read" on public.scheduled_posts
  for select to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('viewer'))::uuid[]) or (select private.is_platform_admin()));
create policy "scheduled_posts: editors insert" on public.scheduled_posts
  for insert to authenticated
  with check (
    created_by = (select auth.uid())
    and (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  );
create policy "scheduled_posts: editors update" on public.scheduled_posts
  for update to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  with check (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));
create policy "scheduled_posts: editors delete" on public.scheduled_posts
  for delete to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));

create policy "social_post_metrics: members read" on public.social_post_metrics
  for select to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('viewer'))::uuid[]) or (select private.is_platform_admin()));
create policy "social_post_metrics: editors insert" on public.social_post_metrics
  for insert to authenticated
  with check (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));
create policy "social_post_metrics: editors update" on public.social_post_metrics
  for update to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  with check (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));
create policy "social_post_metrics: editors delete" on public.social_post_metrics
  for delete to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));

create policy "social_listening_queries: members read" on public.social_listening_queries
  for select to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('viewer'))::uuid[]) or (select private.is_platform_admin()));
create policy "social_listening_queries: editors insert" on public.social_listening_queries
  for insert to authenticated
  with check (
    created_by = (select auth.uid())
    and (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  );
create policy "social_listening_queries: editors update" on public.social_listening_queries
  for update to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  with check (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));
create policy "social_listening_queries: editors delete" on public.social_listening_queries
  for delete to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));

create policy "social_mentions: members read" on public.social_mentions
  for select to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('viewer'))::uuid[]) or (select private.is_platform_admin()));
create policy "social_mentions: editors insert" on public.social_mentions
  for insert to authenticated
  with check (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));
create policy "social_mentions: editors update" on public.social_mentions
  for update to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  with check (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));
create policy "social_mentions: editors delete" on public.social_mentions
  for delete to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));

-- Column guards: rows never move to another workspace or author.
create trigger protect_columns before update on public.social_accounts
  for each row execute function private.protect_columns('nobody', 'workspace_id', 'connected_by');
create trigger protect_columns before update on public.social_campaigns
  for each row execute function private.protect_columns('nobody', 'workspace_id', 'created_by');
create trigger protect_columns before update on public.content_calendars
  for each row execute function private.protect_columns('nobody', 'workspace_id', 'created_by');
create trigger protect_columns before update on public.scheduled_posts
  for each row execute function private.protect_columns('nobody', 'workspace_id', 'created_by');
create trigger protect_columns before update on public.social_post_metrics
  for each row execute function private.protect_columns('nobody', 'workspace_id', 'scheduled_post_id');
create trigger protect_columns before update on public.social_listening_queries
  for each row execute function private.protect_columns('nobody', 'workspace_id', 'created_by');
create trigger protect_columns before update on public.social_mentions
  for each row execute function private.protect_columns('nobody', 'workspace_id', 'listening_query_id');

select private.apply_table_conventions();
