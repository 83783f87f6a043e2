-- Nexus Platform — initial schema: users and auth, workspaces, content management,
-- AI models and workflow templates.
--
-- Conventions used by every migration of the platform:
--   * uuid primary keys (gen_random_uuid()), created_at / updated_at on every table,
--     updated_at maintained by the shared trigger private.set_updated_at().
--   * Every ownership column references auth.users(id) (profiles.id does too), and
--     defaults to auth.uid() where the API inserts the row.
--   * RLS on every table; every policy names its roles; auth.uid()/auth.jwt() are always
--     wrapped in a scalar subquery so they are evaluated once per statement.
--   * Role and membership checks live in the schema `private` (not exposed by the API),
--     in STABLE SECURITY DEFINER functions with search_path = '' that only ever answer
--     about the calling user.
--   * Platform roles come from the JWT: app_metadata.platform_role (only the service role
--     can write app_metadata). user_metadata is never used for authorization.
--   * Ownership and workspace columns can only be changed by the service role
--     (trigger private.protect_columns); moves between owners are impossible via the API.
--
-- The runner wraps this file in one transaction.

-- ---------------------------------------------------------------------------------------
-- Private schema: helpers that policies call, never exposed through the Data API.
-- ---------------------------------------------------------------------------------------
create schema if not exists private;
comment on schema private is
  'Nexus internals: authorization helpers and trigger functions. Not exposed by the Data API.';
revoke all on schema private from public;
grant usage on schema private to anon, authenticated, service_role;

-- Shared trigger: keeps updated_at current on every UPDATE.
create or replace function private.set_updated_at()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at := now();
  return new;
end;
$$;
comment on function private.set_updated_at() is
  'BEFORE UPDATE trigger shared by every table: sets updated_at to now().';

-- The calling user's platform role, read from the JWT's app_metadata (never user_metadata).
create or replace function private.platform_role()
returns text
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return nullif((select auth.jwt()) -> 'app_metadata' ->> 'platform_role', '');
end;
$$;
comment on function private.platform_role() is
  'Platform role of the calling user: JWT app_metadata.platform_role (admin | moderator | support_agent) or null.';

create or replace function private.is_platform_admin()
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return coalesce(private.platform_role() = 'admin', false);
end;
$$;
comment on function private.is_platform_admin() is 'True when the calling user is a platform admin.';

create or replace function private.is_moderator()
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return coalesce(private.platform_role() in ('moderator', 'admin'), false);
end;
$$;
comment on function private.is_moderator() is
  'True when the calling user may moderate marketplace and forum content (moderator or admin).';

create or replace function private.is_support_agent()
returns boolean
language plpgsql
stable
security definer
set search_path = ''
as $$
begin
  return coalesce(private.platform_role() in ('support_agent', 'admin'), false);
end;
$$;
comment on function private.is_support_agent() is
  'True when the calling user may work support tickets and the knowledge base (support_agent or admin).';

-- Guard for columns that the API roles must not change (ownership, workspace, moderation).
-- Arguments: who may still change them ('nobody' = only the service role / migrations,
-- 'admin', 'moderator', 'support_agent'), then the column names.
create or replace function private.protect_columns()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  allowed boolean;
  col text;
  i integer;
  old_row jsonb;
  new_row jsonb;
begin
  -- Only requests coming through the API roles are restricted; the service role,
  -- migrations and SECURITY DEFINER internals run as other roles.
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  allowed := case tg_argv[0]
    when 'admin' then private.is_platform_admin()
    when 'moderator' then private.is_moderator()
    when 'support_agent' then private.is_support_agent()
    else false
  end;
  if allowed then
    return new;
  end if;
  old_row := to_jsonb(old);
  new_row := to_jsonb(new);
  for i in 1 .. tg_nargs - 1 loop
    col := tg_argv[i];
    if (new_row -> col) is distinct from (old_row -> col) then
      raise exception 'column %.% cannot be changed by this user', tg_table_name, col
        using errcode = '42501',
              hint = case tg_argv[0] when 'nobody' then 'Only the service role can change it.'
                     else format('Only a %s can change it.', tg_argv[0]) end;
    end if;
  end loop;
  return new;
