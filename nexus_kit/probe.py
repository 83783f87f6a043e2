"""The RLS probe: who can see and change what, measured as each persona on the real rows.

    m = probe(conn)        # every public table × every persona × select/insert/update/delete
    m.ok, m.mismatches     # measured against sql/access_expectations.csv and the catalog
    m.to_frame(); m.heatmap()

Everything runs in one transaction that is rolled back: nothing the probe does persists.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import psycopg

from nexus_kit.errors import ProbeError
from nexus_kit.probe_cases import actors, measure, snapshot
from nexus_kit.probe_classify import Cell, classify_insert, classify_rows
from nexus_kit.probe_expect import OPS, PERSONAS, read_expectations
from nexus_kit.probe_matrix import AccessMatrix
from nexus_kit.probe_model import read_tables
from nexus_kit.probe_static import persona_role, static_matrix, static_verdict

__all__ = ["AccessMatrix", "probe"]


def probe(conn: psycopg.Connection, *, personas: Iterable[str] | None = None, tables: Iterable[str] | None = None,
          expectations: Path | None = None, scopes: Path | None = None) -> AccessMatrix:
    """Measure every table × persona × operation and compare with the expectations and the catalog."""
    keys = _personas(personas)
    with conn.transaction(force_rollback=True):
        conn.execute("select set_config('search_path', 'public, extensions', true)")
        infos = read_tables(conn, scopes)
        chosen = _tables(infos, tables)
        expect = read_expectations(expectations)
        static = static_matrix(conn)
        people = actors(conn, keys)
        cells: list[Cell] = []
        for name in chosen:
            info = infos[name]
            snap = snapshot(conn, info, people)
            for actor in people:
                verdict = static.get((name, persona_role(actor.key), "insert"))
                measured = measure(conn, info, actor, snap, retry_denied=bool(verdict) and
                                   verdict.label == "policy-filtered")
                sets = snap.sets[actor.key]
                for op in OPS:
                    label = expect.label(name, actor.key, op)
                    if op == "insert":
                        cell = classify_insert(measured["insert_own"], measured["insert_other"], label, info.scope,
                                               name, actor.key, len(snap.rows))
                    else:
                        cell = classify_rows(op, measured[op], label, sets, name, actor.key)
                    cells.append(_with_static(cell, static))
    return AccessMatrix(cells, chosen, keys, missing=expect.missing(chosen, keys))


def _with_static(cell: Cell, static: dict) -> Cell:
    verdict = static.get((cell.table, persona_role(cell.persona), cell.op))
    return replace(cell, static=verdict.label if verdict else None,
                   detail=cell.detail if static_verdict(verdict, cell) else _disagree(cell, verdict))


def _disagree(cell: Cell, verdict) -> str:
    note = f"catalog says {verdict.label} ({verdict.reason}), execution shows {cell.measured}"
    return f"{cell.detail}; {note}" if cell.detail else note


def _personas(personas: Iterable[str] | None) -> list[str]:
    keys = list(personas) if personas is not None else list(PERSONAS)
    unknown = [k for k in keys if k not in PERSONAS]
    if unknown:
        raise ProbeError(f"unknown persona {unknown[0]!r}; known: {', '.join(PERSONAS)}")
    return keys


def _tables(infos: dict, tables: Iterable[str] | None) -> list[str]:
    if tables is None:
        return sorted(infos)
    chosen = list(tables)
    unknown = [t for t in chosen if t not in infos]
    if unknown:
        raise ProbeError(f"no public table {unknown[0]!r}; known: {', '.join(sorted(infos))}")
    return chosen
