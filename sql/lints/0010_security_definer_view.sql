-- security_definer_view: a view without security_invoker runs with its owner's rights, so the
-- RLS of the tables it reads does not apply to the anon or authenticated user querying it.
select
    'security_definer_view' as name,
    'Security Definer View' as title,
    'ERROR' as level,
    'EXTERNAL' as facing,
    array['SECURITY'] as categories,
    'Detects views defined with the SECURITY DEFINER property. These views enforce Postgres permissions and row '
        'level security policies (RLS) of the view creator, rather than that of the querying user' as description,
    format('View `%s.%s` is defined with the SECURITY DEFINER property', n.nspname, c.relname) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0010_security_definer_view' as remediation,
    jsonb_build_object('schema', n.nspname, 'name', c.relname, 'type', 'view') as metadata,
    format('security_definer_view_%s_%s', n.nspname, c.relname) as cache_key
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind = 'v'
  and (pg_catalog.has_table_privilege('anon', c.oid, 'SELECT')
       or pg_catalog.has_table_privilege('authenticated', c.oid, 'SELECT'))
  and not coalesce(lower(c.reloptions::text)::text[], '{}')
          && array['security_invoker=1', 'security_invoker=true', 'security_invoker=yes', 'security_invoker=on']
  and n.nspname not like 'pg\_%'
  and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                        'graphql_public', 'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron', 'net',
                        'pgsodium', 'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology', 'tiger')
  and not exists (select 1 from pg_catalog.pg_depend d where d.objid = c.oid and d.deptype = 'e')
order by n.nspname, c.relname;