end;
$$;
comment on function private.protect_columns() is
  'BEFORE UPDATE guard: API roles (anon, authenticated) cannot change the listed columns unless they hold the '
  'platform role named by the first trigger argument (''nobody'' = service role only).';

-- ---------------------------------------------------------------------------------------
-- Users: profiles and subscriptions
-- ---------------------------------------------------------------------------------------
create table public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  username text unique check (username ~ '^[a-z0-9_]{3,30}$'),
  full_name text check (char_length(full_name) <= 200),
  avatar_url text check (avatar_url ~ '^https?://'),
  bio text check (char_length(bio) <= 1000),
  website text check (website ~ '^https?://'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.profiles is
  'Public profile of a user, one per auth.users row (created by a trigger on sign-up). Holds only '
  'public fields; private settings live in user_preferences.';
comment on column public.profiles.id is 'The user: auth.users.id (deleting the user deletes the profile).';
comment on column public.profiles.username is 'Unique public handle (lower-case letters, digits, underscore).';
comment on column public.profiles.full_name is 'Display name; initialised from sign-up metadata (display only).';
comment on column public.profiles.avatar_url is 'Public avatar image URL.';

create table public.subscriptions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  plan text not null default 'free' check (plan in ('free', 'pro', 'team', 'enterprise')),
  status text not null default 'active'
    check (status in ('trialing', 'active', 'past_due', 'canceled', 'incomplete', 'incomplete_expired',
                      'unpaid', 'paused')),
  billing_interval text check (billing_interval in ('month', 'year')),
  seats integer not null default 1 check (seats >= 1),
  price numeric(10, 2) not null default 0 check (price >= 0),
  currency text not null default 'USD' check (currency ~ '^[A-Z]{3}$'),
  current_period_start timestamptz,
  current_period_end timestamptz,
  trial_ends_at timestamptz,
  cancel_at_period_end boolean not null default false,
  canceled_at timestamptz,
  provider text not null default 'stripe' check (provider in ('stripe', 'manual')),
  provider_customer_id text,
  provider_subscription_id text unique,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint subscriptions_period_order check (current_period_end > current_period_start)
);
comment on table public.subscriptions is
  'Billing subscription of a user (plan, status, billing period). Written only by the billing backend '
  '(service role); the user reads their own.';
comment on column public.subscriptions.user_id is 'Subscriber (auth.users.id).';
comment on column public.subscriptions.plan is 'Plan: free | pro | team | enterprise.';
comment on column public.subscriptions.status is 'Provider status: trialing | active | past_due | canceled | ...';
comment on column public.subscriptions.current_period_end is 'End of the paid period currently in force.';
comment on column public.subscriptions.provider_subscription_id is 'Subscription id at the payment provider.';
create index subscriptions_user_id_idx on public.subscriptions (user_id);
create unique index subscriptions_one_live_per_user on public.subscriptions (user_id)
  where status in ('trialing', 'active', 'past_due', 'incomplete', 'unpaid', 'paused');

-- ---------------------------------------------------------------------------------------
-- AI models and workflow templates (catalog)
-- ---------------------------------------------------------------------------------------
create table public.ai_models (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9.]+)*$'),
  name text not null check (char_length(name) between 1 and 100),
  provider text not null check (provider ~ '^[a-z0-9_-]{2,40}$'),
  provider_model_id text not null,
  modality text not null check (modality in ('text', 'image', 'audio', 'video', 'multimodal', 'embedding')),
  description text,
  capabilities text[] not null default '{}',
  context_window integer check (context_window > 0),
  input_price_per_million numeric(10, 2) check (input_price_per_million >= 0),
  output_price_per_million numeric(10, 2) check (output_price_per_million >= 0),
  is_active boolean not null default true,
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (provider, provider_model_id)
);
comment on table public.ai_models is
  'Catalog of AI models Echo AI and workflows can use. Active models are public; admins manage it.';
