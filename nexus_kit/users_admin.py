"""Users through the Supabase Admin API (supabase-py), reusing emails that already exist.

The key goes to supabase-py and nowhere else: errors are re-raised without it.
"""

from __future__ import annotations

import uuid

from nexus_kit.errors import AdminApiError

PER_PAGE = 1000


def _client(url: str, key: str):
    from supabase import create_client
    from supabase.lib.client_options import SyncClientOptions

    try:
        return create_client(url, key, options=SyncClientOptions(auto_refresh_token=False, persist_session=False))
    except Exception as exc:  # SupabaseException: bad URL or key; never echo the key
        raise AdminApiError(url, "create_client", _safe(str(exc), key)) from None


def existing_users(admin, url: str, key: str) -> dict[str, uuid.UUID]:
    """Every user's email → id, paging through GET /admin/users."""
    found: dict[str, uuid.UUID] = {}
    page = 1
    while True:
        try:
            users = admin.list_users(page=page, per_page=PER_PAGE)
        except Exception as exc:
            raise AdminApiError(url, "list_users", _safe(str(exc), key)) from None
        for user in users:
            if user.email:
                found[user.email.lower()] = uuid.UUID(str(user.id))
        if len(users) < PER_PAGE:
            return found
        page += 1


def create_via_admin_api(url: str, key: str, specs, password: str):
    """Create the missing users with confirmed emails; return a UserRow per spec."""
    from supabase_auth.errors import AuthApiError

    from nexus_kit.users import UserRow

    admin = _client(url, key).auth.admin
    known = existing_users(admin, url, key)
    rows = []
    for spec in specs:
        if spec.email in known:
            rows.append(UserRow(spec.email, known[spec.email], spec.role, False))
            continue
        body = {"email": spec.email, "password": password, "email_confirm": True,
                "user_metadata": spec.user_metadata, "app_metadata": spec.app_metadata}
        try:
            user = admin.create_user(body).user
        except AuthApiError as exc:
            if exc.code != "email_exists":
                raise AdminApiError(url, f"create_user {spec.email}", _safe(exc.message, key)) from None
            known = existing_users(admin, url, key)  # created meanwhile: reuse it
            rows.append(UserRow(spec.email, known[spec.email], spec.role, False))
            continue
        except Exception as exc:
            raise AdminApiError(url, f"create_user {spec.email}", _safe(str(exc), key)) from None
        rows.append(UserRow(spec.email, uuid.UUID(str(user.id)), spec.role, True))
    return rows


def _safe(text: str, key: str) -> str:
    return text.replace(key, "***") if key else text
