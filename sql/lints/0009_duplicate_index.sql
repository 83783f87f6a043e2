-- duplicate_index: two or more indexes with the same method, keys, operator classes, collations,
-- options, expressions and predicate. Every write maintains each copy; the planner uses one.
-- Past splinter: compares the index definition from pg_index, not its text with the name cut out,
-- and counts a unique index and a plain one on the same keys as duplicates too.
with indexes as (
    select n.nspname as schema_name, c.relname as table_name, c.relkind, ic.relname as index_name,
           i.indrelid, ic.relam, i.indkey::text as keys, i.indclass::text as opclasses,
           i.indcollation::text as collations, i.indoption::text as options, i.indnkeyatts,
           coalesce(pg_catalog.pg_get_expr(i.indexprs, i.indrelid), '') as expressions,
           coalesce(pg_catalog.pg_get_expr(i.indpred, i.indrelid), '') as predicate
    from pg_catalog.pg_index i
    join pg_catalog.pg_class ic on ic.oid = i.indexrelid
    join pg_catalog.pg_class c on c.oid = i.indrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'm', 'p')
      and i.indisvalid
      and n.nspname not like 'pg\_%'
      and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                            'graphql_public', 'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron',
                            'net', 'pgsodium', 'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology',
                            'tiger')
      and not exists (select 1 from pg_catalog.pg_depend d where d.objid = c.oid and d.deptype = 'e')
)
select
    'duplicate_index' as name,
    'Duplicate Index' as title,
    'WARN' as level,
    'EXTERNAL' as facing,
    array['PERFORMANCE'] as categories,
    'Detects cases where two ore more identical indexes exist.' as description,
    format('Table `%s.%s` has identical indexes %s. Drop all except one of them',
           schema_name, table_name, array_agg(index_name order by index_name)) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0009_duplicate_index' as remediation,
    jsonb_build_object('schema', schema_name, 'name', table_name,
                       'type', case relkind when 'm' then 'materialized view' else 'table' end,
                       'indexes', array_agg(index_name order by index_name)) as metadata,
    format('duplicate_index_%s_%s_%s', schema_name, table_name, array_agg(index_name order by index_name))
        as cache_key
from indexes
group by schema_name, table_name, relkind, indrelid, relam, keys, opclasses, collations, options, indnkeyatts,
         expressions, predicate
having count(*) > 1
order by schema_name, table_name;
