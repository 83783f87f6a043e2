"""`nexus-kit`: a thin command line over the library verbs.

Every failure the kit foresees prints one line, ``error: …``, and exits non-zero; pass
``--traceback`` to see where it came from.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from nexus_kit import db as dbmod
from nexus_kit import embedded
from nexus_kit import migrations as mig
from nexus_kit.errors import NexusKitError, ResetRefused

app = typer.Typer(
    help="Apply, draw, seed and probe the Nexus Platform's Supabase schema.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="The embedded PostgreSQL the kit starts when no URL is given.", no_args_is_help=True)
app.add_typer(db_app, name="db")


class State:
    db_url: str | None = None
    traceback: bool = False


state = State()

MigrationsOpt = Annotated[
    Path | None, typer.Option("--migrations", help="Folder of <version>_<name>.sql files.")
]


@app.callback()
def _global(
    db_url: Annotated[str | None, typer.Option("--db-url", help="PostgreSQL URL (else DATABASE_URL, "
                                                "else the embedded server).", show_default=False)] = None,
    traceback: Annotated[bool, typer.Option("--traceback", help="Show the traceback of an error.")] = False,
) -> None:
    state.db_url = db_url
    state.traceback = traceback


def _connect():
    target = dbmod.resolve(state.db_url)
    typer.echo(f"database: {target.display} ({target.source})", err=True)
    return target, dbmod.connect(target.url)


# -- db -----------------------------------------------------------------------------------

@db_app.command("start")
def db_start() -> None:
    """Start the embedded PostgreSQL (creating it on first use)."""
    typer.echo(embedded.start())


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL."""
    typer.echo("stopped" if embedded.stop() else "not running")


@db_app.command("status")
def db_status() -> None:
    """Say whether the embedded PostgreSQL exists and runs."""
    typer.echo(repr(embedded.status()))


@db_app.command("url")
def db_url_cmd(
    supabase_cli: Annotated[bool, typer.Option("--supabase-cli", help="In the form `supabase --db-url` accepts.")]
    = False,
) -> None:
    """Print the URL the kit would use (starts the embedded server if that is the one)."""
    url = dbmod.resolve(state.db_url).url
    typer.echo(dbmod.supabase_cli_url(url) if supabase_cli else url)


# -- migrations ----------------------------------------------------------------------------

@app.command()
def migrate(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Run everything in a rolled-back transaction.")]
    = False,
    migrations: MigrationsOpt = None,
) -> None:
    """Apply pending migrations (Supabase compatibility layer first on plain PostgreSQL)."""
    _, conn = _connect()
    with conn:
        run = mig.apply(conn, migrations, dry_run=dry_run,
                        on_start=lambda m: typer.echo(f"applying {m.filename} …", err=True))
    if run.compat_installed:
        typer.echo("Supabase compatibility layer: installed (plain PostgreSQL)")
    typer.echo(repr(run))


@app.command()
def status(migrations: MigrationsOpt = None) -> None:
    """Show which migrations are applied and which are pending."""
    _, conn = _connect()
    with conn:
        typer.echo(repr(mig.status(conn, migrations)))


@app.command()
def reset(
    force: Annotated[bool, typer.Option("--force", help="Allow a database that is not local.")] = False,
    migrations: MigrationsOpt = None,
) -> None:
    """Drop what the kit created and apply every migration again (local databases only)."""
    target = dbmod.resolve(state.db_url)
    if not (target.is_embedded or dbmod.is_local(target.url) or force):
        raise ResetRefused(target.display)
    conn = dbmod.connect(target.url)
    with conn:
        run = mig.reset(conn, migrations)
    typer.echo(f"reset {target.display}")
    typer.echo(repr(run))


@app.command()
def up(
    scale: Annotated[int, typer.Option(help="Seed scale (1 ≈ 10,000 rows).")] = 1,
    seed: Annotated[int, typer.Option(help="Random seed for the synthetic data.")] = 42,
) -> None:
    """The main job: migrate, create users and seed, render the ERD, probe RLS, write a report."""
    from nexus_kit.pipeline import run_up

    report = run_up(state.db_url, scale=scale, seed=seed, echo=lambda s: typer.echo(s, err=True))
    typer.echo(repr(report))
    if not report.ok:
        raise typer.Exit(1)


