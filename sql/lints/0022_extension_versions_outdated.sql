-- extension_versions_outdated: an installed extension behind the version the server ships as
-- default; `alter extension ... update` brings the fixes in.
select
    'extension_versions_outdated' as name,
    'Extension Versions Outdated' as title,
    'WARN' as level,
    'EXTERNAL' as facing,
    array['SECURITY'] as categories,
    'Detects extensions that are not using the default (recommended) version.' as description,
    format('Extension `%s` is using version `%s` but version `%s` is available. Using outdated extension versions '
           'may expose the database to security vulnerabilities.', e.name, e.installed_version, e.default_version)
        as detail,
    'https://supabase.com/docs/guides/database/database-linter?lint=0022_extension_versions_outdated'
        as remediation,
    jsonb_build_object('name', e.name, 'type', 'extension', 'installed_version', e.installed_version,
                       'default_version', e.default_version) as metadata,
    format('extension_versions_outdated_%s_%s', e.name, e.installed_version) as cache_key
from pg_catalog.pg_available_extensions e
where e.installed_version is not null
  and e.default_version is not null
  and e.installed_version <> e.default_version
order by e.name;
