-- table_without_comment (nexus-kit): a table with no `comment on table`. The comment is what the
-- ERD, the Supabase dashboard and PostgREST's OpenAPI show; the Nexus schema documents every table.
select
    'table_without_comment' as name,
    'Table Without Comment' as title,
    'WARN' as level,
    'EXTERNAL' as facing,
    array['DOCUMENTATION'] as categories,
    'Detects tables without a comment. Comments document the schema in the ERD, the dashboard and the API docs.'
        as description,
    format('Table `%s.%s` has no comment', n.nspname, c.relname) as detail,
    format('comment on table %I.%I is ''<what one row is, and who may see it>'';', n.nspname, c.relname)
        as remediation,
    jsonb_build_object('schema', n.nspname, 'name', c.relname, 'type', 'table') as metadata,
    format('table_without_comment_%s_%s', n.nspname, c.relname) as cache_key
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and not c.relispartition
  and coalesce(pg_catalog.obj_description(c.oid, 'pg_class'), '') = ''
  and n.nspname not like 'pg\_%'
  and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                        'graphql_public', 'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron', 'net',
                        'pgsodium', 'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology', 'tiger')
  and not exists (select 1 from pg_catalog.pg_depend d where d.objid = c.oid and d.deptype = 'e')
order by n.nspname, c.relname;
