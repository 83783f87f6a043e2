-- foreign_table_in_api: a foreign table has no RLS; if the API roles can select it, every row of
-- the remote table is public.
select
    'foreign_table_in_api' as name,
    'Foreign Table in API' as title,
    'WARN' as level,
    'EXTERNAL' as facing,
    array['SECURITY'] as categories,
    'Detects foreign tables that are accessible over APIs. Foreign tables do not respect row level security '
        'policies.' as description,
    format('Foreign table `%s.%s` is accessible over APIs', n.nspname, c.relname) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0017_foreign_table_in_api' as remediation,
    jsonb_build_object('schema', n.nspname, 'name', c.relname, 'type', 'foreign table') as metadata,
    format('foreign_table_in_api_%s_%s', n.nspname, c.relname) as cache_key
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind = 'f'
  and (pg_catalog.has_table_privilege('anon', c.oid, 'SELECT')
       or pg_catalog.has_table_privilege('authenticated', c.oid, 'SELECT'))
  and n.nspname = any(string_to_array(replace(coalesce(nullif(current_setting('pgrst.db_schemas', true), ''),
                                                        'public'), ' ', ''), ','))
  and not exists (select 1 from pg_catalog.pg_depend d where d.objid = c.oid and d.deptype = 'e')
order by n.nspname, c.relname;
