"""What the schema advisor found: one `Finding` per problem, splinter's ten columns, and a report.

`LintReport` is what notebooks show (stable text ``__repr__``, HTML table, DataFrame) and what
``nexus-kit lint --json`` prints.
"""

from __future__ import annotations

import html
import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

COLUMNS = (
    "name", "title", "level", "facing", "categories", "description", "detail", "remediation", "metadata",
    "cache_key",
)
LEVELS = ("ERROR", "WARN", "INFO")
FAILING_LEVELS = frozenset({"ERROR", "WARN"})


@dataclass(frozen=True)
class Finding:
    """One row of a lint, in splinter's columns."""

    name: str
    title: str
    level: str
    facing: str
    categories: tuple[str, ...]
    description: str
    detail: str
    remediation: str | None
    metadata: dict[str, Any]
    cache_key: str

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Finding:
        values = {column: row[column] for column in COLUMNS}
        values["categories"] = tuple(values["categories"] or ())
        values["metadata"] = dict(values["metadata"] or {})
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["categories"] = list(self.categories)
        return data

    @property
    def sort_key(self) -> tuple[int, str, str]:
        return LEVELS.index(self.level) if self.level in LEVELS else len(LEVELS), self.name, self.cache_key


@dataclass(frozen=True)
class LintReport:
    """Every finding of one advisor run, and which lints ran."""

    findings: tuple[Finding, ...]
    lints: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "findings", tuple(sorted(self.findings, key=lambda f: f.sort_key)))

    @property
    def ok(self) -> bool:
        """No ERROR and no WARN (INFO findings do not fail a run)."""
        return not any(f.level in FAILING_LEVELS for f in self.findings)

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(f.level for f in self.findings)
        return {level: counted.get(level, 0) for level in LEVELS}

    def by_name(self, name: str) -> list[Finding]:
        return [f for f in self.findings if f.name == name]

    def summary(self) -> str:
        counts = ", ".join(f"{n} {level}" for level, n in self.counts.items())
        verdict = "ok" if self.ok else "FAILED"
        return f"lint: {len(self.lints)} lints, {len(self.findings)} findings ({counts}): {verdict}"

    def __repr__(self) -> str:
        lines = [self.summary()]
        for level in LEVELS:
            found = [f for f in self.findings if f.level == level]
            if not found:
                continue
            lines.append(f"{level} ({len(found)})")
            width = max(len(f.name) for f in found)
            lines += [f"  {f.name:<{width}}  {f.detail}" for f in found]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(self.summary())}</b></p>"
        if not self.findings:
            return head
        rows = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(value))}</td>"
                             for value in (f.level, f.name, f.detail, f.remediation or "")) + "</tr>"
            for f in self.findings
        )
        header = "".join(f"<th>{name}</th>" for name in ("level", "lint", "detail", "remediation"))
        return f"{head}<table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"

    def to_frame(self):
        import pandas as pd

        return pd.DataFrame([f.to_dict() for f in self.findings], columns=list(COLUMNS))

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "lints": list(self.lints),
            "counts": self.counts,
            "findings": [f.to_dict() for f in self.findings],
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, default=str)
