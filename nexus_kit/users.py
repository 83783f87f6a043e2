"""Create the demo cast (and synthetic users): through the Supabase Admin API, or locally.

``seed_users(conn)`` decides the way:

- ``SUPABASE_URL`` and ``SUPABASE_SERVICE_ROLE_KEY`` set (arguments, environment or ``.env``):
  supabase-py's ``auth.admin.create_user``; emails that already exist are reused.
- otherwise, on plain PostgreSQL with the compat layer: rows in ``auth.users`` and
  ``auth.identities`` written as GoTrue's ``POST /admin/users`` writes them, so the same
  sign-up triggers fire and the users can sign in on a real GoTrue.
- a real Supabase database without the key: ``SupabaseCredentialsMissing``.

The service-role key is never printed, logged or kept in the result.
"""

from __future__ import annotations

import html
import json
import uuid
from dataclasses import dataclass
from functools import lru_cache

import bcrypt
import psycopg

from nexus_kit.compat import is_supabase
from nexus_kit.config import setting
from nexus_kit.errors import ConfigError, SupabaseCredentialsMissing
from nexus_kit.personas import CAST, DEMO_PASSWORD, Persona, user_id_for
from nexus_kit.workspaces import link_demo_workspace

SYNTHETIC_DOMAIN = "synthetic.nexus.test"
NIL_UUID = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class UserSpec:
    """One user to create: what the Admin API body would carry."""

    email: str
    full_name: str
    role: str  # shown in the table: platform role, workspace:<role>, persona key or "synthetic"
    platform_role: str | None = None

    @property
    def app_metadata(self) -> dict:
        return {"platform_role": self.platform_role} if self.platform_role else {}

    @property
    def user_metadata(self) -> dict:
        return {"full_name": self.full_name}


@dataclass(frozen=True)
class UserRow:
    email: str
    id: uuid.UUID
    role: str
    created: bool


@dataclass(frozen=True)
class UserTable:
    """Who exists: email → UUID → role. Holds no secret."""

    rows: tuple[UserRow, ...]
    source: str  # "local" or "admin api"
    memberships: int = 0

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self):
        return iter(self.rows)

    @property
    def ids(self) -> list[uuid.UUID]:
        return [r.id for r in self.rows]

    def id_of(self, email: str) -> uuid.UUID:
        return next(r.id for r in self.rows if r.email == email.lower())

    def by_email(self) -> dict[str, uuid.UUID]:
        return {r.email: r.id for r in self.rows}

    @property
    def created(self) -> int:
        return sum(r.created for r in self.rows)

    def summary(self) -> str:
        return (f"{len(self.rows)} users ({self.created} created, {len(self.rows) - self.created} existing) "
                f"via {self.source}; {self.memberships} workspace memberships linked")

    def __repr__(self) -> str:
        width = max([len("email")] + [len(r.email) for r in self.rows])
        lines = [f"{'email':<{width}}  {'id':<36}  role"]
        lines += [f"{r.email:<{width}}  {r.id!s:<36}  {r.role}" for r in self.rows]
        lines.append(self.summary())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        body = "".join(f"<tr><td>{html.escape(r.email)}</td><td><code>{r.id}</code></td>"
                       f"<td>{html.escape(r.role)}</td></tr>" for r in self.rows)
        return ("<table><thead><tr><th>email</th><th>id</th><th>role</th></tr></thead>"
                f"<tbody>{body}</tbody></table><p>{html.escape(self.summary())}</p>")

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([{"email": r.email, "id": r.id, "role": r.role, "created": r.created}
                             for r in self.rows])


# -- who to create --------------------------------------------------------------------

def persona_role(p: Persona) -> str:
    if p.platform_role:
        return p.platform_role
    if p.workspace_role:
        return f"workspace:{p.workspace_role}"
    return p.key


def synthetic_email(i: int) -> str:
    return f"user{i:06d}@{SYNTHETIC_DOMAIN}"


def user_specs(count: int = 0) -> list[UserSpec]:
    """The fixed cast, then ``count`` synthetic users with deterministic emails and names."""
    if count < 0:
        raise ConfigError(f"--count must be 0 or more, not {count}")
    specs = [UserSpec(p.email.lower(), p.full_name, persona_role(p), p.platform_role) for p in CAST]
    names = _name_pool()
    specs += [UserSpec(synthetic_email(i), names[i % len(names)], "synthetic") for i in range(1, count + 1)]
    return specs


