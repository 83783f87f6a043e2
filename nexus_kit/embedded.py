"""The embedded PostgreSQL (pgserver, PG 16) that the kit starts when no URL is given.

It lives in ``$NEXUS_HOME/pgdata``, listens on a Unix socket only, and keeps running between
runs of the kit (``nexus-kit db stop`` stops it). A stale ``postmaster.pid`` left by a crash is
detected and the server restarted.
"""

from __future__ import annotations

import logging
import os
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

from nexus_kit.config import nexus_home
from nexus_kit.errors import EmbeddedServerError


@dataclass(frozen=True)
class EmbeddedStatus:
    pgdata: Path
    initialized: bool
    running: bool
    pid: int | None
    url: str | None

    def __repr__(self) -> str:
        state = "running" if self.running else ("stopped" if self.initialized else "not created")
        line = f"embedded PostgreSQL in {self.pgdata}: {state}"
        return f"{line} (pid {self.pid}, {self.url})" if self.running else line


def pgdata_dir(home: Path | None = None) -> Path:
    return (home or nexus_home()) / "pgdata"


def _prepare_runtime(home: Path) -> None:
    """pgserver keeps a lock file in the user runtime dir; give it a private one if unset."""
    if not os.environ.get("XDG_RUNTIME_DIR"):
        run = home / "run"
        run.mkdir(parents=True, exist_ok=True)
        run.chmod(0o700)
        os.environ["XDG_RUNTIME_DIR"] = str(run)
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", module="platformdirs")


def _postmaster(pgdata: Path):
    from pgserver.utils import PostmasterInfo

    return PostmasterInfo.read_from_pgdata(pgdata)


def _alive(info) -> bool:
    """The postmaster runs (a zombie left by a crash does not count)."""
    import psutil

    if info is None or not info.is_running():
        return False
    try:
        return info.process.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def status(home: Path | None = None) -> EmbeddedStatus:
    home = home or nexus_home()
    pgdata = pgdata_dir(home)
    initialized = (pgdata / "PG_VERSION").exists()
    if not initialized:
        return EmbeddedStatus(pgdata, False, False, None, None)
    _prepare_runtime(home)
    info = _postmaster(pgdata)
    if not _alive(info):
        return EmbeddedStatus(pgdata, True, False, None, None)
    return EmbeddedStatus(pgdata, True, True, info.pid, info.get_uri())


def _clear_stale_files(pgdata: Path) -> None:
    """After a crash: remove the pid file, and the socket and its lock file, of the dead server."""
    info = _postmaster(pgdata)
    if _alive(info):
        return
    socket_dirs = {pgdata} | ({Path(info.socket_dir)} if info is not None and info.socket_dir else set())
    stale = [pgdata / "postmaster.pid"] + [p for d in socket_dirs for p in d.glob(".s.PGSQL.*")]
    for path in stale:
        path.unlink(missing_ok=True)


def start(home: Path | None = None) -> str:
    """Start (or find running) the embedded server; return its connection URL."""
    home = home or nexus_home()
    home.mkdir(parents=True, exist_ok=True)
    _prepare_runtime(home)
    pgdata = pgdata_dir(home)
    current = status(home)
    if current.running:
        return current.url  # type: ignore[return-value]
    try:
        import pgserver

        if pgdata.exists():
            _clear_stale_files(pgdata)
        # pgserver caches one handle per data dir and process; a dead server's handle is stale
        pgserver.PostgresServer._instances.pop(pgdata.resolve(), None)
        server = pgserver.get_server(pgdata, cleanup_mode=None)
        return server.get_uri()
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError, AssertionError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise EmbeddedServerError(pgdata, reason) from exc


def stop(home: Path | None = None) -> bool:
    """Stop the embedded server; True if it was running."""
    home = home or nexus_home()
    current = status(home)
    if not current.running:
        return False
    from pgserver._commands import pg_ctl

    user = "pgserver" if os.geteuid() == 0 else None
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=current.pgdata, user=user)
    except subprocess.CalledProcessError as exc:
        raise EmbeddedServerError(current.pgdata, f"pg_ctl stop failed: {exc}") from exc
    return True
