"""docs/erd is generated from the migrations: this test fails when it is out of date.

DBML and Mermaid are compared as text; the pictures through the sha256 of the dot source they
were drawn from (in docs/erd/manifest.json), since pixels depend on the graphviz build.
Regenerate with: nexus-kit erd --out docs/erd --format all (against a freshly migrated database).
"""

from __future__ import annotations

import json
from pathlib import Path

import psycopg

from nexus_kit.erd import DOCS_COMMAND, MANIFEST, diagrams, manifest
from nexus_kit.schema import introspect

DOCS = Path(__file__).resolve().parent.parent / "docs" / "erd"
STALE = f"docs/erd is out of date with sql/migrations: run `{DOCS_COMMAND}` on a freshly migrated database"


def test_docs_erd_is_up_to_date(migrated_db):
    with psycopg.connect(migrated_db, autocommit=True) as conn:
        drawn = diagrams(introspect(conn))
    assert json.loads((DOCS / MANIFEST).read_text()) == manifest(drawn), STALE
    for diagram in drawn:
        assert (DOCS / f"{diagram.name}.dbml").read_text() == diagram.dbml(), f"{diagram.name}.dbml: {STALE}"
        assert (DOCS / f"{diagram.name}.mmd.md").read_text() == diagram.mermaid(), f"{diagram.name}.mmd.md: {STALE}"
        assert (DOCS / f"{diagram.name}.png").read_bytes().startswith(b"\x89PNG"), f"{diagram.name}.png missing"
        assert "<svg" in (DOCS / f"{diagram.name}.svg").read_text(), f"{diagram.name}.svg missing"
    assert {d.name for d in drawn} >= {"nexus", "nexus-core", "nexus-echo_ai", "nexus-marketplace",
                                       "nexus-analytics", "nexus-social_media", "nexus-support"}
