"""Text diagrams of a ``SchemaModel``: DBML for dbdiagram.io and a Mermaid ``erDiagram`` for Markdown.

Both are written here rather than through eralchemy: eralchemy has no DBML writer, and its
Mermaid ER mode drops column comments, UNIQUE and relationship names, and wraps the diagram in
an HTML comment plus a link to the mermaid.ink rendering service; GitHub renders a fenced
``mermaid`` block offline. Pure functions of the model: same model, same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from nexus_kit.schema import ForeignKey, SchemaModel, Table

SIMPLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
STRING_DEFAULT = re.compile(r"^'((?:[^']|'')*)'::[\w .\[\]()]+$")
NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


# -- DBML ---------------------------------------------------------------------------------

def _dbml_name(name: str) -> str:
    return name if SIMPLE_NAME.match(name) else '"' + name.replace('"', '\\"') + '"'


def _dbml_table_name(table: Table) -> str:
    name = _dbml_name(table.name)
    return name if table.schema == "public" else f"{_dbml_name(table.schema)}.{name}"


def _dbml_string(text: str) -> str:
    if "\n" in text:
        return "'''" + text.replace("\\", "\\\\").replace("'''", "\\'''") + "'''"
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def dbml_default(expression: str) -> str:
    """A column default in DBML: number, boolean, 'string', or `expression`."""
    literal = STRING_DEFAULT.match(expression)
    if literal and "[]" not in expression and "json" not in expression:
        return _dbml_string(literal.group(1).replace("''", "'"))
    if NUMBER.match(expression) or expression in ("true", "false", "null"):
        return expression
    return "`" + expression.replace("`", "'") + "`"


def _dbml_type(pg_type: str) -> str:
    return pg_type if re.match(r"^[\w.]+(\(\d+(,\d+)?\))?(\[\])*$", pg_type) else f'"{pg_type}"'


def _dbml_column(table: Table, column) -> str:
    settings = []
    if column.is_primary_key and len(table.primary_key) == 1:
        settings.append("pk")
    if column.not_null and not settings:
        settings.append("not null")
    if column.is_unique:
        settings.append("unique")
    if column.default is not None:
        settings.append(f"default: {dbml_default(column.default)}")
    if column.comment:
        settings.append(f"note: {_dbml_string(column.comment)}")
    suffix = f" [{', '.join(settings)}]" if settings else ""
    return f"  {_dbml_name(column.name)} {_dbml_type(column.type)}{suffix}"


def key_columns(table: Table, model: SchemaModel) -> list:
    """The columns an abbreviated (outside or external) table shows: its primary key and referenced columns."""
    referenced = {c for fk in model.foreign_keys if fk.ref_table == table.key for c in fk.ref_columns}
    return [c for c in table.columns if c.is_primary_key or c.name in referenced]


def _dbml_table(table: Table, model: SchemaModel, abbreviated: bool) -> list[str]:
    columns = key_columns(table, model) if abbreviated else list(table.columns)
    lines = [f"Table {_dbml_table_name(table)} {{"] + [_dbml_column(table, c) for c in columns]
    indexes = []
    if len(table.primary_key) > 1:
        indexes.append(f"    ({', '.join(map(_dbml_name, table.primary_key))}) [pk]")
    indexes += [f"    ({', '.join(map(_dbml_name, u.columns))}) [unique, name: '{u.name}']"
                for u in table.uniques if len(u.columns) > 1]
    if indexes:
        lines += ["", "  indexes {", *indexes, "  }"]
    note = table_note(table, abbreviated)
    lines += ["", f"  Note: {_dbml_string(note)}", "}"]
    return lines


def table_note(table: Table, abbreviated: bool = False) -> str:
    shown = " Only its key columns are shown here." if abbreviated else ""
    if table.external:
        return f"External: managed by Supabase ({table.schema} schema).{shown} {table.comment or ''}".strip()
    if abbreviated:
        return f"Outside this diagram: area {table.area}.{shown}"
    if table.rls_enabled:
        forced = ", forced" if table.force_rls else ""
        rls = f"RLS enabled{forced}, {table.policy_count} polic{'y' if table.policy_count == 1 else 'ies'}"
    else:
        rls = "RLS DISABLED"
    return f"{table.comment or ''}\n\nArea: {table.area}. {rls}.".strip()


def _dbml_ref(fk: ForeignKey, model: SchemaModel) -> str:
    def side(key: str, columns: tuple[str, ...]) -> str:
        cols = _dbml_name(columns[0]) if len(columns) == 1 else f"({', '.join(map(_dbml_name, columns))})"
        return f"{_dbml_table_name(model.table(key))}.{cols}"

    settings = f" [delete: {fk.on_delete}]" if fk.on_delete != "no action" else ""
    return f"Ref {_dbml_name(fk.name)}: {side(fk.table, fk.columns)} > {side(fk.ref_table, fk.ref_columns)}{settings}"


def to_dbml(model: SchemaModel, *, project: str = "nexus", note: str | None = None,
            outside: Iterable[str] = ()) -> str:
    """DBML for dbdiagram.io: every table and column, keys, NOT NULL, UNIQUE, defaults, notes, refs.

    External tables and the ``outside`` ones (another area's) show only their key columns.
    """
    outside = set(outside)
    lines = [f"Project {_dbml_name(project)} {{", "  database_type: 'PostgreSQL'"]
    if note:
        lines.append(f"  Note: {_dbml_string(note)}")
    lines += ["}", ""]
    for table in model.tables:
        lines += _dbml_table(table, model, abbreviated=table.external or table.key in outside) + [""]
    lines += [_dbml_ref(fk, model) for fk in model.foreign_keys] + [""]
    for area in model.areas:
        members = [_dbml_table_name(t) for t in model.in_area(area) if t.key not in outside]
        if members:
            lines += [f"TableGroup {_dbml_name(area)} {{", *(f"  {m}" for m in members), "}", ""]
    return "\n".join(lines).rstrip() + "\n"


# -- Mermaid ------------------------------------------------------------------------------

def mermaid_name(key: str) -> str:
    """Mermaid entity names cannot hold a dot: ``auth.users`` → ``auth_users``."""
    return re.sub(r"[^A-Za-z0-9_]", "_", key)


def _mermaid_type(pg_type: str) -> str:
    """Mermaid ≥ 10.7 takes ``numeric(10,2)`` and ``text[]``; spaces and dots become ``_``."""
    return re.sub(r"[^A-Za-z0-9_\[\](),-]", "_", pg_type)


def _mermaid_comment(text: str) -> str:
    return " \"" + " ".join(text.replace('"', "'").split()) + "\"" if text else ""


def _mermaid_entity(table: Table, columns: list, fk_columns: set[str]) -> list[str]:
    lines = [f"    {mermaid_name(table.key)} {{"]
    for column in columns:
        keys = [k for k, on in (("PK", column.is_primary_key), ("FK", column.name in fk_columns),
                                ("UK", column.is_unique)) if on]
        key_text = f" {', '.join(keys)}" if keys else ""
        lines.append(f"        {_mermaid_type(column.type)} {column.name}{key_text}{_mermaid_comment(column.comment)}")
    return lines + ["    }"]


def _mermaid_relationship(fk: ForeignKey, model: SchemaModel) -> str:
    child = model.table(fk.table)
    parent_end = "||" if child.requires(fk) else "|o"
    child_end = "o|" if child.is_one_to_one(fk) else "o{"
    label = ", ".join(fk.columns)
    return f'    {mermaid_name(fk.ref_table)} {parent_end}--{child_end} {mermaid_name(fk.table)} : "{label}"'


def to_mermaid(model: SchemaModel, *, outside: Iterable[str] = ()) -> str:
    """A Mermaid ``erDiagram``: every table (external and ``outside`` ones by key only) and every foreign key."""
    outside = set(outside)
    lines = ["erDiagram"]
    for table in model.tables:
        abbreviated = table.external or table.key in outside
        columns = key_columns(table, model) if abbreviated else list(table.columns)
        lines += _mermaid_entity(table, columns, {c for fk in table.foreign_keys for c in fk.columns})
    lines += [_mermaid_relationship(fk, model) for fk in model.foreign_keys]
    return "\n".join(lines) + "\n"


def to_mermaid_markdown(model: SchemaModel, *, title: str, outside: Iterable[str] = ()) -> str:
    """The Mermaid diagram as a Markdown page: a heading and one fenced ``mermaid`` block."""
    return f"# {title}\n\n```mermaid\n{to_mermaid(model, outside=outside)}```\n"
