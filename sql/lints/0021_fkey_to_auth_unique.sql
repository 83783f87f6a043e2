-- fkey_to_auth_unique: a foreign key to a unique constraint of an auth table other than its primary
-- key (e.g. auth.users(phone)); the auth service changes and drops those constraints in upgrades.
select
    'fkey_to_auth_unique' as name,
    'Foreign Key to Auth Unique Constraint' as title,
    'ERROR' as level,
    'EXTERNAL' as facing,
    array['SECURITY'] as categories,
    'Detects user defined foreign keys to unique constraints in the auth schema.' as description,
    format('Table `%s`.`%s` has a foreign key `%s` referencing an auth unique constraint',
           n.nspname, c.relname, ct.conname) as detail,
    'Drop the foreign key constraint that references the auth schema.' as remediation,
    jsonb_build_object('schema', n.nspname, 'name', c.relname, 'type', 'table', 'foreign_key', ct.conname)
        as metadata,
    format('fkey_to_auth_unique_%s_%s_%s', n.nspname, c.relname, ct.conname) as cache_key
from pg_catalog.pg_constraint ct
join pg_catalog.pg_class c on c.oid = ct.conrelid
join pg_catalog.pg_namespace n on n.oid = c.relnamespace
join pg_catalog.pg_class ref on ref.oid = ct.confrelid
join pg_catalog.pg_namespace rn on rn.oid = ref.relnamespace
join pg_catalog.pg_index i on i.indexrelid = ct.conindid
where ct.contype = 'f'
  and rn.nspname = 'auth'
  and n.nspname <> 'auth'
  and i.indisunique
  and not i.indisprimary
order by n.nspname, c.relname, ct.conname;
