"""Entity-relationship diagrams of the live schema: introspect → model → render.

``render_erd`` returns a ``Diagram`` a notebook displays (PNG, SVG or HTML); ``write_erd``
writes the files the CLI and ``docs/erd`` hold. What a diagram shows:

- the whole schema: every public table (key columns only, so 45 tables stay legible), one
  cluster per area, ``auth.users`` external;
- an area (``core``, ``echo_ai``, …: the migration that creates the table): its tables in full,
  plus the tables they reference from other areas, greyed and tagged ``→ area``;
- a focus: the tables at most ``distance`` foreign keys from one table.

The renderers (``erd_dot``, ``erd_text``) are pure functions of the ``SchemaModel``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import psycopg

from nexus_kit import erd_dot, erd_text
from nexus_kit.errors import ConfigError, UnknownArea, UnknownTable
from nexus_kit.schema import SchemaModel, introspect

FORMATS = ("png", "svg", "dbml", "mermaid")
SUFFIXES = {"png": ".png", "svg": ".svg", "dbml": ".dbml", "mermaid": ".mmd.md"}
MANIFEST = "manifest.json"
DOCS_COMMAND = "nexus-kit erd --out docs/erd --format all"
PROJECT = "Nexus Platform"


@dataclass(frozen=True)
class Diagram:
    """One ERD: which tables it draws in full (``inside``) and which only as references."""

    name: str  # file stem: nexus, nexus-core, nexus-table-profiles
    label: str  # core, whole schema, profiles ±1
    model: SchemaModel
    inside: frozenset[str]
    keys_only: bool = False
    clusters: bool = False
    focus: str | None = None
    fmt: str = "svg"  # what a notebook shows

    @property
    def outside(self) -> list[str]:
        return [k for k in self.model.keys if k not in self.inside]

    @property
    def relations(self) -> int:
        return len(self.model.foreign_keys)

    @property
    def title(self) -> str:
        return f"{PROJECT}: {self.label}"

    @property
    def rls_off(self) -> list[str]:
        return [t.key for t in self.model.tables if t.key in self.inside and not t.rls_enabled]

    @cached_property
    def dot(self) -> str:
        heading = html.escape(self.title)
        legend = f"{len(self.inside)} tables, {self.relations} relations · on every table: RLS status, policy count"
        if any(not self.model.table(k).external for k in self.outside):
            legend += " · grey: tables of other areas it references"
        title = f'<B>{heading}</B><BR/><FONT POINT-SIZE="14">{html.escape(legend)}</FONT>'
        return erd_dot.to_dot(self.model, title=title, inside=set(self.inside), keys_only=self.keys_only,
                              notes=not self.keys_only, clusters=self.clusters, focus=self.focus)

    @cached_property
    def png(self) -> bytes:
        return erd_dot.render(self.dot, "png")

    @cached_property
    def svg(self) -> str:
        return erd_dot.render(self.dot, "svg").decode()

    def dbml(self) -> str:
        return erd_text.to_dbml(self.model, project="nexus", note=self.title, outside=self.outside)

    def mermaid(self) -> str:
        return erd_text.to_mermaid_markdown(self.model, title=self.title, outside=self.outside)

    def content(self, fmt: str) -> bytes:
        text = {"png": lambda: self.png, "svg": lambda: self.svg, "dbml": self.dbml, "mermaid": self.mermaid}
        value = text[fmt]()
        return value if isinstance(value, bytes) else value.encode()

    def save(self, out_dir: Path | str, formats: tuple[str, ...] = ("png",)) -> list[Path]:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for fmt in formats:
            path = out / f"{self.name}{SUFFIXES[fmt]}"
            path.write_bytes(self.content(fmt))
            written.append(path)
        return written

    def __repr__(self) -> str:
        extra = f" (+{len(self.outside)} referenced)" if self.outside else ""
        n = len(self.inside)
        return f"ERD {self.label}: {n} table{'s' * (n != 1)}{extra}, {self.relations} relations"

    def _repr_html_(self) -> str:
        """The notebook view: the picture as an image (one copy, in ``fmt``) and its caption.

        Only an HTML view (no separate image/png or image/svg+xml output), so a notebook stores the
        picture once; an <img> data URI renders even in an untrusted notebook.
        """
        if self.fmt == "svg":
            source = f"data:image/svg+xml;base64,{base64.b64encode(self.svg.encode()).decode()}"
        else:
            source = f"data:image/png;base64,{base64.b64encode(self.png).decode()}"
        warning = (f"<br/><b style='color:#dc3545'>RLS off: {html.escape(', '.join(self.rls_off))}</b>"
                   if self.rls_off else "")
        return (f'<figure><img src="{source}" style="max-width:100%"/>'
                f"<figcaption>{html.escape(repr(self))}{warning}</figcaption></figure>")


# -- scopes -------------------------------------------------------------------------------

def whole(model: SchemaModel, *, keys_only: bool = True) -> Diagram:
    inside = frozenset(t.key for t in model.tables if not t.external)
    return Diagram("nexus", "whole schema", model, inside,
                   keys_only=keys_only, clusters=True)


def area(model: SchemaModel, name: str) -> Diagram:
    members = [t.key for t in model.in_area(name)]
    if not members:
        raise UnknownArea(name, [a for a in model.areas if model.in_area(a)])
    referenced = {fk.ref_table for key in members for fk in model.table(key).foreign_keys}
    keys = [k for k in model.keys if k in set(members) | referenced]
    return Diagram(f"nexus-{name}", f"area {name}", model.subset(keys, fks_from=members), frozenset(members))


def focused(model: SchemaModel, table: str, distance: int = 1) -> Diagram:
    if table not in model:
        raise UnknownTable(table, model.keys)
    if distance < 0:
        raise ConfigError(f"--distance must be 0 or more, not {distance}")
    keys = model.neighbours(table, distance)
    inside = frozenset(k for k in keys if not model.table(k).external)
    return Diagram(f"nexus-table-{table}", f"{table} and its neighbours {distance} foreign key(s) away",
                   model.subset(keys), inside, focus=table)


def diagrams(model: SchemaModel, area_name: str | None = None, table: str | None = None,
             distance: int = 1) -> list[Diagram]:
    """The diagrams one command draws: a focus, one area, or the whole schema and every area."""
    if table:
        return [focused(model, table, distance)]
    if area_name:
        return [area(model, area_name)]
    return [whole(model), *(area(model, a) for a in model.areas if model.in_area(a))]


# -- verbs --------------------------------------------------------------------------------

def _model(source: psycopg.Connection | SchemaModel) -> SchemaModel:
    return source if isinstance(source, SchemaModel) else introspect(source)


def render_erd(source: psycopg.Connection | SchemaModel, area: str | None = None, table: str | None = None,
               distance: int = 1, fmt: str = "svg") -> Diagram:
    """One diagram of the live schema (or of a model): the whole schema, an ``area``, or a ``table``'s neighbours."""
    if fmt not in ("png", "svg"):
        raise ConfigError(f"a notebook diagram is png or svg, not {fmt!r}; use write_erd for dbml and mermaid")
    diagram = diagrams(_model(source), area, table, distance)[0]
    return replace(diagram, fmt=fmt)


