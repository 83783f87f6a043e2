-- authenticated_security_definer_function_executable: a SECURITY DEFINER function the `authenticated` role may
-- execute. It runs with its owner's rights and bypasses RLS, and PostgREST serves it at
-- /rest/v1/rpc/<name>. Revoke execute from authenticated (and public), or make it SECURITY INVOKER.
select
    'authenticated_security_definer_function_executable' as name,
    'SECURITY DEFINER Function Executable by Authenticated Users' as title,
    'WARN' as level,
    'EXTERNAL' as facing,
    array['SECURITY'] as categories,
    'Detects SECURITY DEFINER functions that the `authenticated` role has EXECUTE on. A SECURITY DEFINER function runs '
        'with the privileges of its owner and bypasses RLS, so granting EXECUTE to `authenticated` lets such callers '
        'invoke a privileged operation via PostgREST `/rest/v1/rpc/<name>`.' as description,
    format('SECURITY DEFINER function `%s.%s(%s)` is executable by the `authenticated` role. It runs with the '
           'privileges of its owner and bypasses RLS, so such callers can invoke it via `/rest/v1/rpc/%s`.',
           n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid), p.proname) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0029_authenticated_security_definer_function_executable'
        as remediation,
    jsonb_build_object('schema', n.nspname, 'name', p.proname, 'type', 'function',
                       'arguments', pg_catalog.pg_get_function_identity_arguments(p.oid),
                       'language', l.lanname, 'security_definer', true) as metadata,
    format('authenticated_security_definer_function_executable_%s_%s_%s', n.nspname, p.proname,
           pg_catalog.pg_get_function_identity_arguments(p.oid)) as cache_key
from pg_catalog.pg_proc p
join pg_catalog.pg_namespace n on n.oid = p.pronamespace
join pg_catalog.pg_language l on l.oid = p.prolang
where p.prosecdef
  and pg_catalog.has_function_privilege('authenticated', p.oid, 'EXECUTE')
  -- only schemas PostgREST serves (pgrst.db_schemas, else public): /rest/v1/rpc reaches nothing else.
  -- splinter looks at every schema and so flags the recommended pattern itself, helpers that policies
  -- call from a private schema (they need EXECUTE for every role the policy applies to).
  and n.nspname = any(string_to_array(replace(coalesce(nullif(current_setting('pgrst.db_schemas', true), ''),
                                                        'public'), ' ', ''), ','))
  and not exists (select 1 from pg_catalog.pg_depend d where d.objid = p.oid and d.deptype = 'e')
order by n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid);