comment on column public.ai_models.slug is 'Stable public identifier of the model.';
comment on column public.ai_models.provider is 'Model vendor (openai, anthropic, google, nexus, ...).';
comment on column public.ai_models.modality is 'text | image | audio | video | multimodal | embedding.';
comment on column public.ai_models.is_active is 'Only active models are visible to users.';
comment on column public.ai_models.is_default is 'Default model of its modality (at most one per modality).';
create unique index ai_models_one_default_per_modality on public.ai_models (modality) where is_default;

create table public.workflow_templates (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  name text not null check (char_length(name) between 1 and 150),
  description text,
  category text not null
    check (category in ('content_creation', 'video_editing', 'social_media', 'marketing', 'analytics',
                        'design', 'automation')),
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  visibility text not null default 'private' check (visibility in ('private', 'public')),
  is_official boolean not null default false,
  ai_model_id uuid references public.ai_models (id) on delete set null,
  steps jsonb not null default '[]' check (jsonb_typeof(steps) = 'array'),
  input_schema jsonb not null default '{}' check (jsonb_typeof(input_schema) = 'object'),
  estimated_minutes integer check (estimated_minutes > 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.workflow_templates is
  'Reusable multi-step AI workflows. Public templates are readable by everyone; authors manage their own; '
  'official templates are curated by admins.';
comment on column public.workflow_templates.created_by is 'Author (null for platform templates).';
comment on column public.workflow_templates.visibility is 'private (author only) | public (everyone).';
comment on column public.workflow_templates.is_official is 'Curated by the Nexus team; only admins set it.';
comment on column public.workflow_templates.ai_model_id is 'Default model the workflow runs on.';
comment on column public.workflow_templates.steps is 'Ordered JSON array of workflow steps.';
create index workflow_templates_created_by_idx on public.workflow_templates (created_by);
create index workflow_templates_ai_model_id_idx on public.workflow_templates (ai_model_id);
create index workflow_templates_public_idx on public.workflow_templates (category) where visibility = 'public';

-- ---------------------------------------------------------------------------------------
-- Workspaces and memberships
-- ---------------------------------------------------------------------------------------
create table public.workspaces (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid not null default auth.uid() references auth.users (id) on delete restrict,
  name text not null check (char_length(btrim(name)) between 1 and 100),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$'),
  description text check (char_length(description) <= 2000),
  logo_url text check (logo_url ~ '^https?://'),
  settings jsonb not null default '{}' check (jsonb_typeof(settings) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.workspaces is
  'A team space holding projects, content and social media. Any signed-in user can create one and becomes '
  'its owner.';
comment on column public.workspaces.owner_id is
  'Creator and accountable owner (auth.users.id). Restrict: transfer or delete the workspace before deleting '
  'the user. Only the service role can change it.';
comment on column public.workspaces.slug is 'Unique URL slug.';
create index workspaces_owner_id_idx on public.workspaces (owner_id);

create table public.workspace_memberships (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  role text not null default 'viewer' check (role in ('owner', 'admin', 'editor', 'viewer')),
  invited_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, user_id)
);
comment on table public.workspace_memberships is
  'Membership of a user in a workspace with a role: owner > admin > editor > viewer. One row per user and '
  'workspace.';
comment on column public.workspace_memberships.workspace_id is 'The workspace.';
comment on column public.workspace_memberships.user_id is 'The member (auth.users.id).';
comment on column public.workspace_memberships.role is
  'owner (everything, grants owner) | admin (manages members) | editor (writes content) | viewer (reads).';
comment on column public.workspace_memberships.invited_by is 'Who added the member.';
create index workspace_memberships_user_id_idx on public.workspace_memberships (user_id) include (workspace_id, role);
create index workspace_memberships_invited_by_idx on public.workspace_memberships (invited_by);

-- Helpers about the calling user's memberships (SECURITY DEFINER: they read memberships
-- without recursing into its RLS; they only ever answer for auth.uid()).
create or replace function private.my_workspace_ids(min_role text default 'viewer')
returns uuid[]
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  allowed text[] := case min_role
    when 'owner' then array['owner']
    when 'admin' then array['owner', 'admin']
    when 'editor' then array['owner', 'admin', 'editor']
    else array['owner', 'admin', 'editor', 'viewer']
  end;
begin
  return array(
    select m.workspace_id
    from public.workspace_memberships as m
    where m.user_id = (select auth.uid()) and m.role = any (allowed)
  );
end;
$$;
comment on function private.my_workspace_ids(text) is
  'Workspaces in which the calling user holds at least min_role (viewer | editor | admin | owner), as an '
  'array. Use as: workspace_id = any ((select private.my_workspace_ids(''editor''))::uuid[]) -- one call per '
  'statement (initPlan), a cheap array probe per row.';

-- The creator of a workspace becomes its owner member.
create or replace function private.handle_new_workspace()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.workspace_memberships (workspace_id, user_id, role, invited_by)
  values (new.id, new.owner_id, 'owner', null)
  on conflict (workspace_id, user_id) do update set role = 'owner';
  return new;
end;
$$;
comment on function private.handle_new_workspace() is
  'AFTER INSERT on workspaces: adds the owner as a member with role owner.';

create trigger on_workspace_created
  after insert on public.workspaces
  for each row execute function private.handle_new_workspace();

-- ---------------------------------------------------------------------------------------
-- Content management: projects, content items, timeline clips
-- Child tables carry workspace_id and reference their parent by (id, workspace_id), so a
-- row can never point at a parent in another workspace.
-- ---------------------------------------------------------------------------------------
create table public.projects (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 200),
  slug text not null check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  description text,
  status text not null default 'active'
    check (status in ('planning', 'active', 'on_hold', 'completed', 'archived')),
  color text check (color ~ '^#[0-9a-fA-F]{6}$'),
  starts_on date,
  due_on date,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (workspace_id, slug),
  unique (id, workspace_id),
  constraint projects_dates_order check (due_on >= starts_on)
);
comment on table public.projects is 'A project inside a workspace grouping content items.';
comment on column public.projects.workspace_id is 'Owning workspace.';
comment on column public.projects.status is 'planning | active | on_hold | completed | archived.';
comment on column public.projects.created_by is 'Member who created the project.';
create index projects_created_by_idx on public.projects (created_by);

create table public.content_items (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  project_id uuid,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  title text not null check (char_length(btrim(title)) between 1 and 300),
  content_type text not null
    check (content_type in ('video', 'audio', 'image', 'document', 'post', 'script', 'design', 'timeline')),
  status text not null default 'draft'
    check (status in ('draft', 'in_review', 'approved', 'scheduled', 'published', 'archived')),
  body text,
  media_url text,
  storage_path text,
  mime_type text,
  file_size_bytes bigint check (file_size_bytes >= 0),
  duration_ms integer check (duration_ms >= 0),
  tags text[] not null default '{}',
  metadata jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object'),
  ai_model_id uuid references public.ai_models (id) on delete set null,
  published_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (id, workspace_id),
  constraint content_items_project_fkey foreign key (project_id, workspace_id)
    references public.projects (id, workspace_id) on delete set null (project_id)
);
comment on table public.content_items is
  'A piece of content in a workspace: video, audio, image, document, post, script, design or edit timeline.';
comment on column public.content_items.workspace_id is 'Owning workspace.';
comment on column public.content_items.project_id is 'Project (same workspace); null when unfiled.';
comment on column public.content_items.created_by is 'Member who created the item.';
comment on column public.content_items.content_type is
  'video | audio | image | document | post | script | design | timeline.';
comment on column public.content_items.status is 'draft | in_review | approved | scheduled | published | archived.';
comment on column public.content_items.storage_path is 'Object path in Supabase Storage for uploaded media.';
comment on column public.content_items.ai_model_id is 'Model that generated the item, if AI-generated.';
create index content_items_workspace_id_created_at_idx on public.content_items (workspace_id, created_at desc);
create index content_items_project_id_idx on public.content_items (project_id, workspace_id);
create index content_items_created_by_idx on public.content_items (created_by);
create index content_items_ai_model_id_idx on public.content_items (ai_model_id);

create table public.timeline_clips (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references public.workspaces (id) on delete cascade,
  content_item_id uuid not null,
  source_item_id uuid,
  created_by uuid default auth.uid() references auth.users (id) on delete set null,
  clip_type text not null check (clip_type in ('video', 'audio', 'image', 'text', 'effect', 'transition')),
  track_index smallint not null default 0 check (track_index between 0 and 99),
  start_ms integer not null check (start_ms >= 0),
  end_ms integer not null,
  source_in_ms integer not null default 0 check (source_in_ms >= 0),
  playback_rate numeric(4, 2) not null default 1 check (playback_rate > 0),
  properties jsonb not null default '{}' check (jsonb_typeof(properties) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint timeline_clips_time_order check (end_ms > start_ms),
  constraint timeline_clips_content_item_fkey foreign key (content_item_id, workspace_id)
    references public.content_items (id, workspace_id) on delete cascade,
  constraint timeline_clips_source_item_fkey foreign key (source_item_id, workspace_id)
    references public.content_items (id, workspace_id) on delete set null (source_item_id)
);
comment on table public.timeline_clips is 'A clip placed on a track of an edit timeline (a content item).';
comment on column public.timeline_clips.workspace_id is 'Owning workspace (same as the timeline''s).';
comment on column public.timeline_clips.content_item_id is 'The timeline the clip belongs to.';
comment on column public.timeline_clips.source_item_id is 'Media content item the clip plays, if any.';
comment on column public.timeline_clips.created_by is 'Member who placed the clip.';
comment on column public.timeline_clips.clip_type is 'video | audio | image | text | effect | transition.';
comment on column public.timeline_clips.start_ms is 'Position of the clip on the timeline, in milliseconds.';
create index timeline_clips_content_item_idx on public.timeline_clips (content_item_id, workspace_id, track_index, start_ms);
create index timeline_clips_source_item_idx on public.timeline_clips (source_item_id, workspace_id);
create index timeline_clips_workspace_id_idx on public.timeline_clips (workspace_id);
create index timeline_clips_created_by_idx on public.timeline_clips (created_by);

-- ---------------------------------------------------------------------------------------
-- Profiles for new (and already existing) users
-- ---------------------------------------------------------------------------------------
create or replace function private.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  meta jsonb := coalesce(new.raw_user_meta_data, '{}'::jsonb);
  avatar text := meta ->> 'avatar_url';
begin
  -- user_metadata is user-editable: used here for display fields only.
  insert into public.profiles (id, full_name, avatar_url)
  values (
    new.id,
    nullif(left(btrim(coalesce(meta ->> 'full_name', meta ->> 'name', '')), 200), ''),
    case when avatar ~ '^https?://' then avatar end
  )
  on conflict (id) do nothing;
  return new;
end;
$$;
comment on function private.handle_new_user() is
  'AFTER INSERT on auth.users: creates the public profile (display name and avatar from sign-up metadata).';

drop trigger if exists on_auth_user_created on auth.users;
create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function private.handle_new_user();

insert into public.profiles (id, full_name)
select u.id, nullif(left(btrim(coalesce(u.raw_user_meta_data ->> 'full_name', '')), 200), '')
from auth.users as u
on conflict (id) do nothing;

-- ---------------------------------------------------------------------------------------
-- Row Level Security
-- ---------------------------------------------------------------------------------------
alter table public.profiles enable row level security;
alter table public.subscriptions enable row level security;
alter table public.ai_models enable row level security;
alter table public.workflow_templates enable row level security;
alter table public.workspaces enable row level security;
alter table public.workspace_memberships enable row level security;
alter table public.projects enable row level security;
alter table public.content_items enable row level security;
alter table public.timeline_clips enable row level security;

-- profiles: public directory; each user edits their own; admins edit any.
create policy "profiles: anyone reads" on public.profiles
  for select to anon, authenticated
  using (true);
create policy "profiles: self or admin updates" on public.profiles
  for update to authenticated
  using (id = (select auth.uid()) or (select private.is_platform_admin()))
  with check (id = (select auth.uid()) or (select private.is_platform_admin()));

-- subscriptions: the subscriber (and admins) read; only the service role writes.
create policy "subscriptions: owner or admin reads" on public.subscriptions
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));

