"""Act as an API user exactly as PostgREST does for one request.

Inside a transaction: ``set_config('role', …, true)`` and ``set_config('request.jwt.claims', …, true)``
with the claims GoTrue puts in an access token. Everything is transaction-local (never a
session-level ``SET ROLE``), and the transaction is rolled back on exit unless ``commit=True``.

    with as_user(conn, persona("owner")) as cur:
        cur.execute("select count(*) from public.subscriptions")
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

from nexus_kit.personas import Persona, persona

ISSUER = "http://127.0.0.1:54321/auth/v1"


def user_claims(
    user_id: uuid.UUID | str,
    *,
    email: str = "",
    app_metadata: dict | None = None,
    user_metadata: dict | None = None,
    role: str = "authenticated",
    is_anonymous: bool = False,
) -> dict[str, Any]:
    """The payload GoTrue signs for a user's access token (aud is a string, as GoTrue sends it)."""
    now = int(time.time())
    return {
        "iss": ISSUER,
        "sub": str(user_id),
        "aud": "authenticated",
        "exp": now + 3600,
        "iat": now,
        "email": email,
        "phone": "",
        "app_metadata": app_metadata or {"provider": "email", "providers": ["email"]},
        "user_metadata": user_metadata or {},
        "role": role,
        "aal": "aal1",
        "amr": [{"method": "password", "timestamp": now}],
        "session_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"session:{user_id}")),
        "is_anonymous": is_anonymous,
    }


def api_key_claims(role: str) -> dict[str, Any]:
    """The payload of the project's anon or service_role API key: no ``sub``."""
    return {"iss": "supabase-demo", "role": role, "exp": 1983812996}


def claims_for(conn: psycopg.Connection, who: Persona | uuid.UUID | str) -> dict[str, Any]:
    """Claims for a persona, a persona key, or a user id, read from auth.users as GoTrue would."""
    if isinstance(who, str) and not _looks_like_uuid(who):
        who = persona(who)
    if isinstance(who, Persona):
        row = conn.execute(
            "select id, email, raw_app_meta_data, raw_user_meta_data, is_anonymous "
            "from auth.users where lower(email) = lower(%s)",
            (who.email,),
        ).fetchone()
        if row is None:  # not created yet: the identity it would have locally
            return user_claims(who.local_id, email=who.email, app_metadata=who.app_metadata,
                               user_metadata=who.user_metadata)
    else:
        row = conn.execute(
            "select id, email, raw_app_meta_data, raw_user_meta_data, is_anonymous "
            "from auth.users where id = %s",
            (str(who),),
        ).fetchone()
        if row is None:
            return user_claims(who)
    uid, email, app_meta, user_meta, is_anon = row
    return user_claims(uid, email=email or "", app_metadata=app_meta, user_metadata=user_meta,
                       is_anonymous=bool(is_anon))


@contextmanager
def impersonate(conn: psycopg.Connection, role: str, claims: dict[str, Any], *,
                commit: bool = False) -> Iterator[psycopg.Cursor]:
    """One PostgREST-style request: a transaction with role and claims set locally."""
    tx = conn.transaction(force_rollback=not commit)
    with tx, conn.cursor() as cur:
        cur.execute(
            "select set_config('search_path', 'public, extensions', true),"
            " set_config('role', %s, true),"
            " set_config('request.jwt.claims', %s, true),"
            " set_config('request.method', 'POST', true)",
            (role, json.dumps(claims)),
        )
        yield cur


def as_user(conn: psycopg.Connection, who: Persona | uuid.UUID | str, *, commit: bool = False):
    """Act as a signed-in user (a persona, a persona key or a user id)."""
    claims = claims_for(conn, who)
    return impersonate(conn, claims["role"], claims, commit=commit)


def as_anon(conn: psycopg.Connection, *, commit: bool = False):
    """Act as a request carrying only the anon key."""
    return impersonate(conn, "anon", api_key_claims("anon"), commit=commit)


def as_service_role(conn: psycopg.Connection, *, commit: bool = False):
    """Act as a request carrying the service_role key (bypasses RLS, like the backend)."""
    return impersonate(conn, "service_role", api_key_claims("service_role"), commit=commit)


def _looks_like_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
