-- policy_to_public (nexus-kit): a policy without a `to` clause applies to role public, i.e. to
-- every role: anon as well as authenticated, and any role added later. Name the roles it is for.
select
    'policy_to_public' as name,
    'Policy Without Explicit Roles' as title,
    'WARN' as level,
    'EXTERNAL' as facing,
    array['SECURITY'] as categories,
    'Detects row level security policies that apply to `public` (no `to` clause), so to anon and every other role '
        'rather than the roles they were written for.' as description,
    format('Table `%s.%s` has a policy `%s` for `%s` that applies to `public` (every role, anon included)',
           n.nspname, c.relname, p.polname,
           case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE'
                         when 'd' then 'DELETE' else 'ALL' end) as detail,
    format('alter policy %I on %I.%I to authenticated;  -- or anon, or the roles it is meant for',
           p.polname, n.nspname, c.relname) as remediation,
    jsonb_build_object('schema', n.nspname, 'name', c.relname, 'type', 'table', 'policy_name', p.polname)
        as metadata,
    format('policy_to_public_%s_%s_%s', n.nspname, c.relname, p.polname) as cache_key
from pg_catalog.pg_policy p
join pg_catalog.pg_class c on c.oid = p.polrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where p.polroles = array[0::oid]
  and n.nspname not like 'pg\_%'
  and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                        'graphql_public', 'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron', 'net',
                        'pgsodium', 'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology', 'tiger')
order by n.nspname, c.relname, p.polname;
