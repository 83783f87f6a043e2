-- rls_disabled_in_public: a table PostgREST exposes (pgrst.db_schemas, else public) that the API
-- roles may touch, with RLS off: anyone holding the anon key reads or writes every row.
-- Past splinter: any privilege counts (insert-only or column grants too), not just SELECT.
select
    'rls_disabled_in_public' as name,
    'RLS Disabled in Public' as title,
    'ERROR' as level,
    'EXTERNAL' as facing,
    array['SECURITY'] as categories,
    'Detects cases where row level security (RLS) has not been enabled on tables in schemas exposed to PostgREST'
        as description,
    format('Table `%s.%s` is public, but RLS has not been enabled.', n.nspname, c.relname) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0013_rls_disabled_in_public' as remediation,
    jsonb_build_object('schema', n.nspname, 'name', c.relname, 'type', 'table') as metadata,
    format('rls_disabled_in_public_%s_%s', n.nspname, c.relname) as cache_key
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and not c.relrowsecurity
  and n.nspname = any(string_to_array(replace(coalesce(nullif(current_setting('pgrst.db_schemas', true), ''),
                                                        'public'), ' ', ''), ','))
  and exists (
      select 1
      from unnest(array['anon', 'authenticated']) as api(role)
      where pg_catalog.has_any_column_privilege(api.role, c.oid, 'SELECT, INSERT, UPDATE')
         or pg_catalog.has_table_privilege(api.role, c.oid, 'DELETE')
  )
  and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                        'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron', 'net', 'pgsodium',
                        'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology', 'tiger')
order by n.nspname, c.relname;