@lru_cache(maxsize=1)
def _name_pool() -> tuple[str, ...]:
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(4)
    return tuple(fake.name() for _ in range(997))


# -- the verb ---------------------------------------------------------------------------

def seed_users(
    conn: psycopg.Connection,
    *,
    count: int = 0,
    supabase_url: str | None = None,
    service_role_key: str | None = None,
    password: str = DEMO_PASSWORD,
) -> UserTable:
    """Create (or find) the cast plus ``count`` synthetic users, then link the demo workspace."""
    specs = user_specs(count)
    url = supabase_url or setting("SUPABASE_URL")
    key = service_role_key or setting("SUPABASE_SERVICE_ROLE_KEY")
    if url and key:
        from nexus_kit.users_admin import create_via_admin_api

        rows, source = create_via_admin_api(url, key, specs, password), "admin api"
    elif is_supabase(conn):
        raise SupabaseCredentialsMissing("SUPABASE_URL" if not url else "SUPABASE_SERVICE_ROLE_KEY")
    else:
        rows, source = create_locally(conn, specs, password), "local"
    memberships = link_demo_workspace(conn, {r.email: r.id for r in rows})
    return UserTable(tuple(rows), source, memberships)


# -- locally, as GoTrue writes them ---------------------------------------------------------

@lru_cache(maxsize=8)
def password_hash(password: str) -> str:
    """bcrypt $2a$ at GoTrue's default cost (10), as Go writes it; hashed once per password and reused."""
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=10, prefix=b"2a")).decode()


INSERT_USERS = """
insert into auth.users (
  instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
  confirmation_token, recovery_token, email_change_token_new, email_change,
  email_change_token_current, phone_change, phone_change_token, reauthentication_token,
  raw_app_meta_data, raw_user_meta_data, is_super_admin, created_at, updated_at,
  is_sso_user, is_anonymous)
select %(instance)s::uuid, u.id, 'authenticated', 'authenticated', u.email, %(hash)s, now(),
       '', '', '', '', '', '', '', '',
       u.app_meta, u.user_meta, false, now(), now(), false, false
  from unnest(%(ids)s::uuid[], %(emails)s::text[], %(app)s::jsonb[], %(user)s::jsonb[])
       as u(id, email, app_meta, user_meta)
on conflict do nothing
returning id, email
"""

INSERT_IDENTITIES = """
insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
select u.id::text, u.id,
       jsonb_build_object('sub', u.id::text, 'email', u.email, 'email_verified', true, 'phone_verified', false),
       'email', now(), now(), now()
  from unnest(%(ids)s::uuid[], %(emails)s::text[]) as u(id, email)
on conflict do nothing
"""


def gotrue_app_metadata(spec: UserSpec) -> dict:
    return {"provider": "email", "providers": ["email"], **spec.app_metadata}


def gotrue_user_metadata(spec: UserSpec) -> dict:
    return {**spec.user_metadata, "email_verified": True}


def create_locally(conn: psycopg.Connection, specs: list[UserSpec], password: str) -> list[UserRow]:
    """Insert missing users (ids from their emails) with their email identity, in one transaction."""
    params = {
        "instance": NIL_UUID,
        "hash": password_hash(password),
        "ids": [user_id_for(s.email) for s in specs],
        "emails": [s.email for s in specs],
        "app": [json.dumps(gotrue_app_metadata(s)) for s in specs],
        "user": [json.dumps(gotrue_user_metadata(s)) for s in specs],
    }
    with conn.transaction():
        inserted = conn.execute(INSERT_USERS, params).fetchall()
        if inserted:
            conn.execute(INSERT_IDENTITIES, {"ids": [r[0] for r in inserted], "emails": [r[1] for r in inserted]})
        found = dict(conn.execute("select lower(email), id from auth.users where lower(email) = any(%s)",
                                  ([s.email for s in specs],)).fetchall())
    new = {email for _, email in inserted}
    return [UserRow(s.email, found[s.email], s.role, s.email in new) for s in specs]
