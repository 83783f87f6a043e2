"""A test double of GoTrue's admin routes (not of Postgres): it writes into the real test database.

Speaks what supabase-py's ``auth.admin`` calls: ``POST /auth/v1/admin/users`` and
``GET /auth/v1/admin/users?page=&per_page=`` (``X-Total-Count``). The Bearer JWT must carry
``role: service_role`` (HS256, the project's JWT secret), else 401 ``no_authorization`` / 403
``not_admin``. A duplicate email is 422 ``email_exists`` with the 2024-01-01 error body when the
request sends ``X-Supabase-Api-Version``. Rows are written as ``adminUserCreate`` writes them.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import bcrypt
import jwt
import psycopg

JWT_SECRET = "super-secret-jwt-token-with-at-least-32-characters-long"
API_VERSION = "2024-01-01"


def service_role_key(role: str = "service_role") -> str:
    return jwt.encode({"iss": "supabase-demo", "role": role, "exp": int(time.time()) + 3600}, JWT_SECRET,
                      algorithm="HS256")


USER_SQL = """
select u.id, u.aud, u.role, u.email, u.email_confirmed_at, u.phone, u.confirmed_at, u.last_sign_in_at,
       u.raw_app_meta_data, u.raw_user_meta_data, u.created_at, u.updated_at, u.is_anonymous,
       coalesce((select json_agg(json_build_object(
         'identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id, 'identity_data', i.identity_data,
         'provider', i.provider, 'last_sign_in_at', i.last_sign_in_at, 'created_at', i.created_at,
         'updated_at', i.updated_at, 'email', i.email)) from auth.identities i where i.user_id = u.id), '[]')
  from auth.users u
"""


def _user_json(row) -> dict:
    keys = ("id", "aud", "role", "email", "email_confirmed_at", "phone", "confirmed_at", "last_sign_in_at",
            "app_metadata", "user_metadata", "created_at", "updated_at", "is_anonymous", "identities")
    doc = dict(zip(keys, row, strict=True))
    doc["phone"] = doc["phone"] or ""
    return json.loads(json.dumps(doc, default=str))


class GoTrueStub:
    """``with GoTrueStub(db_url) as stub: create_client(stub.url, service_role_key())``."""

    def __init__(self, db_url: str):
        self.db_url = db_url
        self.requests: list[tuple[str, str, dict]] = []  # (method, path, headers) of every request
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> GoTrueStub:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output quiet
                pass

            def _send(self, status: int, body: dict, headers: dict | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                if self.headers.get("X-Supabase-Api-Version"):
                    self.send_header("X-Supabase-Api-Version", API_VERSION)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status: int, code: str, message: str) -> None:
                if self.headers.get("X-Supabase-Api-Version"):
                    self._send(status, {"code": code, "message": message})
                else:
                    self._send(status, {"code": status, "error_code": code, "msg": message})

            def _admin_ok(self) -> bool:
                stub.requests.append((self.command, self.path, dict(self.headers)))
                auth = self.headers.get("Authorization", "")
                if not auth.startswith("Bearer "):
                    self._error(401, "no_authorization", "This endpoint requires a Bearer token")
                    return False
                try:
                    claims = jwt.decode(auth[7:], JWT_SECRET, algorithms=["HS256"], options={"verify_aud": False})
                except jwt.PyJWTError as exc:
                    self._error(403, "bad_jwt", f"invalid JWT: {exc}")
                    return False
                if claims.get("role") != "service_role":
                    self._error(403, "not_admin", "User not allowed")
                    return False
                return True

            def do_GET(self) -> None:  # noqa: N802
                parts = urlsplit(self.path)
                if parts.path != "/auth/v1/admin/users":
                    return self._error(404, "not_found", "no route")
                if not self._admin_ok():
                    return
                query = parse_qs(parts.query)
                page = int(query.get("page", ["1"])[0] or 1)
                per_page = int(query.get("per_page", ["50"])[0] or 50)
                with psycopg.connect(stub.db_url) as conn:
                    total = conn.execute("select count(*) from auth.users").fetchone()[0]
                    rows = conn.execute(USER_SQL + " order by u.created_at, u.id limit %s offset %s",
                                        (per_page, (page - 1) * per_page)).fetchall()
                self._send(200, {"users": [_user_json(r) for r in rows], "aud": "authenticated"},
                           {"X-Total-Count": str(total)})

            def do_POST(self) -> None:  # noqa: N802
                if urlsplit(self.path).path != "/auth/v1/admin/users":
                    return self._error(404, "not_found", "no route")
                if not self._admin_ok():
                    return
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                email = (body.get("email") or "").lower()
                if not email:
                    return self._error(400, "validation_failed", "Unable to validate email address")
                with psycopg.connect(stub.db_url, autocommit=True) as conn:
                    if conn.execute("select 1 from auth.users where lower(email) = %s", (email,)).fetchone():
                        return self._error(422, "email_exists",
                                           "A user with this email address has already been registered")
                    uid = create_user_row(conn, email, body)
                    row = conn.execute(USER_SQL + " where u.id = %s", (uid,)).fetchone()
                self._send(200, _user_json(row))

        return Handler


def create_user_row(conn: psycopg.Connection, email: str, body: dict) -> uuid.UUID:
    """What GoTrue's adminUserCreate writes: user, then its email identity, in one transaction."""
    uid = uuid.UUID(body["id"]) if body.get("id") else uuid.uuid4()
    password = body.get("password") or uuid.uuid4().hex * 2
    hashed = bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4, prefix=b"2a")).decode()
    user_meta = dict(body.get("user_metadata") or {})
    if body.get("email_confirm"):
        user_meta["email_verified"] = True
    app_meta = {"provider": "email", "providers": ["email"], **(body.get("app_metadata") or {})}
    with conn.transaction():
        conn.execute(
            "insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, "
            " confirmation_token, recovery_token, email_change_token_new, email_change, email_change_token_current,"
            " phone_change, phone_change_token, reauthentication_token, raw_app_meta_data, raw_user_meta_data,"
            " is_super_admin, created_at, updated_at) "
            "values ('00000000-0000-0000-0000-000000000000', %s, 'authenticated', 'authenticated', %s, %s, "
            " case when %s then now() end, '', '', '', '', '', '', '', '', %s, %s, false, now(), now())",
            (uid, email, hashed, bool(body.get("email_confirm")), json.dumps(app_meta), json.dumps(user_meta)),
        )
        conn.execute(
            "insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, "
            "created_at, updated_at) values (%s, %s, %s, 'email', now(), now(), now())",
            (str(uid), uid, json.dumps({"sub": str(uid), "email": email, "email_verified": False,
                                        "phone_verified": False})),
        )
    return uid
