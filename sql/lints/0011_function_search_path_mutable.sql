-- function_search_path_mutable: a function without `set search_path` resolves names through the
-- caller's search_path: a security definer one can be hijacked, any one can break for some roles.
select
    'function_search_path_mutable' as name,
    'Function Search Path Mutable' as title,
    'WARN' as level,
    'EXTERNAL' as facing,
    array['SECURITY'] as categories,
    'Detects functions where the search_path parameter is not set.' as description,
    format('Function `%s.%s(%s)` has a role mutable search_path', n.nspname, p.proname,
           pg_catalog.pg_get_function_identity_arguments(p.oid)) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0011_function_search_path_mutable'
        as remediation,
    jsonb_build_object('schema', n.nspname, 'name', p.proname, 'type', 'function',
                       'arguments', pg_catalog.pg_get_function_identity_arguments(p.oid)) as metadata,
    format('function_search_path_mutable_%s_%s_%s', n.nspname, p.proname,
           pg_catalog.pg_get_function_identity_arguments(p.oid)) as cache_key
from pg_catalog.pg_proc p
join pg_catalog.pg_namespace n on n.oid = p.pronamespace
where p.prokind in ('f', 'p')
  and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) as config where config like 'search_path=%')
  and n.nspname not like 'pg\_%'
  and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                        'graphql_public', 'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron', 'net',
                        'pgsodium', 'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology', 'tiger')
  and not exists (select 1 from pg_catalog.pg_depend d where d.objid = p.oid and d.deptype = 'e')
order by n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid);