@app.command()
def erd(
    out: Annotated[Path, typer.Option("--out", help="Folder for the files.")] = Path("erd"),
    area: Annotated[str | None, typer.Option("--area", help="One area: core, echo_ai, marketplace, analytics, "
                                             "social_media, support.", show_default=False)] = None,
    table: Annotated[str | None, typer.Option("--table", help="Focus on one table and its neighbours.",
                                              show_default=False)] = None,
    distance: Annotated[int, typer.Option("--distance", help="With --table: how many foreign keys away.")] = 1,
    fmt: Annotated[str, typer.Option("--format", help="png, svg, dbml, mermaid (comma-separated) or all.")]
    = "all",
) -> None:
    """Draw the ERD from the live schema: the whole schema and one per area, or --area, or --table."""
    from nexus_kit.erd import parse_formats, write_erd

    formats = parse_formats(fmt)
    _, conn = _connect()
    with conn:
        written = write_erd(conn, out, formats, area=area, table=table, distance=distance)
    typer.echo(repr(written))


@app.command("lint")
def lint_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    only: Annotated[list[str] | None, typer.Option("--only", help="Run only this lint (repeatable).",
                                                   show_default=False)] = None,
) -> None:
    """Advise on the schema: Supabase's splinter lints plus the kit's own; exit 1 on any ERROR or WARN."""
    from nexus_kit.lints import lint

    _, conn = _connect()
    with conn:
        report = lint(conn, only)
    typer.echo(report.to_json() if as_json else repr(report))
    if not report.ok:
        raise typer.Exit(1)


@app.command("probe")
def probe_cmd(
    as_json: Annotated[bool, typer.Option("--json", help="Print the matrix as JSON.")] = False,
    pgtap: Annotated[Path | None, typer.Option("--pgtap", help="Also write the expectations as pgTAP tests "
                                               "into DIR (supabase/tests layout).", show_default=False)] = None,
    fuzz_cases: Annotated[int, typer.Option("--fuzz", help="Also run N isolation fuzz cases.")] = 0,
) -> None:
    """Measure who can see and change what, as every persona; exit 1 on any mismatch with the expectations."""
    from nexus_kit.pgtap import write_pgtap
    from nexus_kit.probe import probe
    from nexus_kit.probe_fuzz import fuzz

    _, conn = _connect()
    with conn:
        matrix = probe(conn)
        report = fuzz(conn, cases=fuzz_cases) if fuzz_cases else None
        written = write_pgtap(conn, pgtap) if pgtap else []
    if as_json:
        doc = matrix.to_dict()
        if report is not None:
            doc["fuzz"] = report.to_dict()
        typer.echo(json.dumps(doc, indent=2))
    else:
        typer.echo(matrix.table_text())
        typer.echo(repr(matrix))
        if report is not None:
            typer.echo(repr(report))
    if written:
        typer.echo(f"wrote {len(written)} pgTAP files to {pgtap}", err=True)
    if not matrix.ok or (report is not None and not report.ok):
        raise typer.Exit(1)


@app.command("seed-users")
def seed_users_cmd(
    count: Annotated[int, typer.Option("--count", help="Synthetic users to add to the demo cast.")] = 0,
) -> None:
    """Create the demo cast (+ N synthetic users): via the Admin API with SUPABASE_URL + key, else locally."""
    from nexus_kit.users import seed_users

    _, conn = _connect()
    with conn:
        table = seed_users(conn, count=count)
    typer.echo(repr(table))


@app.command("seed")
def seed_cmd(
    scale: Annotated[float, typer.Option("--scale", help="1 ≈ 10,000 rows; 100 ≥ 1,000,000.")] = 1,
    seed: Annotated[int, typer.Option("--seed", help="Same seed and scale, same rows.")] = 42,
    out: Annotated[Path | None, typer.Option("--out", help="Write an idempotent SQL seed file instead of "
                                             "loading the rows.", show_default=False)] = None,
) -> None:
    """Fill every table with deterministic synthetic data in foreign-key order (idempotent)."""
    from nexus_kit.seed import seed as run_seed

    _, conn = _connect()
    with conn:
        report = run_seed(conn, scale=scale, seed=seed, out=out, progress=True)
    typer.echo(repr(report))


def main() -> None:
    try:
        app()
    except NexusKitError as exc:
        if state.traceback:
            raise
        typer.echo(f"error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.echo("error: interrupted", err=True)
        sys.exit(130)


if __name__ == "__main__":
    main()
