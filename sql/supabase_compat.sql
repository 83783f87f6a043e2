-- nexus-kit: Supabase compatibility layer for plain PostgreSQL 15/16/17.
--
-- Gives a plain database what a Supabase project has before any user migration runs:
-- the API roles, the auth schema (users, identities), auth.uid()/role()/email()/jwt()
-- exactly as GoTrue defines them, the extensions schema, and Supabase's grants and
-- default privileges on schema public.
--
-- The kit applies this file only when the target is NOT a Supabase project; it never
-- touches a real project's auth schema. It is idempotent and safe on a cluster where
-- the roles already exist (roles are cluster-wide, so another database may have made them).
-- Sources: supabase/postgres init-scripts and migrations, supabase/auth migrations.

-- 1. API roles -------------------------------------------------------------------------
do $roles$
declare
  r record;
begin
  for r in
    select * from (values
      ('anon',          'nologin inherit'),
      ('authenticated', 'nologin inherit'),
      ('service_role',  'nologin inherit bypassrls'),
      ('authenticator', 'login noinherit')
    ) as t(name, attrs)
  loop
    if not exists (select 1 from pg_catalog.pg_roles where rolname = r.name) then
      begin
        execute format('create role %I %s', r.name, r.attrs);
      exception when duplicate_object or unique_violation then
        null;  -- created meanwhile by a concurrent run in another database
      end;
    end if;
  end loop;
end
$roles$;

-- Memberships and per-role settings are cluster-wide too: change them only when missing, so
-- that runs in other databases of the same cluster never update the same catalog rows at once.
do $members$
declare
  m record;
begin
  for m in
    select * from (values
      -- authenticator switches into the API roles, as PostgREST does
      ('anon', 'authenticator'), ('authenticated', 'authenticator'), ('service_role', 'authenticator'),
      -- the role running the migrations (postgres on Supabase) must be able to SET ROLE into the
      -- API roles even when it is not a superuser
      ('anon', current_user), ('authenticated', current_user), ('service_role', current_user)
    ) as t(api_role, member)
  loop
    if not exists (
      select 1 from pg_catalog.pg_auth_members am
      where am.roleid = (select oid from pg_catalog.pg_roles where rolname = m.api_role)
        and am.member = (select oid from pg_catalog.pg_roles where rolname = m.member)
    ) then
      begin
        execute format('grant %I to %I', m.api_role, m.member);
      exception when others then
        -- "tuple concurrently updated": a concurrent run granted it
        if sqlstate not in ('XX000', '40001') then raise; end if;
      end;
    end if;
  end loop;
end
$members$;

-- Supabase's per-role limits: an API request cannot run away with the database.
do $timeouts$
declare
  t record;
begin
  for t in select * from (values ('anon', '3s'), ('authenticated', '8s')) as v(role_name, timeout) loop
    if not exists (
      select 1 from pg_catalog.pg_db_role_setting s
      where s.setdatabase = 0 and s.setrole = (select oid from pg_catalog.pg_roles where rolname = t.role_name)
        and ('statement_timeout=' || t.timeout) = any (s.setconfig)
    ) then
      begin
        execute format('alter role %I set statement_timeout = %L', t.role_name, t.timeout);
      exception when others then
        if sqlstate not in ('XX000', '40001') then raise; end if;
      end;
    end if;
  end loop;
end
$timeouts$;

-- 2. Schemas ---------------------------------------------------------------------------
create schema if not exists extensions;
grant usage on schema extensions to anon, authenticated, service_role;

create schema if not exists auth;
comment on schema auth is 'nexus-kit compat: Supabase auth schema emulation (not a Supabase project)';
grant usage on schema auth to anon, authenticated, service_role;

