-- invalid_index: an index left invalid by a failed CREATE/REINDEX CONCURRENTLY; the planner never
-- uses it, yet every write still maintains it.
select
    'invalid_index' as name,
    'Invalid Index' as title,
    'WARN' as level,
    'EXTERNAL' as facing,
    array['PERFORMANCE'] as categories,
    'Detects indexes marked as invalid, typically left behind by a failed `CREATE INDEX CONCURRENTLY` or `REINDEX '
        'CONCURRENTLY`. Invalid indexes are ignored by the planner but still incur maintenance overhead.'
        as description,
    format('Index `%s` on table `%s.%s` is invalid and is not used by the query planner.', ic.relname, n.nspname,
           c.relname) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0030_invalid_index' as remediation,
    jsonb_build_object('schema', n.nspname, 'name', c.relname, 'type', 'table', 'index_name', ic.relname)
        as metadata,
    format('invalid_index_%s_%s_%s', n.nspname, c.relname, ic.relname) as cache_key
from pg_catalog.pg_index i
join pg_catalog.pg_class ic on ic.oid = i.indexrelid
join pg_catalog.pg_class c on c.oid = i.indrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where not i.indisvalid
  and i.indisready
  and not exists (select 1 from pg_catalog.pg_stat_progress_create_index pci where pci.index_relid = ic.oid)
  and n.nspname not like 'pg\_%'
  and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                        'graphql_public', 'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron', 'net',
                        'pgsodium', 'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology', 'tiger')
  and not exists (select 1 from pg_catalog.pg_depend d where d.objid = ic.oid and d.deptype = 'e')
order by n.nspname, c.relname, ic.relname;
