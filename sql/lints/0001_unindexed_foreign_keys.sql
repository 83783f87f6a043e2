-- unindexed_foreign_keys: a foreign key whose columns are not the leading columns of a valid,
-- non-partial index. Deletes on the referenced table and joins then scan the whole table.
-- Past splinter: any column order among the index's leading keys counts; partial indexes do not.
with foreign_keys as (
    select n.nspname as schema_name, c.relname as table_name, c.oid as table_oid,
           ct.conname as fkey_name, ct.conkey as fkey_columns
    from pg_catalog.pg_constraint ct
    join pg_catalog.pg_class c on c.oid = ct.conrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where ct.contype = 'f'
      and n.nspname not like 'pg\_%'
      and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                            'graphql_public', 'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron',
                            'net', 'pgsodium', 'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology',
                            'tiger')
      and not exists (select 1 from pg_catalog.pg_depend d where d.objid = c.oid and d.deptype = 'e')
)
select
    'unindexed_foreign_keys' as name,
    'Unindexed foreign keys' as title,
    'INFO' as level,
    'EXTERNAL' as facing,
    array['PERFORMANCE'] as categories,
    'Identifies foreign key constraints without a covering index, which can impact database performance.'
        as description,
    format('Table `%s.%s` has a foreign key `%s` without a covering index. This can lead to suboptimal query '
           'performance.', fk.schema_name, fk.table_name, fk.fkey_name) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0001_unindexed_foreign_keys' as remediation,
    jsonb_build_object('schema', fk.schema_name, 'name', fk.table_name, 'type', 'table',
                       'fkey_name', fk.fkey_name, 'fkey_columns', fk.fkey_columns) as metadata,
    format('unindexed_foreign_keys_%s_%s_%s', fk.schema_name, fk.table_name, fk.fkey_name) as cache_key
from foreign_keys fk
where not exists (
    select 1
    from pg_catalog.pg_index i
    where i.indrelid = fk.table_oid
      and i.indisvalid
      and i.indpred is null
      and cardinality(fk.fkey_columns) <= i.indnkeyatts
      -- the index's leading columns are exactly the key's columns, in any order
      and (string_to_array(i.indkey::text, ' ')::smallint[])[1:cardinality(fk.fkey_columns)] @> fk.fkey_columns
      and (string_to_array(i.indkey::text, ' ')::smallint[])[1:cardinality(fk.fkey_columns)] <@ fk.fkey_columns
)
order by fk.schema_name, fk.table_name, fk.fkey_name;
