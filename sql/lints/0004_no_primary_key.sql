-- no_primary_key: a table without a primary key (slow to update or delete one row, and
-- logical replication cannot replicate its updates and deletes).
select
    'no_primary_key' as name,
    'No Primary Key' as title,
    'INFO' as level,
    'EXTERNAL' as facing,
    array['PERFORMANCE'] as categories,
    'Detects if a table does not have a primary key. Tables without a primary key can be inefficient to interact '
        'with at scale.' as description,
    format('Table `%s.%s` does not have a primary key', n.nspname, c.relname) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0004_no_primary_key' as remediation,
    jsonb_build_object('schema', n.nspname, 'name', c.relname, 'type', 'table') as metadata,
    format('no_primary_key_%s_%s', n.nspname, c.relname) as cache_key
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and not c.relispartition
  and n.nspname not like 'pg\_%'
  and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                        'graphql_public', 'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron', 'net',
                        'pgsodium', 'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology', 'tiger')
  and not exists (select 1 from pg_catalog.pg_depend d where d.objid = c.oid and d.deptype = 'e')
  and not exists (select 1 from pg_catalog.pg_index i where i.indrelid = c.oid and i.indisprimary)
order by n.nspname, c.relname;
