-- unsupported_reg_types: columns of reg* types that store OIDs pg_upgrade cannot carry over;
-- their presence blocks a major version upgrade.
select
    'unsupported_reg_types' as name,
    'Unsupported reg types' as title,
    'WARN' as level,
    'EXTERNAL' as facing,
    array['SECURITY'] as categories,
    'Identifies columns using unsupported reg* types outside pg_catalog schema, which prevents database upgrades '
        'using pg_upgrade.' as description,
    format('Table `%s.%s` has a column `%s` with unsupported reg* type `%s`.', n.nspname, c.relname, a.attname,
           t.typname) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=unsupported_reg_types' as remediation,
    jsonb_build_object('schema', n.nspname, 'name', c.relname, 'type', 'table', 'column', a.attname,
                       'column_type', t.typname) as metadata,
    format('unsupported_reg_types_%s_%s_%s', n.nspname, c.relname, a.attname) as cache_key
from pg_catalog.pg_attribute a
join pg_catalog.pg_class c on c.oid = a.attrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_type t on t.oid = a.atttypid
where a.attnum > 0
  and not a.attisdropped
  and c.relkind in ('r', 'p', 'm')
  and t.typnamespace = 'pg_catalog'::regnamespace
  and t.typname in ('regcollation', 'regconfig', 'regdictionary', 'regnamespace', 'regoper', 'regoperator',
                    'regproc', 'regprocedure')
  and n.nspname not like 'pg\_%'
  and n.nspname not in ('information_schema', 'pgsodium')
order by n.nspname, c.relname, a.attname;