-- ai_models: active models are public; admins see and manage all.
create policy "ai_models: active are public" on public.ai_models
  for select to anon, authenticated
  using (is_active or (select private.is_platform_admin()));
create policy "ai_models: admin inserts" on public.ai_models
  for insert to authenticated
  with check ((select private.is_platform_admin()));
create policy "ai_models: admin updates" on public.ai_models
  for update to authenticated
  using ((select private.is_platform_admin()))
  with check ((select private.is_platform_admin()));
create policy "ai_models: admin deletes" on public.ai_models
  for delete to authenticated
  using ((select private.is_platform_admin()));

-- workflow_templates: public ones are readable by everyone; authors manage theirs.
create policy "workflow_templates: public, own or admin reads" on public.workflow_templates
  for select to anon, authenticated
  using (visibility = 'public' or created_by = (select auth.uid()) or (select private.is_platform_admin()));
create policy "workflow_templates: author inserts" on public.workflow_templates
  for insert to authenticated
  with check (created_by = (select auth.uid()));
create policy "workflow_templates: author or admin updates" on public.workflow_templates
  for update to authenticated
  using (created_by = (select auth.uid()) or (select private.is_platform_admin()))
  with check (created_by = (select auth.uid()) or (select private.is_platform_admin()));
create policy "workflow_templates: author or admin deletes" on public.workflow_templates
  for delete to authenticated
  using (created_by = (select auth.uid()) or (select private.is_platform_admin()));

