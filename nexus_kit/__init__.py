"""nexus-kit: the Nexus Platform's Supabase schema, and a kit to apply, draw, seed and probe it.

The front door: every verb a notebook or script needs is importable from here.

    import nexus_kit as nk
    conn = nk.connect()            # --db-url / DATABASE_URL / embedded PostgreSQL
    nk.migrate(conn)               # compat layer on plain Postgres, then sql/migrations
"""

from nexus_kit.compat import install_compat, is_supabase
from nexus_kit.db import Target, connect, resolve, resolve_url
from nexus_kit.erd import Diagram, render_erd, write_erd
from nexus_kit.errors import NexusKitError
from nexus_kit.impersonate import as_anon, as_service_role, as_user
from nexus_kit.lint_report import Finding, LintReport
from nexus_kit.lints import lint
from nexus_kit.migrations import applied, discover, pending, reset, status
from nexus_kit.migrations import apply as migrate
from nexus_kit.personas import CAST, Persona, persona
from nexus_kit.probe import AccessMatrix, probe
from nexus_kit.probe_fuzz import FuzzReport, fuzz
from nexus_kit.probe_static import StaticMatrix, static_matrix
from nexus_kit.schema import SchemaModel, introspect
from nexus_kit.seed import SeedReport, seed
from nexus_kit.users import UserTable, seed_users

__all__ = [
    "AccessMatrix",
    "CAST",
    "Diagram",
    "Finding",
    "FuzzReport",
    "LintReport",
    "NexusKitError",
    "Persona",
    "SchemaModel",
    "SeedReport",
    "StaticMatrix",
    "Target",
    "UserTable",
    "applied",
    "as_anon",
    "as_service_role",
    "as_user",
    "connect",
    "discover",
    "fuzz",
    "install_compat",
    "introspect",
    "is_supabase",
    "lint",
    "migrate",
    "pending",
    "persona",
    "probe",
    "render_erd",
    "reset",
    "resolve",
    "resolve_url",
    "seed",
    "seed_users",
    "static_matrix",
    "status",
    "write_erd",
]