-- 3. auth.users: the final shape of GoTrue's migrations ----------------------------------
create table if not exists auth.users (
  instance_id uuid,
  id uuid not null,
  aud varchar(255),
  "role" varchar(255),
  email varchar(255),
  encrypted_password varchar(255),
  email_confirmed_at timestamptz,
  invited_at timestamptz,
  confirmation_token varchar(255),
  confirmation_sent_at timestamptz,
  recovery_token varchar(255),
  recovery_sent_at timestamptz,
  email_change_token_new varchar(255),
  email_change varchar(255),
  email_change_sent_at timestamptz,
  last_sign_in_at timestamptz,
  raw_app_meta_data jsonb,
  raw_user_meta_data jsonb,
  is_super_admin bool,
  created_at timestamptz,
  updated_at timestamptz,
  phone text default null,
  phone_confirmed_at timestamptz,
  phone_change text default '',
  phone_change_token varchar(255) default '',
  phone_change_sent_at timestamptz,
  confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
  email_change_token_current varchar(255) default '',
  email_change_confirm_status smallint default 0
    check (email_change_confirm_status >= 0 and email_change_confirm_status <= 2),
  banned_until timestamptz,
  reauthentication_token varchar(255) default '',
  reauthentication_sent_at timestamptz,
  is_sso_user boolean not null default false,
  deleted_at timestamptz,
  is_anonymous boolean not null default false,
  constraint users_pkey primary key (id),
  constraint users_phone_key unique (phone)
);
comment on table auth.users is 'Auth: Stores user login data within a secure schema.';
create unique index if not exists users_email_partial_key on auth.users (email) where (is_sso_user = false);
create index if not exists users_instance_id_email_idx on auth.users (instance_id, lower(email));
create index if not exists users_instance_id_idx on auth.users (instance_id);
create index if not exists users_is_anonymous_idx on auth.users (is_anonymous);
create unique index if not exists confirmation_token_idx on auth.users (confirmation_token)
  where confirmation_token !~ '^[0-9 ]*$';
create unique index if not exists recovery_token_idx on auth.users (recovery_token)
  where recovery_token !~ '^[0-9 ]*$';
create unique index if not exists email_change_token_current_idx on auth.users (email_change_token_current)
  where email_change_token_current !~ '^[0-9 ]*$';
create unique index if not exists email_change_token_new_idx on auth.users (email_change_token_new)
  where email_change_token_new !~ '^[0-9 ]*$';
create unique index if not exists reauthentication_token_idx on auth.users (reauthentication_token)
  where reauthentication_token !~ '^[0-9 ]*$';

-- 4. auth.identities ----------------------------------------------------------------------
create table if not exists auth.identities (
  provider_id text not null,
  user_id uuid not null references auth.users (id) on delete cascade,
  identity_data jsonb not null,
  provider text not null,
  last_sign_in_at timestamptz,
  created_at timestamptz,
  updated_at timestamptz,
  email text generated always as (lower(identity_data ->> 'email')) stored,
  id uuid not null default gen_random_uuid() primary key,
  constraint identities_provider_id_provider_unique unique (provider_id, provider)
);
comment on table auth.identities is 'Auth: Stores identities associated to a user.';
create index if not exists identities_email_idx on auth.identities (email text_pattern_ops);
create index if not exists identities_user_id_idx on auth.identities (user_id);

-- Supabase enables RLS on every auth table and creates no policy; the API roles get no
-- table grant on auth, so `select from auth.users` as authenticated is "permission denied".
alter table auth.users enable row level security;
alter table auth.identities enable row level security;
revoke all on auth.users, auth.identities from anon, authenticated;

-- 5. auth helper functions, exactly as GoTrue ships them ----------------------------------
create or replace function auth.uid() returns uuid language sql stable as $$
  select
  coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text language sql stable as $$
  select
  coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text language sql stable as $$
  select
  coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

create or replace function auth.jwt() returns jsonb language sql stable as $$
  select
    coalesce(
        nullif(current_setting('request.jwt.claim', true), ''),
        nullif(current_setting('request.jwt.claims', true), '')
    )::jsonb
$$;

comment on function auth.uid() is 'Deprecated. Use auth.jwt() -> ''sub'' instead.';
comment on function auth.role() is 'Deprecated. Use auth.jwt() -> ''role'' instead.';
comment on function auth.email() is 'Deprecated. Use auth.jwt() -> ''email'' instead.';

-- 6. Grants and default privileges on schema public (Supabase's initial schema) -----------
grant usage on schema public to anon, authenticated, service_role;
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
