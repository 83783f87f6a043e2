-- rls_references_user_metadata: a policy that reads user_metadata, which every user may edit
-- through the auth API (supabase.auth.updateUser), so it grants whatever the user writes there.
-- Past splinter: also catches auth.users.raw_user_meta_data read in a sub-select.
with policies as (
    select n.nspname as schema_name, c.relname as table_name, p.polname as policy_name,
           coalesce(pg_catalog.pg_get_expr(p.polqual, p.polrelid), '') as qual,
           coalesce(pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), '') as with_check
    from pg_catalog.pg_policy p
    join pg_catalog.pg_class c on c.oid = p.polrelid
    join pg_catalog.pg_namespace n on n.oid = c.relnamespace
    where n.nspname not like 'pg\_%'
      and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                            'graphql_public', 'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron',
                            'net', 'pgsodium', 'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology',
                            'tiger')
)
select
    'rls_references_user_metadata' as name,
    'RLS references user metadata' as title,
    'ERROR' as level,
    'EXTERNAL' as facing,
    array['SECURITY'] as categories,
    'Detects when Supabase Auth user_metadata is referenced insecurely in a row level security (RLS) policy.'
        as description,
    format('Table `%s.%s` has a row level security policy `%s` that references Supabase Auth `user_metadata`. '
           '`user_metadata` is editable by end users and should never be used in a security context.',
           schema_name, table_name, policy_name) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0015_rls_references_user_metadata'
        as remediation,
    jsonb_build_object('schema', schema_name, 'name', table_name, 'type', 'table', 'policy_name', policy_name)
        as metadata,
    format('rls_references_user_metadata_%s_%s_%s', schema_name, table_name, policy_name) as cache_key
from policies
where qual ~ '(jwt\(\)|request\.jwt\.claims?).*user_metadata|raw_user_meta_data'
   or with_check ~ '(jwt\(\)|request\.jwt\.claims?).*user_metadata|raw_user_meta_data'
order by schema_name, table_name, policy_name;
