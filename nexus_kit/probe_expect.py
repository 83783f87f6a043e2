"""The declared access expectations: ``sql/access_expectations.csv``.

One line per table × persona, one column per operation::

    table,persona,select,insert,update,delete
    subscriptions,owner,own,denied,none,none

A value names a set of rows, or ``denied``:

- ``all`` every row · ``none`` no row (the statement succeeds, 0 rows) · ``own`` rows the persona
  owns · ``member`` rows of workspaces the persona belongs to · ``published`` public rows ·
  any set a table defines in ``sql/access_scopes.csv`` (e.g. ``owners``);
- combined left to right with ``+`` (union) and ``-`` (difference): ``published+own``, ``member-own``;
- ``denied``: the statement fails (no privilege, or an insert the policies reject).

For insert the value says which rows the persona may add: ``all`` (also on someone else's
behalf), ``own``/``member`` (only their own, or only in their workspaces) or ``denied``.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from nexus_kit.config import SQL_DIR
from nexus_kit.errors import ProbeError
from nexus_kit.personas import CAST

EXPECTATIONS_FILE = SQL_DIR / "access_expectations.csv"
OPS = ("select", "insert", "update", "delete")
PERSONAS = ("anon", *(p.key for p in CAST), "service_role")
INSERT_LABELS = frozenset({"all", "own", "member", "denied"})
_TERM = re.compile(r"([+-])")


@dataclass(frozen=True)
class Expectations:
    cells: dict[tuple[str, str], dict[str, str]]  # (table, persona) -> op -> label
    path: Path

    def label(self, table: str, persona: str, op: str) -> str | None:
        row = self.cells.get((table, persona))
        return row[op] if row else None

    @property
    def tables(self) -> set[str]:
        return {t for t, _ in self.cells}

    def missing(self, tables, personas) -> list[tuple[str, str]]:
        """(table, persona) pairs the probe covers and the file does not."""
        return [(t, p) for t in tables for p in personas if (t, p) not in self.cells]


def read_expectations(path: Path | None = None) -> Expectations:
    path = Path(path or EXPECTATIONS_FILE)
    if not path.exists():
        raise ProbeError(f"no expectations file at {path}: write one (see nexus_kit/probe_expect.py)")
    cells: dict[tuple[str, str], dict[str, str]] = {}
    with path.open(newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.lstrip().startswith("#")]
    for row in csv.DictReader(lines):
        key = (row["table"].strip(), row["persona"].strip())
        if key[1] not in PERSONAS:
            raise ProbeError(f"{path.name}: unknown persona {key[1]!r} for table {key[0]}; "
                             f"known: {', '.join(PERSONAS)}")
        if key in cells:
            raise ProbeError(f"{path.name}: {key[0]} × {key[1]} is declared twice; keep one line")
        cells[key] = {op: (row.get(op) or "").strip() for op in OPS}
        for op, label in cells[key].items():
            _validate(label, op, key, path.name)
    return Expectations(cells, path)


def _validate(label: str, op: str, key: tuple[str, str], filename: str) -> None:
    if not label:
        raise ProbeError(f"{filename}: {key[0]} × {key[1]} has no {op} value; write one (all, own, none, denied, …)")
    if op == "insert" and label not in INSERT_LABELS:
        raise ProbeError(f"{filename}: {key[0]} × {key[1]} insert is {label!r}; use all, own, member or denied")


def terms(label: str) -> list[tuple[str, str]]:
    """'published+own-owners' -> [('+', 'published'), ('+', 'own'), ('-', 'owners')]."""
    parts = [p.strip() for p in _TERM.split(label) if p.strip()]
    out, sign = [], "+"
    for part in parts:
        if part in "+-":
            sign = part
        else:
            out.append((sign, part))
    return out


def row_set(label: str, sets: dict[str, frozenset[str]]) -> frozenset[str] | None:
    """The rows a label names, given the persona's named sets; None for 'denied'."""
    if label == "denied":
        return None
    result: frozenset[str] = frozenset()
    for sign, name in terms(label):
        if name not in sets:
            raise ProbeError(f"expectation {label!r} names the unknown row set {name!r}; "
                             "define it in sql/access_scopes.csv or use all, own, member, published, none")
        result = result | sets[name] if sign == "+" else result - sets[name]
    return result
