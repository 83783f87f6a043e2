-- auth_users_exposed: a view or materialized view in an API schema that reads auth.users and is
-- selectable by anon or authenticated: e-mails, phones and metadata of every user leak.
select
    'auth_users_exposed' as name,
    'Exposed Auth Users' as title,
    'ERROR' as level,
    'EXTERNAL' as facing,
    array['SECURITY'] as categories,
    'Detects if auth.users is exposed to anon or authenticated roles via a view or materialized view in schemas '
        'exposed to PostgREST, potentially compromising user data security.' as description,
    format('View/Materialized View "%s" in the public schema may expose `auth.users` data to anon or '
           'authenticated roles.', c.relname) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0002_auth_users_exposed' as remediation,
    jsonb_build_object(
        'schema', n.nspname, 'name', c.relname, 'type', 'view',
        'exposed_to', array_remove(array[
            case when pg_catalog.has_table_privilege('anon', c.oid, 'SELECT') then 'anon' end,
            case when pg_catalog.has_table_privilege('authenticated', c.oid, 'SELECT') then 'authenticated' end
        ], null)
    ) as metadata,
    format('auth_users_exposed_%s_%s', n.nspname, c.relname) as cache_key
from pg_catalog.pg_class c
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('v', 'm')
  and n.nspname = any(string_to_array(replace(coalesce(nullif(current_setting('pgrst.db_schemas', true), ''),
                                                        'public'), ' ', ''), ','))
  and (pg_catalog.has_table_privilege('anon', c.oid, 'SELECT')
       or pg_catalog.has_table_privilege('authenticated', c.oid, 'SELECT'))
  and exists (
      select 1
      from pg_catalog.pg_rewrite r
      join pg_catalog.pg_depend d on d.objid = r.oid and d.classid = 'pg_catalog.pg_rewrite'::regclass
      where r.ev_class = c.oid
        and d.refobjid = pg_catalog.to_regclass('auth.users')
        and d.deptype = 'n'
  )
  and (
      c.relkind = 'm'  -- materialized views have no RLS at all
      or not coalesce(lower(c.reloptions::text)::text[], '{}')
             && array['security_invoker=1', 'security_invoker=true', 'security_invoker=yes', 'security_invoker=on']
      or not (select u.relrowsecurity from pg_catalog.pg_class u where u.oid = pg_catalog.to_regclass('auth.users'))
  )
order by n.nspname, c.relname;
