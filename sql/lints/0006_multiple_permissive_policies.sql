-- multiple_permissive_policies: two or more permissive policies for the same role and command on a
-- table; PostgreSQL ORs them and evaluates every one for every row.
-- A policy `to public` counts for the API roles anon and authenticated (splinter expands it to every
-- role of the cluster, which on a shared server reports roles that never query the table).
with policy_roles as (
    select p.oid as policy_oid, p.polname, p.polcmd, p.polrelid, r.rolname
    from pg_catalog.pg_policy p
    join pg_catalog.pg_roles r
      on p.polroles @> array[r.oid]
      or (p.polroles = array[0::oid] and r.rolname in ('anon', 'authenticated'))
    where p.polpermissive
      and not r.rolbypassrls
      and r.rolname not like 'pg\_%'
),
policy_actions as (
    select pr.*, act.cmd
    from policy_roles pr,
    lateral unnest(case pr.polcmd
                       when 'r' then array['SELECT']
                       when 'a' then array['INSERT']
                       when 'w' then array['UPDATE']
                       when 'd' then array['DELETE']
                       else array['SELECT', 'INSERT', 'UPDATE', 'DELETE']
                   end) as act(cmd)
)
select
    'multiple_permissive_policies' as name,
    'Multiple Permissive Policies' as title,
    'WARN' as level,
    'EXTERNAL' as facing,
    array['PERFORMANCE'] as categories,
    'Detects if multiple permissive row level security policies are present on a table for the same `role` and '
        '`action` (e.g. insert). Multiple permissive policies are suboptimal for performance as each policy must be '
        'executed for every relevant query.' as description,
    format('Table `%s.%s` has multiple permissive policies for role `%s` for action `%s`. Policies include `%s`',
           n.nspname, c.relname, pa.rolname, pa.cmd, array_agg(pa.polname order by pa.polname)) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0006_multiple_permissive_policies'
        as remediation,
    jsonb_build_object('schema', n.nspname, 'name', c.relname, 'type', 'table', 'role', pa.rolname,
                       'command', pa.cmd, 'policies', array_agg(pa.polname order by pa.polname)) as metadata,
    format('multiple_permissive_policies_%s_%s_%s_%s', n.nspname, c.relname, pa.rolname, pa.cmd) as cache_key
from policy_actions pa
join pg_catalog.pg_class c on c.oid = pa.polrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
where c.relkind in ('r', 'p')
  and n.nspname not like 'pg\_%'
  and n.nspname not in ('information_schema', 'auth', 'extensions', 'storage', 'realtime', 'vault', 'graphql',
                        'graphql_public', 'supabase_functions', 'supabase_migrations', 'nexus_kit', 'cron', 'net',
                        'pgsodium', 'pgsodium_masks', 'pgbouncer', 'pgtle', 'pgmq', 'repack', 'topology', 'tiger')
  and not exists (select 1 from pg_catalog.pg_depend d where d.objid = c.oid and d.deptype = 'e')
group by n.nspname, c.relname, pa.rolname, pa.cmd
having count(*) > 1
order by n.nspname, c.relname, pa.rolname, pa.cmd;
