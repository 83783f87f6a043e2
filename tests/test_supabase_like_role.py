"""What passes locally must pass on Supabase, where `postgres` is NOT a superuser.

Supabase's `postgres` role is NOSUPERUSER CREATEDB CREATEROLE BYPASSRLS, a member of the API roles.
Here the whole job (compat layer, migrations, users, seed, probe) runs as such a role: a superuser-only
statement in a migration, or an RLS check that only passed because we were superuser, fails here.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import psycopg

from nexus_kit import migrations as mig
from nexus_kit.probe import probe
from nexus_kit.seed import seed

ROLE = "nk_supabase_postgres"


def as_role(url: str, role: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit(parts._replace(netloc=f"{role}@{host}"))


def make_supabase_like_postgres(admin_url: str, dbname: str) -> None:
    """The role as Supabase shapes it (roles are cluster-wide, so create it once)."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"""
            do $$ begin
              if not exists (select 1 from pg_roles where rolname = '{ROLE}') then
                create role {ROLE} login nosuperuser createdb createrole replication bypassrls;
              end if;
            exception when duplicate_object or unique_violation then null;
            end $$""")
        # what Supabase grants postgres: membership of the API roles, with ADMIN OPTION (PG16+ needs it)
        for api_role in ("anon", "authenticated", "service_role"):
            exists = conn.execute("select 1 from pg_roles where rolname = %s", (api_role,)).fetchone()
            if exists:
                conn.execute(f"grant {api_role} to {ROLE} with admin option")
        conn.execute(f'grant all on database "{dbname}" to {ROLE}')
        conn.execute(f'alter database "{dbname}" owner to {ROLE}')


def test_the_whole_job_runs_as_a_non_superuser_with_bypassrls(server_url, empty_db):
    dbname = urlsplit(empty_db).path.lstrip("/")
    make_supabase_like_postgres(server_url, dbname)
    with psycopg.connect(as_role(empty_db, ROLE), autocommit=True) as conn:
        assert conn.execute("select rolsuper, rolbypassrls from pg_roles where rolname = current_user").fetchone() \
            == (False, True)
        run = mig.apply(conn)
        assert len(run.applied) == 6
        report = seed(conn, scale=1, seed=42, progress=False)  # the dataset the expectations describe
        assert report.total > 9000
        matrix = probe(conn)
        assert matrix.ok, repr(matrix)
