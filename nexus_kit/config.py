"""Settings from arguments, the environment and ``.env`` — in that order of precedence."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from dotenv import dotenv_values

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
SQL_DIR = REPO_DIR / "sql"
MIGRATIONS_DIR = SQL_DIR / "migrations"


def _dotenv(cwd: Path | None = None) -> dict[str, str]:
    path = (cwd or Path.cwd()) / ".env"
    if not path.is_file():
        return {}
    return {k: v for k, v in dotenv_values(path).items() if v}


def setting(name: str, default: str | None = None) -> str | None:
    """An environment variable, else the same key in ./.env, else ``default``."""
    value = os.environ.get(name)
    if value:
        return value
    return _dotenv().get(name, default)


def nexus_home() -> Path:
    """Where the kit keeps its state (embedded database, reports): $NEXUS_HOME or ./.nexus."""
    return Path(setting("NEXUS_HOME") or ".nexus").expanduser().resolve()


@dataclass(frozen=True)
class Settings:
    db_url: str | None
    supabase_url: str | None
    service_role_key: str | None
    home: Path

    def __repr__(self) -> str:  # never show the key
        key = "set" if self.service_role_key else "unset"
        return (f"Settings(db_url={'set' if self.db_url else 'unset'}, supabase_url={self.supabase_url!r}, "
                f"service_role_key={key}, home={str(self.home)!r})")


def load_settings(db_url: str | None = None) -> Settings:
    return Settings(
        db_url=db_url or setting("DATABASE_URL"),
        supabase_url=setting("SUPABASE_URL"),
        service_role_key=setting("SUPABASE_SERVICE_ROLE_KEY"),
        home=nexus_home(),
    )