-- workspaces: members read (the owner too, so INSERT ... RETURNING works before the
-- membership trigger has run); admins/owners update; owners delete; anyone signed in creates.
create policy "workspaces: members read" on public.workspaces
  for select to authenticated
  using (
    id = any ((select private.my_workspace_ids('viewer'))::uuid[])
    or owner_id = (select auth.uid())
    or (select private.is_platform_admin())
  );
create policy "workspaces: signed-in users create their own" on public.workspaces
  for insert to authenticated
  with check (owner_id = (select auth.uid()));
create policy "workspaces: workspace admins update" on public.workspaces
  for update to authenticated
  using (id = any ((select private.my_workspace_ids('admin'))::uuid[]) or (select private.is_platform_admin()))
  with check (id = any ((select private.my_workspace_ids('admin'))::uuid[]) or (select private.is_platform_admin()));
create policy "workspaces: owners delete" on public.workspaces
  for delete to authenticated
  using (id = any ((select private.my_workspace_ids('owner'))::uuid[]) or (select private.is_platform_admin()));

-- workspace_memberships: members see the member list; admins and owners manage members;
-- only owners grant or touch the owner role; nobody changes their own membership row
-- (a member may leave, except an owner).
create policy "workspace_memberships: members read" on public.workspace_memberships
  for select to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('viewer'))::uuid[]) or (select private.is_platform_admin()));
