-- autovacuum_disabled: autovacuum_enabled=false on a table; dead rows pile up and it bloats.
select
    'autovacuum_disabled' as name,
    'Autovacuum Disabled' as title,
    'INFO' as level,
    'EXTERNAL' as facing,
    array['PERFORMANCE'] as categories,
    'Table has autovacuum_enabled=false set as a storage parameter. Without autovacuum, dead tuples accumulate and '
        'cause table bloat.' as description,
    format('Table `%s`.`%s` has autovacuum_enabled=false set as a storage parameter.', n.nspname, c.relname)
        as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0030_autovacuum_disabled' as remediation,
    jsonb_build_object('schema', n.nspname, 'name', c.relname, 'type', 'table') as metadata,
    format('autovacuum_disabled_%s_%s', n.nspname, c.relname) as cache_key
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'm')
  and exists (select 1 from unnest(c.reloptions) o
              where lower(o) in ('autovacuum_enabled=false', 'autovacuum_enabled=off', 'autovacuum_enabled=0',
                                 'autovacuum_enabled=no'))
  and n.nspname not like 'pg\_%'
  and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                        'graphql_public', 'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron', 'net',
                        'pgsodium', 'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology', 'tiger')
order by n.nspname, c.relname;
