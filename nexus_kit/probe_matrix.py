"""`AccessMatrix`: the probe's result, for terminals (repr), notebooks (HTML, DataFrame, heatmap) and CI (JSON)."""

from __future__ import annotations

import html
import json
from collections import Counter

from nexus_kit.probe_classify import Cell
from nexus_kit.probe_expect import OPS

# Colour per measured value, from most to least access.
COLOURS = {"all": "#d7301f", "member+own": "#fc8d59", "published+own": "#fc8d59", "member": "#fdbb84",
           "own": "#fee8c8", "published": "#c6dbef", "none": "#f0f0f0", "denied": "#bdbdbd", "n/a": "#ffffff"}
OTHER_COLOUR = "#9e9ac8"


def colour(label: str) -> str:
    """The colour of a measured value; member:editor and the like take the colour of their base set."""
    if label in COLOURS:
        return COLOURS[label]
    base = label.split(":")[0].split("-")[0]
    return COLOURS.get(base, OTHER_COLOUR)


class AccessMatrix:
    """Every table × persona × operation: expected, measured, and whether they (and the catalog) agree."""

    def __init__(self, cells: list[Cell], tables: list[str], personas: list[str],
                 missing: list[tuple[str, str]] | None = None):
        self.cells = cells
        self.tables = list(tables)
        self.personas = list(personas)
        self.missing = list(missing or [])

    @property
    def checks(self) -> int:
        return len(self.cells)

    @property
    def mismatches(self) -> list[dict]:
        """Cells where execution differs from the expectations or from the catalog, and undeclared cells."""
        out = [{"table": t, "persona": p, "op": "*", "expected": None, "measured": None,
                "kind": "missing-expectation", "detail": "no line in sql/access_expectations.csv"}
               for t, p in self.missing]
        for c in self.cells:
            if c.expected is None:
                continue  # reported once per table × persona above
            static_note = "catalog says" in c.detail
            if not c.match or static_note:
                kind = "expectation" if not c.match else "static"
                out.append({"table": c.table, "persona": c.persona, "op": c.op, "expected": c.expected,
                            "measured": c.measured, "kind": kind, "static": c.static, "sqlstate": c.sqlstate,
                            "detail": c.detail})
        return out

    @property
    def disagreements(self) -> list[dict]:
        """Where the catalog's verdict and the measured access disagree."""
        return [m for m in self.mismatches if "catalog says" in (m.get("detail") or "")]

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def cell(self, table: str, persona: str, op: str) -> Cell:
        return next(c for c in self.cells if (c.table, c.persona, c.op) == (table, persona, op))

    def to_dict(self) -> dict:
        return {"tables": self.tables, "personas": self.personas, "checks": self.checks,
                "mismatches": self.mismatches, "matrix": [c.as_dict() for c in self.cells]}

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent)

    def to_frame(self):
        import pandas as pd

        columns = ["table", "persona", "op", "expected", "measured", "match", "rows", "total", "sqlstate",
                   "static", "detail"]
        return pd.DataFrame([c.as_dict() for c in self.cells], columns=columns)

    def grid(self, op: str) -> dict[tuple[str, str], str]:
        return {(c.table, c.persona): c.measured for c in self.cells if c.op == op}

    def heatmap(self, ops: tuple[str, ...] = OPS):
        """One panel per operation: tables × personas coloured by measured access; ✗ marks a mismatch."""
        import matplotlib.pyplot as plt
        from matplotlib.colors import to_rgb
        from matplotlib.patches import Patch

        bad = {(m["table"], m["persona"], m["op"]) for m in self.mismatches}
        fig, axes = plt.subplots(1, len(ops), figsize=(3 + 2.6 * len(ops), 1.2 + 0.24 * len(self.tables)),
                                 sharey=True, squeeze=False)
        for ax, op in zip(axes[0], ops, strict=True):
            grid = self.grid(op)
            image = [[to_rgb(colour(grid.get((t, p), "n/a"))) for p in self.personas] for t in self.tables]
            ax.imshow(image, aspect="auto", interpolation="nearest")
            for i, t in enumerate(self.tables):
                for j, p in enumerate(self.personas):
                    if (t, p, op) in bad or (t, p, "*") in bad:
                        ax.text(j, i, "✗", ha="center", va="center", color="black", fontsize=8, fontweight="bold")
            ax.set_title(op)
            ax.set_xticks(range(len(self.personas)), self.personas, rotation=90, fontsize=7)
            ax.set_yticks(range(len(self.tables)), self.tables, fontsize=7)
        legend = [Patch(color=c, label=name) for name, c in COLOURS.items()]
        legend.append(Patch(color=OTHER_COLOUR, label="other row set / partial"))
        fig.legend(handles=legend, loc="lower center", ncol=len(legend), fontsize=7, frameon=False)
        fig.suptitle(f"RLS access matrix: {self.checks} checks, {len(self.mismatches)} mismatches")
        fig.tight_layout(rect=(0, 0.05, 1, 0.97))
        plt.close(fig)  # the caller shows or saves it: no second copy from pyplot's inline flush
        return fig

    def summary(self) -> str:
        verdict = "OK" if self.ok else f"{len(self.mismatches)} MISMATCHES"
        return (f"AccessMatrix: {len(self.tables)} tables × {len(self.personas)} personas × {len(OPS)} operations"
                f" = {self.checks} checks: {verdict}")

    def table_text(self) -> str:
        """The matrix as text: one line per table × persona, measured value per operation."""
        lines = [f"{'table':<30} {'persona':<14} " + " ".join(f"{op:<14}" for op in OPS)]
        by_key = {(c.table, c.persona, c.op): c for c in self.cells}
        for t in self.tables:
            for p in self.personas:
                vals = []
                for op in OPS:
                    c = by_key.get((t, p, op))
                    vals.append(f"{(c.measured if c else '-') + ('' if not c or c.match else ' ✗'):<14}")
                lines.append(f"{t:<30} {p:<14} " + " ".join(vals))
        return "\n".join(lines)

    def __repr__(self) -> str:
        lines = [self.summary()]
        counts = Counter(c.measured for c in self.cells)
        lines.append("  measured: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        for m in self.mismatches:
            lines.append(f"  ✗ {m['table']} × {m['persona']} × {m['op']}: expected {m['expected']}, "
                         f"measured {m['measured']} [{m['kind']}] {m['detail']}".rstrip())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = f"<p><b>{html.escape(self.summary())}</b></p>"
        rows = "".join(
            f"<tr><td>{html.escape(m['table'])}</td><td>{html.escape(m['persona'])}</td><td>{m['op']}</td>"
            f"<td>{html.escape(str(m['expected']))}</td><td>{html.escape(str(m['measured']))}</td>"
            f"<td>{html.escape(m['kind'])}</td><td>{html.escape(m['detail'] or '')}</td></tr>"
            for m in self.mismatches)
        table = ("<table><tr><th>table</th><th>persona</th><th>op</th><th>expected</th><th>measured</th>"
                 f"<th>kind</th><th>detail</th></tr>{rows}</table>") if rows else ""
        grid = self.to_frame().pivot_table(index=["table", "persona"], columns="op", values="measured",
                                           aggfunc="first")[list(OPS)] if self.cells else None
        return head + table + (grid.to_html() if grid is not None else "")