create policy "workspace_memberships: admins add members" on public.workspace_memberships
  for insert to authenticated
  with check (
    user_id <> (select auth.uid())
    and (
      (select private.is_platform_admin())
      or (workspace_id = any ((select private.my_workspace_ids('admin'))::uuid[])
          and (role <> 'owner' or workspace_id = any ((select private.my_workspace_ids('owner'))::uuid[])))
    )
  );
create policy "workspace_memberships: admins change roles of others" on public.workspace_memberships
  for update to authenticated
  using (
    user_id <> (select auth.uid())
    and (
      (select private.is_platform_admin())
      or (workspace_id = any ((select private.my_workspace_ids('admin'))::uuid[])
          and (role <> 'owner' or workspace_id = any ((select private.my_workspace_ids('owner'))::uuid[])))
    )
  )
  with check (
    user_id <> (select auth.uid())
    and (
      (select private.is_platform_admin())
      or (workspace_id = any ((select private.my_workspace_ids('admin'))::uuid[])
          and (role <> 'owner' or workspace_id = any ((select private.my_workspace_ids('owner'))::uuid[])))
    )
  );
create policy "workspace_memberships: admins remove members, members leave" on public.workspace_memberships
  for delete to authenticated
  using (
    (user_id = (select auth.uid()) and role <> 'owner')
    or (select private.is_platform_admin())
    or (user_id <> (select auth.uid())
        and workspace_id = any ((select private.my_workspace_ids('admin'))::uuid[])
        and (role <> 'owner' or workspace_id = any ((select private.my_workspace_ids('owner'))::uuid[])))
  );

