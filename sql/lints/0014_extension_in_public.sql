-- extension_in_public: an extension's functions and types land in public, where the API exposes
-- them and where they clash with the project's own names. Install into schema extensions.
select
    'extension_in_public' as name,
    'Extension in Public' as title,
    'WARN' as level,
    'EXTERNAL' as facing,
    array['SECURITY'] as categories,
    'Detects extensions installed in the `public` schema.' as description,
    format('Extension `%s` is installed in the public schema. Move it to another schema.', e.extname) as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0014_extension_in_public' as remediation,
    jsonb_build_object('schema', n.nspname, 'name', e.extname, 'type', 'extension') as metadata,
    format('extension_in_public_%s', e.extname) as cache_key
from pg_catalog.pg_extension e
join pg_catalog.pg_namespace n on n.oid = e.extnamespace
where e.extname <> 'plpgsql'  -- installed in pg_catalog by initdb; listed for safety
  and n.nspname = 'public'
order by e.extname;
