"""Turn measured outcomes into the expectations' vocabulary, and compare.

select, update and delete compare sets of rows: the rows the persona saw or changed against
the rows the expected value names (``own`` = the persona's own rows, …). Insert compares the
two attempts (own row, someone else's row) with what the value allows.
"""

from __future__ import annotations

from dataclasses import dataclass

from nexus_kit.probe_cases import Outcome
from nexus_kit.probe_expect import row_set

DESCRIBE_ORDER = ("none", "all", "own", "member", "published")


@dataclass(frozen=True)
class Cell:
    table: str
    persona: str
    op: str
    expected: str | None
    measured: str
    match: bool
    rows: int | None  # rows visible or affected (insert: rows inserted by the two attempts)
    total: int  # rows in the table
    sqlstate: str | None = None
    detail: str = ""
    static: str | None = None

    def as_dict(self) -> dict:
        return {"table": self.table, "persona": self.persona, "op": self.op, "expected": self.expected,
                "measured": self.measured, "match": self.match, "rows": self.rows, "total": self.total,
                "sqlstate": self.sqlstate, "static": self.static, "detail": self.detail}


def describe(rows: frozenset[str], sets: dict[str, frozenset[str]]) -> str:
    """The simplest name for a set of rows: none, all, own, member, published, a union, or partial."""
    if not rows:
        return "none"
    for name in (*DESCRIBE_ORDER, *sorted(n for n in sets if n not in DESCRIBE_ORDER)):
        if sets.get(name) == rows and name != "none":
            return name
    for a, b in (("published", "own"), ("member", "own"), ("published", "member")):
        if sets.get(a, frozenset()) | sets.get(b, frozenset()) == rows:
            return f"{a}+{b}"
    return f"partial {len(rows)}/{len(sets['all'])}"


def classify_rows(op: str, outcome: Outcome, expected: str | None, sets: dict[str, frozenset[str]],
                  table: str, persona: str) -> Cell:
    total = len(sets["all"])
    base = {"table": table, "persona": persona, "op": op, "expected": expected, "total": total,
            "sqlstate": outcome.sqlstate}
    if not outcome.ok:
        measured = "denied" if outcome.denied else f"error {outcome.sqlstate}"
        return Cell(**base, measured=measured, match=expected == measured, rows=None,
                    detail=outcome.denied_by or "")
    rows = outcome.rows
    want = row_set(expected, sets) if expected else None
    if want is not None and rows == want:
        return Cell(**base, measured=expected, match=True, rows=len(rows))
    detail = ""
    if want is not None:
        detail = f"{len(rows - want)} rows beyond {expected}, {len(want - rows)} of {expected} missing"
    return Cell(**base, measured=describe(rows, sets), match=False, rows=len(rows), detail=detail)


def _state(outcome: Outcome) -> str:
    if outcome.skipped:
        return "skip"
    if outcome.ok:
        return "ok" if outcome.rows else "denied"
    return "denied" if outcome.denied else "error"


INSERT_ALLOWED = {
    "all": ({"ok", "skip"}, {"ok", "skip"}),
    "own": ({"ok", "skip"}, {"denied", "skip"}),
    "member": ({"ok", "skip"}, {"denied", "skip"}),
    "denied": ({"denied", "skip"}, {"denied", "skip"}),
}


def classify_insert(own: Outcome, other: Outcome, expected: str | None, scope: str | None,
                    table: str, persona: str, total: int) -> Cell:
    pair = (_state(own), _state(other))
    measured = {
        ("ok", "ok"): "all", ("skip", "ok"): "all", ("ok", "skip"): scope or "all",
        ("ok", "denied"): scope or "own", ("denied", "denied"): "denied", ("skip", "denied"): "denied",
        ("denied", "skip"): "denied", ("denied", "ok"): "others only", ("skip", "skip"): "n/a",
    }.get(pair, "error")
    allowed = INSERT_ALLOWED.get(expected or "", (set(), set()))
    match = pair[0] in allowed[0] and pair[1] in allowed[1]
    if match and expected:
        measured = expected if pair != ("skip", "skip") else "n/a"
    failed = own if own.sqlstate and not own.denied else other
    sqlstate = failed.sqlstate or own.sqlstate or other.sqlstate
    inserted = sum(1 for o in (own, other) if o.ok and o.rows)
    detail = f"own: {pair[0]}{_why(own)}, someone else's: {pair[1]}{_why(other)}"
    return Cell(table, persona, "insert", expected, measured, match, inserted, total, sqlstate, detail)


def _why(outcome: Outcome) -> str:
    if outcome.sqlstate and outcome.sqlstate != "42501":
        return f" ({outcome.sqlstate})"
    return f" ({outcome.denied_by})" if outcome.denied_by else ""