-- projects, content_items, timeline_clips: members read; editors and above write.
create policy "projects: members read" on public.projects
  for select to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('viewer'))::uuid[]) or (select private.is_platform_admin()));
create policy "projects: editors insert" on public.projects
  for insert to authenticated
  with check (
    created_by = (select auth.uid())
    and (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  );
create policy "projects: editors update" on public.projects
  for update to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  with check (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));
create policy "projects: editors delete" on public.projects
  for delete to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));

create policy "content_items: members read" on public.content_items
  for select to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('viewer'))::uuid[]) or (select private.is_platform_admin()));
create policy "content_items: editors insert" on public.content_items
  for insert to authenticated
  with check (
    created_by = (select auth.uid())
    and (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  );
create policy "content_items: editors update" on public.content_items
  for update to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  with check (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));
create policy "content_items: editors delete" on public.content_items
  for delete to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));

create policy "timeline_clips: members read" on public.timeline_clips
  for select to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('viewer'))::uuid[]) or (select private.is_platform_admin()));
create policy "timeline_clips: editors insert" on public.timeline_clips
  for insert to authenticated
  with check (
    created_by = (select auth.uid())
    and (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  );
create policy "timeline_clips: editors update" on public.timeline_clips
  for update to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()))
  with check (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));
create policy "timeline_clips: editors delete" on public.timeline_clips
  for delete to authenticated
  using (workspace_id = any ((select private.my_workspace_ids('editor'))::uuid[]) or (select private.is_platform_admin()));

-- ---------------------------------------------------------------------------------------
-- Column guards: nobody moves a row to another owner or workspace through the API.
-- ---------------------------------------------------------------------------------------
create trigger protect_columns before update on public.profiles
  for each row execute function private.protect_columns('nobody', 'id');
create trigger protect_columns before update on public.workflow_templates
  for each row execute function private.protect_columns('nobody', 'created_by');
create trigger protect_official before update on public.workflow_templates
  for each row execute function private.protect_columns('admin', 'is_official');
create trigger protect_columns before update on public.workspaces
  for each row execute function private.protect_columns('nobody', 'owner_id');
create trigger protect_columns before update on public.workspace_memberships
  for each row execute function private.protect_columns('nobody', 'workspace_id', 'user_id', 'invited_by');
