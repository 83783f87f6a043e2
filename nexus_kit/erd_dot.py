"""Graphviz pictures of a ``SchemaModel``: eralchemy's nodes and edges, in a graph laid out for 45 tables.

Why eralchemy's intermediary objects and not ``render_er``: ``render_er`` takes a SQLAlchemy
``MetaData`` (no RLS flags, policy counts or areas), writes its graph header from a global
``config`` (no clusters, no per-node colours, no size settings) and prints errors instead of
raising them. Its ``Table``, ``Column`` and ``Relation`` models are the part worth reusing: they
write the HTML-like node labels with one port per column and the crow's-foot edges. So
``to_dot`` builds those objects from the model, adds two header rows (area, RLS status and
policy count) through a ``Table`` subclass, and wraps the nodes in its own graph: ``rankdir=LR``
(referenced tables left of the tables that reference them), one cluster per area in the whole
schema, and tables outside the diagram's area drawn grey with a ``→ area`` tag. ``render``
draws the dot source with pygraphviz, exactly as eralchemy's ``intermediary_to_schema`` does.

eralchemy's crow mode draws a relation's ``left_cardinality`` at the *right* table's end; the
edges here go referenced (left) → referencing (right), so the referencing side's multiplicity is
passed as ``left_cardinality``. ``tests/golden/erd_small.dot`` pins the result.
"""

from __future__ import annotations

import html
import os
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager

import pygraphviz
from eralchemy import cst
from eralchemy.models import Column as ErColumn
from eralchemy.models import Relation
from eralchemy.models import Table as ErTable

from nexus_kit.schema import EXTERNAL_AREA, ForeignKey, SchemaModel, Table

AREA_COLOURS = {
    "core": "#cfe2ff", "echo_ai": "#e2d9f3", "marketplace": "#ffe5d0", "analytics": "#d2f4ea",
    "social_media": "#f7d6e6", "support": "#fff3cd", EXTERNAL_AREA: "#e9ecef",
}
OTHER_COLOUR = "#dee2e6"
OUTSIDE_COLOUR = "#f1f3f5"
RLS_OFF = "#dc3545"
FONT = "Helvetica"

GRAPH_HEAD = """digraph {{
  graph [rankdir=LR, fontname="{font}", fontsize=28, label=<{title}>, labelloc=t, labeljust=l,
         nodesep=0.2, ranksep=0.7, newrank=true, pad=0.3];
  node [shape=plaintext, fontname="{font}", fontsize=11];
  edge [color="#5c6670", arrowsize=0.8, penwidth=1.0];"""


@contextmanager
def _eralchemy_crow_config() -> Iterator[None]:
    """eralchemy keeps its drawing options in a module-global dict: set ours, then restore it."""
    saved = dict(cst.config)
    cst.config["DOT_RELATION_GRAPH"] = "digraph"
    cst.config["DOT_RELATION_STYLE"] = "crow"
    cst.config["DOT_TABLE"] = ('"{}" [label=<<TABLE BORDER="0" CELLBORDER="1" CELLPADDING="3"'
                               ' CELLSPACING="0">{}{}</TABLE>>];')
    cst.config["DOT_FONT_TAGS"] = "{}"
    try:
        yield
    finally:
        cst.config.clear()
        cst.config.update(saved)


class TableNode(ErTable):
    """An eralchemy table with a coloured title row, an RLS row and an optional note."""

    def __init__(self, name: str, columns: list[ErColumn], *, title: str, colour: str, rls: str | None,
                 rls_colour: str, note: str | None = None, hidden: int = 0, focus: bool = False):
        super().__init__(name, columns)
        self.title, self.colour, self.rls, self.rls_colour = title, colour, rls, rls_colour
        self.note, self.hidden, self.focus = note, hidden, focus

    @property
    def header_dot(self) -> str:
        size = 18 if self.focus else 14
        rows = [f'<TR><TD BGCOLOR="{self.colour}"><B><FONT POINT-SIZE="{size}">{self.title}</FONT></B></TD></TR>']
        if self.rls:
            rows.append(f'<TR><TD BGCOLOR="{self.rls_colour}"><FONT POINT-SIZE="10">{self.rls}</FONT></TD></TR>')
        if self.note:
            text = "<BR ALIGN=\"LEFT\"/>".join(html.escape(line) for line in textwrap.wrap(self.note, 44))
            rows.append(f'<TR><TD ALIGN="LEFT"><I><FONT POINT-SIZE="9">{text}<BR ALIGN="LEFT"/></FONT></I></TD></TR>')
        return "".join(rows)

    def to_dot(self) -> str:
        body = "".join(c.to_dot() for c in self.columns)
        if self.hidden:
            body += f'<TR><TD ALIGN="LEFT"><FONT POINT-SIZE="9">… {self.hidden} more columns</FONT></TD></TR>'
        return cst.config["DOT_TABLE"].format(self.name, self.header_dot, body)


def rls_label(table: Table) -> tuple[str, str]:
    """The RLS row of a node and its background: a table without RLS stands out in red."""
    if not table.rls_enabled:
        return '<B><FONT COLOR="white">RLS OFF</FONT></B>', RLS_OFF
    policies = "no policies (deny all)" if table.policy_count == 0 else (
        f"{table.policy_count} polic{'y' if table.policy_count == 1 else 'ies'}")
    forced = ", forced" if table.force_rls else ""
    return f"RLS on{forced} · {policies}", "#d1e7dd" if table.policy_count else "#ffe69c"


