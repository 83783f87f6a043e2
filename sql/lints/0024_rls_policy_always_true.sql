-- rls_policy_always_true: a permissive policy for anon/authenticated/public whose USING or WITH
-- CHECK is literally true on a write command: RLS is on in name only. SELECT ... using (true) is
-- left alone (public read is often meant).
-- Unlike splinter, a missing USING or WITH CHECK is not "always true": PostgreSQL treats a permissive
-- policy without the clause as granting nothing (a DELETE policy without USING deletes no row, an
-- INSERT policy without WITH CHECK admits no row).
with policies as (
    select n.nspname as schema_name, c.relname as table_name, c.relrowsecurity as is_rls_active,
           p.polname as policy_name, p.polpermissive as is_permissive, p.polroles as role_oids,
           (select array_agg(case when r = 0 then 'public' else r::regrole::text end order by r)
              from unnest(p.polroles) as x(r)) as roles,
           case p.polcmd when 'r' then 'SELECT' when 'a' then 'INSERT' when 'w' then 'UPDATE'
                         when 'd' then 'DELETE' else 'ALL' end as command,
           pg_catalog.pg_get_expr(p.polqual, p.polrelid) as qual,
           pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) as with_check
    from pg_catalog.pg_policy p
    join pg_catalog.pg_class c on c.oid = p.polrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where c.relkind in ('r', 'p')
      and n.nspname not like 'pg\_%'
      and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                            'graphql_public', 'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron',
                            'net', 'pgsodium', 'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology',
                            'tiger')
),
normalized as (
    select p.*,
           regexp_replace(lower(coalesce(qual, '')), '\s', '', 'g') in ('true', '(true)', '1=1', '(1=1)')
               as qual_true,
           regexp_replace(lower(coalesce(with_check, '')), '\s', '', 'g') in ('true', '(true)', '1=1', '(1=1)')
               as with_check_true
    from policies p
    where is_rls_active
      and is_permissive
      and (role_oids = array[0::oid]
           or exists (select 1 from unnest(role_oids) r where r::regrole::text in ('anon', 'authenticated')))
),
judged as (
    select n.*,
           command in ('UPDATE', 'DELETE', 'ALL') and qual_true as permissive_using,
           -- without WITH CHECK, UPDATE and ALL check new rows with USING
           with_check_true
           or (with_check is null and command in ('UPDATE', 'ALL') and qual_true) as permissive_with_check
    from normalized n
)
select
    'rls_policy_always_true' as name,
    'RLS Policy Always True' as title,
    'WARN' as level,
    'EXTERNAL' as facing,
    array['SECURITY'] as categories,
    'Detects RLS policies that use overly permissive expressions like `USING (true)` or `WITH CHECK (true)` for '
        'UPDATE, DELETE, or INSERT operations. SELECT policies with `USING (true)` are intentionally excluded as '
        'this pattern is often used deliberately for public read access.' as description,
    format('Table `%s.%s` has an RLS policy `%s` for `%s` that allows unrestricted access%s. This effectively '
           'bypasses row-level security for %s.', schema_name, table_name, policy_name, command,
           case when permissive_using and permissive_with_check then ' (both USING and WITH CHECK are always true)'
                when permissive_using then ' (USING clause is always true)'
                else ' (WITH CHECK clause is always true)' end,
           array_to_string(roles, ', ')) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0024_permissive_rls_policy' as remediation,
    jsonb_build_object('schema', schema_name, 'name', table_name, 'type', 'table', 'policy_name', policy_name,
                       'command', command, 'roles', roles, 'qual', qual, 'with_check', with_check,
                       'permissive_using', permissive_using, 'permissive_with_check', permissive_with_check)
        as metadata,
    format('rls_policy_always_true_%s_%s_%s', schema_name, table_name, policy_name) as cache_key
from judged
where permissive_using or permissive_with_check
order by schema_name, table_name, policy_name;