create trigger protect_columns before update on public.projects
  for each row execute function private.protect_columns('nobody', 'workspace_id', 'created_by');
create trigger protect_columns before update on public.content_items
  for each row execute function private.protect_columns('nobody', 'workspace_id', 'created_by');
create trigger protect_columns before update on public.timeline_clips
  for each row execute function private.protect_columns('nobody', 'workspace_id', 'created_by');

-- Only admins may mark a template official on insert as well.
create or replace function private.check_official_template()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.is_official and current_user in ('anon', 'authenticated') and not private.is_platform_admin() then
    raise exception 'only platform admins can publish official workflow templates' using errcode = '42501';
  end if;
  return new;
end;
$$;
comment on function private.check_official_template() is
  'BEFORE INSERT on workflow_templates: only admins (or the service role) create official templates.';
create trigger check_official before insert on public.workflow_templates
  for each row execute function private.check_official_template();

-- ---------------------------------------------------------------------------------------
-- Standard columns, triggers and privileges (idempotent: applies to every public table)
-- ---------------------------------------------------------------------------------------
create or replace function private.apply_table_conventions()
returns void
language plpgsql
set search_path = ''
as $$
declare
  t record;
  rel regclass;
begin
  for t in
    select c.relname
    from pg_catalog.pg_class as c
    join pg_catalog.pg_namespace as n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind = 'r'
  loop
    rel := format('public.%I', t.relname)::regclass;
    if exists (select 1 from pg_catalog.pg_attribute
               where attrelid = rel and attname = 'updated_at' and not attisdropped)
       and not exists (select 1 from pg_catalog.pg_trigger where tgrelid = rel and tgname = 'set_updated_at') then
      execute format('create trigger set_updated_at before update on public.%I '
                     'for each row execute function private.set_updated_at()', t.relname);
    end if;
    if exists (select 1 from pg_catalog.pg_attribute where attrelid = rel and attname = 'created_at')
       and pg_catalog.col_description(rel, (select attnum from pg_catalog.pg_attribute
                                             where attrelid = rel and attname = 'created_at')) is null then
      execute format('comment on column public.%I.created_at is %L', t.relname, 'When the row was created.');
    end if;
    if exists (select 1 from pg_catalog.pg_attribute where attrelid = rel and attname = 'updated_at')
       and pg_catalog.col_description(rel, (select attnum from pg_catalog.pg_attribute
                                             where attrelid = rel and attname = 'updated_at')) is null then
      execute format('comment on column public.%I.updated_at is %L', t.relname,
                     'When the row was last updated (trigger set_updated_at).');
    end if;
    if exists (select 1 from pg_catalog.pg_attribute where attrelid = rel and attname = 'id')
       and pg_catalog.col_description(rel, (select attnum from pg_catalog.pg_attribute
                                             where attrelid = rel and attname = 'id')) is null then
      execute format('comment on column public.%I.id is %L', t.relname, 'Primary key (uuid).');
    end if;
  end loop;
  -- RLS does not apply to TRUNCATE; the API never needs TRUNCATE, REFERENCES or TRIGGER.
  execute 'revoke truncate, references, trigger on all tables in schema public from anon, authenticated';
end;
$$;
comment on function private.apply_table_conventions() is
  'Run at the end of each migration: adds the set_updated_at trigger and the standard comments (id, '
  'created_at, updated_at) to public tables that lack them, and revokes TRUNCATE/REFERENCES/TRIGGER from '
  'the API roles. Idempotent.';

select private.apply_table_conventions();

-- Helpers: no execute for PUBLIC; the API roles may call the ones policies use.
revoke all on all functions in schema private from public;
grant execute on function private.platform_role(), private.is_platform_admin(), private.is_moderator(),
  private.is_support_agent()
  to anon, authenticated, service_role;
grant execute on function private.my_workspace_ids(text) to authenticated, service_role;
