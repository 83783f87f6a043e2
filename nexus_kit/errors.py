"""One exception base; subclasses carry the data a caller needs to act on them.

The CLI prints ``error: <message>`` (one line: what went wrong and the next step) and exits
non-zero; ``--traceback`` shows the traceback too.
"""

from __future__ import annotations

from pathlib import Path


class NexusKitError(Exception):
    """Base of every error the kit raises on purpose."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(NexusKitError):
    """A setting is missing or malformed."""


class DatabaseUnreachable(NexusKitError):
    def __init__(self, host: str, port: str | int | None, reason: str):
        self.host, self.port, self.reason = host, port, reason
        where = f"{host}:{port}" if port else host
        super().__init__(
            f"cannot reach the database at {where}: {reason}. "
            "Check that the server runs and the URL is right (--db-url or DATABASE_URL)"
        )


class AuthenticationFailed(NexusKitError):
    def __init__(self, host: str, port: str | int | None, user: str):
        self.host, self.port, self.user = host, port, user
        where = f"{host}:{port}" if port else host
        super().__init__(
            f"the database at {where} refused user {user!r} (wrong password or no such role). "
            "Fix the credentials in --db-url or DATABASE_URL"
        )


class EmbeddedServerError(NexusKitError):
    def __init__(self, pgdata: Path, reason: str):
        self.pgdata, self.reason = pgdata, reason
        super().__init__(
            f"the embedded PostgreSQL in {pgdata} cannot start: {reason}. "
            f"See {pgdata / 'log'}, or run `nexus-kit db stop` and try again"
        )


class MigrationsFolderMissing(NexusKitError):
    def __init__(self, path: Path):
        self.path = path
        super().__init__(
            f"no migrations folder at {path}. Run the kit from the repository root or pass --migrations DIR"
        )


class MigrationFailed(NexusKitError):
    def __init__(self, file: str, sqlstate: str | None, detail: str, line: int | None, column: int | None):
        self.file, self.sqlstate, self.detail, self.line, self.column = file, sqlstate, detail, line, column
        where = f"{file}:{line}:{column}" if line else file
        super().__init__(
            f"migration {where} failed [{sqlstate or '?'}]: {detail}. "
            "Nothing of it was applied; fix the file and run `nexus-kit migrate` again"
        )


class EditedMigration(NexusKitError):
    def __init__(self, file: str, version: str):
        self.file, self.version = file, version
        super().__init__(
            f"migration {file} was edited after it was applied (its checksum changed). "
            "Restore it and put the change in a new migration, or `nexus-kit reset` a local database"
        )


class MissingMigrationFile(NexusKitError):
    def __init__(self, version: str, name: str | None):
        self.version, self.name = version, name
        label = f"{version}_{name}" if name else version
        super().__init__(
            f"the database records migration {label}, but no file in the migrations folder has that version. "
            "Restore the file (git log), or check you are on the right branch"
        )


class ResetRefused(NexusKitError):
    def __init__(self, target: str):
        self.target = target
        super().__init__(
            f"refusing to reset {target}: it is not a local or embedded database. Pass --force if you really mean it"
        )


class SupabaseCredentialsMissing(NexusKitError):
    def __init__(self, missing: str):
        self.missing = missing
        super().__init__(
            f"{missing} is not set, and the database is a real Supabase project. "
            "Set SUPABASE_URL and SUPABASE_SERVICE_ROLE_KEY (environment or .env) to create users"
        )


class UnknownPersona(NexusKitError):
    def __init__(self, key: str, known: list[str]):
        self.key, self.known = key, known
        super().__init__(f"no persona {key!r}; known personas: {', '.join(known)}")


class AdminApiError(NexusKitError):
    def __init__(self, url: str, call: str, reason: str):
        self.url, self.call, self.reason = url, call, reason
        super().__init__(
            f"the Supabase Admin API at {url} failed on {call}: {reason}. "
            "Check SUPABASE_URL and that SUPABASE_SERVICE_ROLE_KEY is the service_role key"
        )


class SeedError(NexusKitError):
    """Seeding cannot go on: the message names the table, column or constraint."""


class ProbeError(NexusKitError):
    """The RLS probe cannot run: the message names what is missing."""


class UnknownArea(NexusKitError):
    def __init__(self, area: str, known: list[str]):
        self.area, self.known = area, known
        super().__init__(f"no schema area {area!r}; known areas: {', '.join(known) or '(none: apply the migrations)'}")


class UnknownTable(NexusKitError):
    def __init__(self, table: str, known: list[str]):
        self.table, self.known = table, known
        super().__init__(f"no table {table!r} in the schema; known tables: {', '.join(known) or '(none)'}")


class ApiRolesMissing(NexusKitError):
    def __init__(self, missing: list[str]):
        self.missing = missing
        super().__init__(
            f"role(s) {', '.join(missing)} do not exist here, and the lints judge what they may do. "
            "Run `nexus-kit migrate` (it installs the Supabase compatibility layer on plain PostgreSQL)"
        )


class UnknownLint(NexusKitError):
    def __init__(self, name: str, known: list[str]):
        self.name, self.known = name, known
        super().__init__(f"no lint {name!r}; known lints: {', '.join(known)}")


class LintFailed(NexusKitError):
    def __init__(self, lint: str, reason: str):
        self.lint, self.reason = lint, reason
        super().__init__(f"lint {lint} failed: {reason}. Fix sql/lints/{lint}.sql or report it")