def parse_formats(value: str) -> tuple[str, ...]:
    names = [v.strip() for v in value.split(",") if v.strip()]
    if names == ["all"]:
        return FORMATS
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise ConfigError(f"unknown format {', '.join(unknown) or value!r}; use {', '.join(FORMATS)} or all")
    return tuple(names)


@dataclass(frozen=True)
class ErdFiles:
    """What ``write_erd`` wrote."""

    out_dir: Path
    diagrams: tuple[Diagram, ...]
    paths: tuple[Path, ...]

    def __repr__(self) -> str:
        lines = [f"wrote {len(self.paths)} files for {len(self.diagrams)} diagram(s) to {self.out_dir}:"]
        lines += [f"  {d!r}" for d in self.diagrams]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        items = "".join(f"<li><code>{html.escape(p.name)}</code></li>" for p in self.paths)
        return f"<p>{html.escape(repr(self).splitlines()[0])}</p><ul>{items}</ul>"


def write_erd(source: psycopg.Connection | SchemaModel, out_dir: Path | str, formats: tuple[str, ...] = FORMATS,
              area: str | None = None, table: str | None = None, distance: int = 1) -> ErdFiles:
    """Write the diagrams' files; the full set (no area, no table) also gets ``manifest.json``."""
    drawn = diagrams(_model(source), area, table, distance)
    written = [path for d in drawn for path in d.save(out_dir, formats)]
    if not (area or table) and {"png", "svg"} & set(formats):
        path = Path(out_dir) / MANIFEST
        path.write_text(json.dumps(manifest(drawn), indent=2) + "\n")
        written.append(path)
    return ErdFiles(Path(out_dir), tuple(drawn), tuple(written))


def manifest(drawn: list[Diagram]) -> dict:
    """What the pictures were drawn from: the sha256 of each dot source (pixels vary by graphviz build)."""
    return {"generated_by": DOCS_COMMAND,
            "dot_sha256": {d.name: hashlib.sha256(d.dot.encode()).hexdigest() for d in drawn}}
