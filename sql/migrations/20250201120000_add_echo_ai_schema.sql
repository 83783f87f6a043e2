-- Nexus Platform — Echo AI: the assistant's memory of each user.
--
-- Everything here is personal data: only its owner reads it (platform admins may read
-- and delete for support and compliance). What the Echo backend derives (patterns and
-- insights) is written only by the service role.

create table public.user_interactions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  session_id uuid,
  interaction_type text not null
    check (interaction_type in ('chat_message', 'command', 'suggestion_shown', 'suggestion_accepted',
                                'suggestion_dismissed', 'feedback', 'search', 'generation')),
  surface text not null default 'echo_chat'
    check (surface in ('echo_chat', 'editor', 'timeline', 'marketplace', 'analytics', 'social', 'support',
                       'command_palette')),
  prompt text,
  response text,
  ai_model_id uuid references public.ai_models (id) on delete set null,
  input_tokens integer check (input_tokens >= 0),
  output_tokens integer check (output_tokens >= 0),
  latency_ms integer check (latency_ms >= 0),
  rating smallint check (rating between 1 and 5),
  metadata jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.user_interactions is
  'Every exchange between a user and Echo AI (chat, commands, suggestions, generations). Personal: owner only.';
comment on column public.user_interactions.user_id is 'The user (auth.users.id); defaults to the caller.';
comment on column public.user_interactions.session_id is 'Groups the interactions of one Echo conversation.';
comment on column public.user_interactions.interaction_type is
  'chat_message | command | suggestion_shown | suggestion_accepted | suggestion_dismissed | feedback | search | '
  'generation.';
comment on column public.user_interactions.surface is 'Where in the product the interaction happened.';
comment on column public.user_interactions.ai_model_id is 'Model that answered.';
comment on column public.user_interactions.rating is 'User rating of the answer, 1..5.';
create index user_interactions_user_id_created_at_idx on public.user_interactions (user_id, created_at desc);
create index user_interactions_ai_model_id_idx on public.user_interactions (ai_model_id);

create table public.interaction_patterns (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  pattern_type text not null
    check (pattern_type in ('workflow', 'timing', 'content_preference', 'tool_usage', 'style', 'collaboration')),
  pattern_key text not null check (char_length(pattern_key) between 1 and 200),
  description text,
  confidence numeric(4, 3) not null default 0 check (confidence between 0 and 1),
  occurrences integer not null default 1 check (occurrences >= 1),
  first_seen_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  data jsonb not null default '{}' check (jsonb_typeof(data) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, pattern_type, pattern_key),
  constraint interaction_patterns_seen_order check (last_seen_at >= first_seen_at)
);
comment on table public.interaction_patterns is
  'Behaviour patterns Echo AI detected for a user. Written by the Echo backend (service role); the owner reads.';
comment on column public.interaction_patterns.user_id is 'The user the pattern describes.';
comment on column public.interaction_patterns.pattern_type is
  'workflow | timing | content_preference | tool_usage | style | collaboration.';
comment on column public.interaction_patterns.pattern_key is 'Stable key of the pattern within its type.';
comment on column public.interaction_patterns.confidence is 'Detector confidence, 0..1.';

