"""`nexus-kit up`: the main job, end to end, on whatever database resolves.

migrate → users and seed → ERD → advisor → RLS probe → a report (HTML and Markdown) under
``$NEXUS_HOME/report``. Each step's result is kept; a step that fails stops the ones that need it
and is reported, never hidden.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nexus_kit import db as dbmod
from nexus_kit import migrations as mig
from nexus_kit.config import nexus_home
from nexus_kit.errors import NexusKitError


@dataclass
class StepResult:
    name: str
    status: str  # "ok", "failed", "skipped"
    summary: str
    seconds: float = 0.0
    result: object | None = None
    headline: str = ""
    pictures: list[tuple[str, str]] = field(default_factory=list)

    @property
    def html(self) -> str:
        view = getattr(self.result, "_repr_html_", None)
        body = view() if callable(view) else f"<pre>{html.escape(self.summary)}</pre>"
        figures = "".join(f'<figure><a href="{src}"><img src="{src}" style="max-width:100%"/></a>'
                          f"<figcaption>{html.escape(caption)}</figcaption></figure>"
                          for caption, src in self.pictures)
        return (f"<h2>{html.escape(self.name)} — {self.status} ({self.seconds:.1f}s)</h2>"
                f"<p>{html.escape(self.headline or self.summary)}</p>{figures}{body}")


@dataclass
class UpReport:
    target: str
    steps: list[StepResult] = field(default_factory=list)
    report_dir: Path | None = None

    @property
    def ok(self) -> bool:
        return all(step.status == "ok" for step in self.steps)

    def __repr__(self) -> str:
        lines = [f"nexus-kit up on {self.target}"]
        for step in self.steps:
            first = step.headline or (step.summary.splitlines()[0] if step.summary else "")
            lines.append(f"  {step.status:<7} {step.name:<10} {first}")
        if self.report_dir:
            lines.append(f"report: {self.report_dir / 'index.html'} (and report.md)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return "".join(step.html for step in self.steps)


Step = Callable[[object, dict], object]


def _migrate(conn, ctx: dict) -> object:
    return mig.apply(conn)


def _seed(conn, ctx: dict) -> object:
    from nexus_kit.seed import seed

    return seed(conn, scale=ctx["scale"], seed=ctx["seed"], progress=True)


def _erd(conn, ctx: dict) -> object:
    from nexus_kit.erd import write_erd

    return write_erd(conn, ctx["report_dir"] / "erd")


def _lint(conn, ctx: dict) -> object:
    from nexus_kit.lints import lint

    return lint(conn)


def _probe(conn, ctx: dict) -> object:
    from nexus_kit.probe import probe

    return probe(conn)


STEPS: list[tuple[str, Step, tuple[str, ...]]] = [
    ("migrate", _migrate, ()),
    ("seed", _seed, ("migrate",)),
    ("erd", _erd, ("migrate",)),
    ("lint", _lint, ("migrate",)),
    ("probe", _probe, ("seed",)),
]


def run_up(db_url: str | None = None, *, scale: int = 1, seed: int = 42,
           echo: Callable[[str], None] = print) -> UpReport:
    target = dbmod.resolve(db_url)
    report_dir = nexus_home() / "report"
    report_dir.mkdir(parents=True, exist_ok=True)
    report = UpReport(target.display, report_dir=report_dir)
    ctx = {"scale": scale, "seed": seed, "report_dir": report_dir}
    echo(f"database: {target.display} ({target.source})")
    with dbmod.connect(target.url) as conn:
        for name, step, needs in STEPS:
            report.steps.append(_run_step(conn, name, step, needs, report, ctx, echo))
    _write_report(report)
    return report


def _run_step(conn, name, step, needs, report: UpReport, ctx, echo) -> StepResult:
    failed = [s.name for s in report.steps if s.name in needs and s.status != "ok"]
    if failed:
        return StepResult(name, "skipped", f"needs {', '.join(failed)}, which did not succeed")
    echo(f"== {name}")
    started = time.perf_counter()
    try:
        result = step(conn, ctx)
    except NexusKitError as exc:
        return StepResult(name, "failed", str(exc), time.perf_counter() - started)
    ok = getattr(result, "ok", True)
    step_result = StepResult(name, "ok" if ok else "failed", repr(result), time.perf_counter() - started, result)
    summary = getattr(result, "summary", None)
    step_result.headline = summary() if callable(summary) else step_result.summary.splitlines()[0]
    step_result.pictures = _pictures(name, result, ctx["report_dir"])
    return step_result


def _pictures(name: str, result: object, report_dir: Path) -> list[tuple[str, str]]:
    """(caption, path relative to the report) of the pictures a step leaves for the report."""
    if name == "erd":
        return [("The whole schema", "erd/nexus.svg")] + [
            (f"Area {area}", f"erd/nexus-{area}.svg") for area in result.diagrams[0].model.areas  # type: ignore[attr-defined]
            if (report_dir / "erd" / f"nexus-{area}.svg").exists()
        ]
    if name == "probe":
        import matplotlib

        matplotlib.use("Agg")
        figure = result.heatmap()  # type: ignore[attr-defined]
        figure.savefig(report_dir / "access-matrix.png", dpi=80, bbox_inches="tight")
        return [("Access matrix: measured access per table, persona and operation", "access-matrix.png")]
    return []


def _write_report(report: UpReport) -> None:
    assert report.report_dir is not None
    md = [f"# nexus-kit report\n\nDatabase: `{report.target}`\n"]
    for step in report.steps:
        md.append(f"## {step.name}: {step.status} ({step.seconds:.1f}s)\n")
        md += [f"![{caption}]({src})\n" for caption, src in step.pictures]
        md.append(f"```\n{step.summary}\n```\n")
    (report.report_dir / "report.md").write_text("\n".join(md))
    page = ("<!doctype html><meta charset='utf-8'><title>nexus-kit report</title>"
            "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 6px}</style>"
            f"<h1>nexus-kit report</h1><p>Database: <code>{html.escape(report.target)}</code></p>"
            f"{report._repr_html_()}")
    (report.report_dir / "index.html").write_text(page)
