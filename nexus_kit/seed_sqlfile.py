"""The head of a ``--out`` seed file: users, reference data and the demo workspace, as SQL.

Rendered with psycopg's client-side binding of the very statements the kit runs, so the file
writes the same rows; every statement is idempotent.
"""

from __future__ import annotations

import json

import psycopg

from nexus_kit.personas import DEMO_PASSWORD, user_id_for
from nexus_kit.seed_files import SEED_SQL
from nexus_kit.users import (
    INSERT_IDENTITIES,
    INSERT_USERS,
    NIL_UUID,
    UserTable,
    gotrue_app_metadata,
    gotrue_user_metadata,
    password_hash,
    user_specs,
)


def write_prelude(handle, conn: psycopg.Connection, users: UserTable) -> None:
    cur = psycopg.ClientCursor(conn)
    handle.write("-- nexus-kit seed: idempotent (insert ... on conflict do nothing); run after the migrations.\n")
    ids = users.by_email()  # once: a dict of every user, not one per spec
    local = [s for s in user_specs(len(users) - len(_cast_emails(users))) if ids.get(s.email) == user_id_for(s.email)]
    if local:
        params = {"instance": NIL_UUID, "hash": password_hash(DEMO_PASSWORD),
                  "ids": [user_id_for(s.email) for s in local], "emails": [s.email for s in local],
                  "app": [json.dumps(gotrue_app_metadata(s)) for s in local],
                  "user": [json.dumps(gotrue_user_metadata(s)) for s in local]}
        users_sql = INSERT_USERS.replace("returning id, email", "").strip()
        handle.write(cur.mogrify(users_sql, params) + ";\n")
        handle.write(cur.mogrify(INSERT_IDENTITIES.strip(), {"ids": params["ids"], "emails": params["emails"]})
                     + ";\n\n")
    if SEED_SQL.is_file():
        handle.write("-- sql/seed.sql\n" + SEED_SQL.read_text() + "\n")


def _cast_emails(users: UserTable) -> list[str]:
    return [r.email for r in users.rows if r.role != "synthetic"]