create table public.echo_insights (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  pattern_id uuid references public.interaction_patterns (id) on delete set null,
  insight_type text not null check (insight_type in ('suggestion', 'trend', 'warning', 'tip', 'summary')),
  title text not null check (char_length(title) between 1 and 200),
  body text not null,
  priority text not null default 'normal' check (priority in ('low', 'normal', 'high')),
  status text not null default 'new' check (status in ('new', 'seen', 'acted_on', 'dismissed', 'expired')),
  expires_at timestamptz,
  metadata jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.echo_insights is
  'Proactive insights Echo AI shows a user. Written by the Echo backend (service role); the owner reads.';
comment on column public.echo_insights.user_id is 'The user the insight is for.';
comment on column public.echo_insights.pattern_id is 'Pattern the insight was derived from, if any.';
comment on column public.echo_insights.insight_type is 'suggestion | trend | warning | tip | summary.';
comment on column public.echo_insights.priority is 'low | normal | high.';
comment on column public.echo_insights.status is 'new | seen | acted_on | dismissed | expired.';
create index echo_insights_user_id_created_at_idx on public.echo_insights (user_id, created_at desc);
create index echo_insights_pattern_id_idx on public.echo_insights (pattern_id);

create table public.user_preferences (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null unique default auth.uid() references auth.users (id) on delete cascade,
  theme text not null default 'system' check (theme in ('light', 'dark', 'system')),
  locale text not null default 'en' check (locale ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  timezone text not null default 'UTC' check (char_length(timezone) between 1 and 64),
  echo_enabled boolean not null default true,
  echo_proactivity text not null default 'medium' check (echo_proactivity in ('off', 'low', 'medium', 'high')),
  email_notifications boolean not null default true,
  marketing_emails boolean not null default false,
  notification_settings jsonb not null default '{}' check (jsonb_typeof(notification_settings) = 'object'),
  default_workspace_id uuid references public.workspaces (id) on delete set null,
  onboarding_completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
comment on table public.user_preferences is
  'Private settings of a user (one row per user): UI, locale, notifications and how proactive Echo AI is.';
comment on column public.user_preferences.user_id is 'The user (one row each).';
comment on column public.user_preferences.theme is 'light | dark | system.';
comment on column public.user_preferences.echo_proactivity is 'How often Echo AI volunteers suggestions: off | low | medium | high.';
comment on column public.user_preferences.default_workspace_id is 'Workspace opened at sign-in (must be one of the user''s).';
create index user_preferences_default_workspace_id_idx on public.user_preferences (default_workspace_id);

create table public.style_profiles (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  name text not null check (char_length(btrim(name)) between 1 and 100),
  description text,
  tone text not null default 'neutral'
    check (tone in ('neutral', 'professional', 'casual', 'playful', 'bold', 'inspirational', 'technical')),
  formality smallint not null default 3 check (formality between 1 and 5),
  voice_attributes jsonb not null default '{}' check (jsonb_typeof(voice_attributes) = 'object'),
  preferred_terms text[] not null default '{}',
  avoided_terms text[] not null default '{}',
  brand_colors text[] not null default '{}',
  font_families text[] not null default '{}',
  sample_text text,
  is_default boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (user_id, name)
);
comment on table public.style_profiles is
  'A user''s creative voice and visual style that Echo AI applies when generating content. Owner only.';
comment on column public.style_profiles.user_id is 'Owner of the style profile.';
comment on column public.style_profiles.tone is 'neutral | professional | casual | playful | bold | inspirational | technical.';
comment on column public.style_profiles.formality is 'Formality of the voice, 1 (casual) .. 5 (formal).';
comment on column public.style_profiles.is_default is 'The profile Echo uses when none is chosen (one per user).';
create unique index style_profiles_one_default_per_user on public.style_profiles (user_id) where is_default;

-- Row Level Security ----------------------------------------------------------------------
alter table public.user_interactions enable row level security;
alter table public.interaction_patterns enable row level security;
alter table public.echo_insights enable row level security;
alter table public.user_preferences enable row level security;
alter table public.style_profiles enable row level security;

-- user_interactions: the owner records, reads, rates and deletes; admins read and delete.
create policy "user_interactions: owner or admin reads" on public.user_interactions
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));
create policy "user_interactions: owner inserts" on public.user_interactions
  for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy "user_interactions: owner updates" on public.user_interactions
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
create policy "user_interactions: owner or admin deletes" on public.user_interactions
  for delete to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));

-- interaction_patterns, echo_insights: backend-written; the owner (and admins) read.
create policy "interaction_patterns: owner or admin reads" on public.interaction_patterns
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));
create policy "echo_insights: owner or admin reads" on public.echo_insights
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));

-- user_preferences: one row per user, owner only; the default workspace must be one of theirs.
create policy "user_preferences: owner or admin reads" on public.user_preferences
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));
create policy "user_preferences: owner inserts" on public.user_preferences
  for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and (default_workspace_id is null or default_workspace_id = any ((select private.my_workspace_ids('viewer'))::uuid[]))
  );
create policy "user_preferences: owner updates" on public.user_preferences
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (
    user_id = (select auth.uid())
    and (default_workspace_id is null or default_workspace_id = any ((select private.my_workspace_ids('viewer'))::uuid[]))
  );
create policy "user_preferences: owner or admin deletes" on public.user_preferences
  for delete to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));

-- style_profiles: owner only.
create policy "style_profiles: owner or admin reads" on public.style_profiles
  for select to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));
create policy "style_profiles: owner inserts" on public.style_profiles
  for insert to authenticated
  with check (user_id = (select auth.uid()));
create policy "style_profiles: owner updates" on public.style_profiles
  for update to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));
create policy "style_profiles: owner or admin deletes" on public.style_profiles
  for delete to authenticated
  using (user_id = (select auth.uid()) or (select private.is_platform_admin()));

-- Owners never change.
create trigger protect_columns before update on public.user_interactions
  for each row execute function private.protect_columns('nobody', 'user_id');
create trigger protect_columns before update on public.user_preferences
  for each row execute function private.protect_columns('nobody', 'user_id');
create trigger protect_columns before update on public.style_profiles
  for each row execute function private.protect_columns('nobody', 'user_id');

select private.apply_table_conventions();
