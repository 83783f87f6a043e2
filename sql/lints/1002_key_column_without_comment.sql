-- key_column_without_comment (nexus-kit): a primary or foreign key column with no comment. Keys
-- carry the schema's meaning (whose row is this? which workspace?), so they are documented too.
with key_columns as (
    select ct.conrelid as table_oid, k.attnum, string_agg(distinct
               case ct.contype when 'p' then 'primary key' else 'foreign key' end, ', ') as roles
    from pg_catalog.pg_constraint ct, unnest(ct.conkey) as k(attnum)
    where ct.contype in ('p', 'f')
    group by ct.conrelid, k.attnum
)
select
    'key_column_without_comment' as name,
    'Key Column Without Comment' as title,
    'INFO' as level,
    'EXTERNAL' as facing,
    array['DOCUMENTATION'] as categories,
    'Detects primary and foreign key columns without a comment.' as description,
    format('Column `%s.%s.%s` (%s) has no comment', n.nspname, c.relname, a.attname, kc.roles) as detail,
    format('comment on column %I.%I.%I is ''<what it identifies or points to>'';', n.nspname, c.relname, a.attname)
        as remediation,
    jsonb_build_object('schema', n.nspname, 'name', c.relname, 'type', 'table', 'column', a.attname,
                       'key', kc.roles) as metadata,
    format('key_column_without_comment_%s_%s_%s', n.nspname, c.relname, a.attname) as cache_key
from key_columns kc
join pg_catalog.pg_class c on c.oid = kc.table_oid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum = kc.attnum
where c.relkind in ('r', 'p')
  and not c.relispartition
  and coalesce(pg_catalog.col_description(c.oid, a.attnum), '') = ''
  and n.nspname not like 'pg\_%'
  and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                        'graphql_public', 'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron', 'net',
                        'pgsodium', 'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology', 'tiger')
  and not exists (select 1 from pg_catalog.pg_depend d where d.objid = c.oid and d.deptype = 'e')
order by n.nspname, c.relname, a.attnum;
