"""The fixed cast of demo users that seeding, the RLS probe and the notebooks share.

Every persona has a stable email; locally its id is derived from that email, so the same
person has the same UUID on every machine. Platform roles live in ``app_metadata`` (only the
service role can write it), never in ``user_metadata``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

# Namespace for ids derived from emails (uuid5): stable across machines and runs.
USER_NAMESPACE = uuid.UUID("6f1c3a52-7d0e-4b7a-9a43-2a1e8c5b9d10")

DEMO_WORKSPACE_SLUG = "nexus-demo"
DEMO_PASSWORD = "nexus-demo-password"

PLATFORM_ROLES = ("admin", "moderator", "support_agent")
WORKSPACE_ROLES = ("owner", "admin", "editor", "viewer")


def user_id_for(email: str) -> uuid.UUID:
    """The id a locally created user gets: uuid5 of the lower-cased email."""
    return uuid.uuid5(USER_NAMESPACE, email.strip().lower())


@dataclass(frozen=True)
class Persona:
    key: str
    email: str
    full_name: str
    description: str
    platform_role: str | None = None
    workspace_role: str | None = None
    tags: tuple[str, ...] = field(default=())

    @property
    def local_id(self) -> uuid.UUID:
        return user_id_for(self.email)

    @property
    def app_metadata(self) -> dict:
        meta: dict = {"provider": "email", "providers": ["email"]}
        if self.platform_role:
            meta["platform_role"] = self.platform_role
        return meta

    @property
    def user_metadata(self) -> dict:
        return {"full_name": self.full_name, "persona": self.key}


CAST: tuple[Persona, ...] = (
    Persona("owner", "olivia.owner@nexus.test", "Olivia Owner",
            "Has personal data: Echo AI history, dashboards, tickets; sells marketplace items."),
    Persona("buyer", "ben.buyer@nexus.test", "Ben Buyer",
            "Buys Olivia's marketplace items and reviews them."),
    Persona("stranger", "sam.stranger@nexus.test", "Sam Stranger",
            "Signed in, but related to nothing: must see only public data."),
    Persona("ws_owner", "wendy.wsowner@nexus.test", "Wendy Workspace-Owner",
            "Owner of the demo workspace.", workspace_role="owner"),
    Persona("ws_admin", "adam.wsadmin@nexus.test", "Adam Workspace-Admin",
            "Admin of the demo workspace: manages members.", workspace_role="admin"),
    Persona("ws_editor", "eddie.editor@nexus.test", "Eddie Editor",
            "Editor in the demo workspace: writes content.", workspace_role="editor"),
    Persona("ws_viewer", "vera.viewer@nexus.test", "Vera Viewer",
            "Viewer in the demo workspace: reads only.", workspace_role="viewer"),
    Persona("moderator", "mona.moderator@nexus.test", "Mona Moderator",
            "Moderates marketplace and forum content.", platform_role="moderator"),
    Persona("support_agent", "sid.support@nexus.test", "Sid Support",
            "Reads and answers every support ticket, writes the knowledge base.",
            platform_role="support_agent"),
    Persona("admin", "ada.admin@nexus.test", "Ada Admin",
            "Platform admin: can do everything through the API.", platform_role="admin"),
)

BY_KEY: dict[str, Persona] = {p.key: p for p in CAST}


def persona(key: str) -> Persona:
    """The persona with this key; a clear error naming the known keys otherwise."""
    from nexus_kit.errors import UnknownPersona

    try:
        return BY_KEY[key]
    except KeyError:
        raise UnknownPersona(key, sorted(BY_KEY)) from None