def _shown_columns(table: Table, model: SchemaModel, inside: bool, keys_only: bool) -> list[str]:
    referenced = {c for fk in model.foreign_keys if fk.ref_table == table.key for c in fk.ref_columns}
    own_fk = {c for fk in table.foreign_keys for c in fk.columns}
    if inside and not keys_only:
        return [c.name for c in table.columns]
    wanted = set(table.primary_key) | referenced | (own_fk if inside else set())
    return [c.name for c in table.columns if c.name in wanted]


def table_node(table: Table, model: SchemaModel, *, inside: bool, keys_only: bool = False,
               notes: bool = False, focus: bool = False, node_id: str | None = None) -> TableNode:
    names = _shown_columns(table, model, inside, keys_only)
    fk_columns = {c for fk in table.foreign_keys for c in fk.columns}
    columns = [
        ErColumn(c.name, html.escape(c.type), is_key=c.is_primary_key, is_null=not c.not_null,
                 is_foreign_key=c.name in fk_columns)
        for c in table.columns if c.name in names
    ]
    name = html.escape(table.key)
    if table.external:
        title, colour = f"{name}  <FONT POINT-SIZE=\"10\">(external: Supabase {table.schema})</FONT>", OUTSIDE_COLOUR
    elif not inside:
        title, colour = f"{name}  <FONT POINT-SIZE=\"10\">→ {table.area}</FONT>", OUTSIDE_COLOUR
    else:
        title, colour = name, AREA_COLOURS.get(table.area, OTHER_COLOUR)
    rls, rls_colour = rls_label(table) if inside else (None, "")
    note = table.comment if (notes and inside) else None
    return TableNode(node_id or table.key, columns, title=title, colour=colour, rls=rls, rls_colour=rls_colour,
                     note=note, hidden=len(table.columns) - len(columns) if inside else 0, focus=focus)


def relation(fk: ForeignKey, model: SchemaModel, stubs: bool = False) -> Relation:
    child = model.table(fk.table)
    return Relation(
        left_table=_target_id(fk, model, stubs), left_column=fk.ref_columns[0],
        right_table=fk.table, right_column=fk.columns[0],
        left_cardinality="?" if child.is_one_to_one(fk) else "*",  # drawn at the referencing table (see module doc)
        right_cardinality="1" if child.requires(fk) else "?",  # drawn at the referenced table
    )


def _target_id(fk: ForeignKey, model: SchemaModel, stubs: bool) -> str:
    """With stubs, a foreign key to an external table points at that table's copy in the source's area."""
    target = model.table(fk.ref_table)
    return f"{target.key}@{model.table(fk.table).area}" if stubs and target.external else target.key


def to_dot(model: SchemaModel, *, title: str, inside: set[str] | None = None, keys_only: bool = False,
           notes: bool = True, clusters: bool = False, focus: str | None = None) -> str:
    """Dot source of ``model``: tables in ``inside`` drawn in full, the others as greyed references.

    With ``clusters`` each area is a cluster holding its own copy of the external tables its
    tables reference, so two dozen ``auth.users`` keys do not cross the whole picture.
    """
    inside = set(model.keys) - {t.key for t in model.tables if t.external} if inside is None else inside
    with _eralchemy_crow_config():
        nodes = {t.key: table_node(t, model, inside=t.key in inside, keys_only=keys_only, notes=notes,
                                   focus=t.key == focus).to_dot()
                 for t in model.tables if not (clusters and t.external)}
        if clusters:
            nodes |= {node_id: table_node(model.table(fk.ref_table), model, inside=False, node_id=node_id).to_dot()
                      for fk in model.foreign_keys if (node_id := _target_id(fk, model, True)) != fk.ref_table}
        edges = [relation(fk, model, stubs=clusters).to_dot() for fk in model.foreign_keys]
    head = GRAPH_HEAD.format(font=FONT, title=title)
    body = _clustered(model, nodes) if clusters else ["  " + nodes[k] for k in model.keys]
    return "\n".join([head, *body, *("  " + e for e in edges), "}"]) + "\n"


def _clustered(model: SchemaModel, nodes: dict[str, str]) -> list[str]:
    lines = []
    for area in model.areas:
        members = [t.key for t in model.in_area(area)]
        members += sorted(k for k in nodes if k.endswith(f"@{area}"))
        if not members:
            continue
        colour = AREA_COLOURS.get(area, OTHER_COLOUR)
        lines.append(f'  subgraph "cluster_{area}" {{')
        lines.append(f'    label=<<B>{area}</B>>; fontsize=22; style="rounded,filled"; '
                     f'fillcolor="{colour}40"; color="{colour}"; penwidth=2;')
        lines += ["    " + nodes[k] for k in members]
        lines.append("  }")
    return lines


def render(dot: str, fmt: str = "png") -> bytes:
    """Draw dot source with pygraphviz's ``dot`` layout (no system graphviz needed)."""
    graph = pygraphviz.AGraph(string=dot)
    with _without_fontconfig_noise():
        return graph.draw(format=fmt, prog="dot")


@contextmanager
def _without_fontconfig_noise() -> Iterator[None]:
    """The wheel's bundled fontconfig is older than the system's config and warns about elements it
    does not know ("Fontconfig warning: … unknown element"), straight to file descriptor 2. Drop those
    lines; pass anything else through."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            kept = [line for line in captured.read().decode(errors="replace").splitlines(keepends=True)
                    if not line.startswith("Fontconfig warning")]
            if kept:
                sys.stderr.write("".join(kept))
