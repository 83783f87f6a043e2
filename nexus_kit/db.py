"""One way to reach the database, shared by the CLI, the notebooks and the tests.

Resolution order: an explicit URL (``--db-url``), then ``DATABASE_URL`` (environment or
``.env``), else the embedded PostgreSQL, which is started on demand. The embedded server is
never started when a URL is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict

from nexus_kit import embedded
from nexus_kit.config import load_settings
from nexus_kit.errors import AuthenticationFailed, ConfigError, DatabaseUnreachable


@dataclass(frozen=True)
class Target:
    """Where the kit will connect, and why there."""

    url: str
    source: str  # "--db-url", "DATABASE_URL" or "embedded"

    @property
    def is_embedded(self) -> bool:
        return self.source == "embedded"

    @property
    def display(self) -> str:
        return redact(self.url)

    def __repr__(self) -> str:
        return f"Target({self.display} from {self.source})"


def resolve(db_url: str | None = None) -> Target:
    """Decide which database to use; start the embedded one only when nothing else is given."""
    if db_url:
        return Target(db_url, "--db-url")
    env_url = load_settings().db_url
    if env_url:
        return Target(env_url, "DATABASE_URL")
    return Target(embedded.start(), "embedded")


def resolve_url(db_url: str | None = None) -> str:
    return resolve(db_url).url


def endpoint(url: str) -> tuple[str, str | None, str | None, str | None]:
    """(host, port, user, dbname) of a URL or conninfo string, without the password."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise ConfigError(f"not a PostgreSQL URL: {redact(url)} ({exc}). Use postgresql://user@host:port/db") from exc
    host = info.get("host") or "localhost"
    return host, info.get("port"), info.get("user"), info.get("dbname")


def redact(url: str) -> str:
    """The URL with its password replaced by ***."""
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return parts._replace(netloc=netloc).geturl()
    return url


def supabase_cli_url(url: str) -> str:
    """The same database as a URL the Supabase CLI (pgx) accepts.

    pgx wants a host in the authority even for a Unix socket (``?host=/dir`` then wins) and
    refuses TLS-less servers unless ``sslmode=disable`` is explicit.
    """
    host, port, user, dbname = endpoint(url)
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise ConfigError(f"not a PostgreSQL URL: {redact(url)}. Use postgresql://user@host:port/db")
    query = dict(pair.split("=", 1) for pair in parts.query.split("&") if "=" in pair)
    netloc = parts.netloc
    if host.startswith("/"):
        netloc = f"{parts.username or user or 'postgres'}@localhost"
        query["host"] = host
    if is_local(url):
        query.setdefault("sslmode", "disable")
    return parts._replace(netloc=netloc, query="&".join(f"{k}={v}" for k, v in query.items())).geturl()


def is_local(url: str) -> bool:
    """True for a Unix socket or a loopback host: a database `reset` may drop."""
    host = endpoint(url)[0]
    return host.startswith("/") or host in {"localhost", "127.0.0.1", "::1"}


def connect(db_url: str | None = None, *, autocommit: bool = True, **kwargs) -> psycopg.Connection:
    """Open a psycopg 3 connection to the resolved database, with short, clear errors."""
    url = resolve_url(db_url)
    host, port, user, _ = endpoint(url)
    try:
        return psycopg.connect(url, autocommit=autocommit, connect_timeout=10, **kwargs)
    except psycopg.OperationalError as exc:
        text = str(exc)
        if "password authentication failed" in text or ("role" in text and "does not exist" in text):
            raise AuthenticationFailed(host, port, user or "?") from None
        reason = _first_reason(text)
        raise DatabaseUnreachable(host, port, reason) from None


def _first_reason(text: str) -> str:
    """The useful part of libpq's multi-line message, never the password."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        if "FATAL:" in line or "failed:" in line:
            return line.split("failed:", 1)[-1].replace("FATAL:", "").strip()
    return lines[0] if lines else "connection failed"
