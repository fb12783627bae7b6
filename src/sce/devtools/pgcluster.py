"""A throwaway PostgreSQL server on loopback for tests, benchmarks and fault drills.

One :class:`PostgresCluster` is one data directory under a fresh temporary directory and one
``postgres`` server process listening on a free ``127.0.0.1`` port (its unix socket stays inside the
temporary directory, so it never meets a system server). Trust authentication on loopback only,
``fsync`` and ``synchronous_commit`` on (commits are as durable as in production), and
``wal_level = logical`` with room for replication slots and WAL senders, so the server can publish
to and subscribe from another throwaway server (see :mod:`sce.chain.replication`).

The server can be stopped (fast shutdown), killed with SIGKILL together with all its backends (a
crash, for fault tests) and started again on the same data directory and the same port, so
connection strings held elsewhere (a subscription at head office) stay valid. ``close`` (or leaving
the ``with`` block, or the interpreter exiting) stops the server and removes every file.

PostgreSQL refuses to run as root; when this process is root, the server runs as the unprivileged
``postgres`` system user (created by the Debian package ``postgresql``; a system user
``sce-postgres`` is created when it is missing). The binaries are looked up in ``$SCE_PG_BINDIR``
(only there when it is set), else in the highest ``/usr/lib/postgresql/*/bin``, then
``pg_config --bindir``, then ``$PATH``; ``make test`` installs them when they are missing.

Only the standard library and the PostgreSQL binaries are used, so this module also works before
any database driver is installed::

    with PostgresCluster() as cluster:
        url = cluster.create_database("till")   # postgresql+psycopg://postgres@127.0.0.1:PORT/till
        ...
        cluster.kill()                           # crash
        cluster.start()                          # crash recovery, same port
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import weakref
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Self

__all__ = [
    "ClusterError",
    "PostgresCluster",
    "PostgresNotFoundError",
    "find_bin_dir",
    "running_cluster",
]

DEBIAN_ROOT = Path("/usr/lib/postgresql")
HOST = "127.0.0.1"
SUPERUSER = "postgres"
FALLBACK_OS_USER = "sce-postgres"
READY_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0

DEFAULT_SETTINGS: Mapping[str, str] = {
    "listen_addresses": f"'{HOST}'",
    "fsync": "on",
    "synchronous_commit": "on",
    "full_page_writes": "on",
    "wal_level": "logical",
    "max_wal_senders": "20",
    "max_replication_slots": "20",
    "max_logical_replication_workers": "16",
    "max_worker_processes": "32",
    "max_connections": "200",
    "shared_buffers": "64MB",
    # a subscriber retries a lost link after this pause (production default: 5 s)
    "wal_retrieve_retry_interval": "'200ms'",
    "log_min_messages": "warning",
    "log_checkpoints": "off",
}

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_live: weakref.WeakSet[PostgresCluster] = weakref.WeakSet()


class PostgresNotFoundError(RuntimeError):
    """The PostgreSQL server binaries (initdb, postgres, pg_isready, psql) are not installed."""


class ClusterError(RuntimeError):
    """The throwaway server failed to initialise, start, stop or run a statement."""


def find_bin_dir() -> Path:
    """The directory holding ``initdb``, ``postgres``, ``pg_isready`` and ``psql``."""
    tools = ("initdb", "postgres", "pg_isready", "psql")
    if override := os.environ.get("SCE_PG_BINDIR"):
        if all((Path(override) / tool).is_file() for tool in tools):
            return Path(override)
        raise PostgresNotFoundError(
            f"SCE_PG_BINDIR={override} does not hold the PostgreSQL server binaries ({', '.join(tools)}); "
            "`make test` installs them (Debian package postgresql)"
        )
    candidates: list[Path] = []
    versioned = []
    for path in DEBIAN_ROOT.glob("*/bin"):
        with contextlib.suppress(ValueError):
            versioned.append((float(path.parent.name), path))
    candidates.extend(path for _, path in sorted(versioned, reverse=True))
    if pg_config := shutil.which("pg_config"):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            done = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=True)
            candidates.append(Path(done.stdout.strip()))
    if postgres := shutil.which("postgres"):
        candidates.append(Path(postgres).resolve().parent)
    for directory in candidates:
        if all((directory / tool).is_file() for tool in tools):
            return directory
    raise PostgresNotFoundError(
        f"PostgreSQL server binaries not found (looked in {DEBIAN_ROOT}/*/bin, "
        "pg_config --bindir and $PATH); `make test` installs them (Debian package postgresql)"
    )


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def _server_account() -> pwd.struct_passwd | None:
    """The unprivileged account the server runs as when we are root; ``None`` when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in (SUPERUSER, FALLBACK_OS_USER):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_OS_USER],
        check=True,
        capture_output=True,
    )
    return pwd.getpwnam(FALLBACK_OS_USER)


class PostgresCluster:
    """One throwaway PostgreSQL server: data directory, process, port; see the module docstring."""

    def __init__(
        self,
        *,
        bin_dir: Path | None = None,
        settings: Mapping[str, str] | None = None,
        name: str = "sce",
    ) -> None:
        self.bin_dir = bin_dir or find_bin_dir()
        self.settings = {**DEFAULT_SETTINGS, **(settings or {})}
        self.host = HOST
        self.user = SUPERUSER
        self.port = 0
        self._account = _server_account()
        self.base_dir = Path(tempfile.mkdtemp(prefix=f"{name}-pg-"))
        self.data_dir = self.base_dir / "data"
        self.log_path = self.base_dir / "postgres.log"
        self._process: subprocess.Popen[bytes] | None = None
        self._closed = False
        if self._account is not None:
            os.chown(self.base_dir, self._account.pw_uid, self._account.pw_gid)
        _live.add(self)

    # --- life cycle -------------------------------------------------------------------------------

    def __enter__(self) -> Self:
        try:
            self.start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def running(self) -> bool:
        """Whether the server process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Initialise the data directory on first use, start the server and wait until it accepts."""
        if self._closed:
            raise ClusterError("this cluster was closed")
        if self.running:
            return
        if not (self.data_dir / "PG_VERSION").exists():
            self._initdb()
        keep_port = self.port != 0
        for _ in range(5):
            if not keep_port:
                self.port = free_port()
            log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
            self._process = self._spawn()
            if self._wait_ready():
                return
            self._reap()
            log = self._log_since(log_offset)
            if keep_port or "could not bind" not in log:
                raise ClusterError(f"PostgreSQL did not start on port {self.port}:\n{log[-3000:]}")
        raise ClusterError("PostgreSQL found no free port after 5 attempts")

    def stop(self, mode: str = "fast") -> None:
        """Shut the server down: ``fast`` (roll back open transactions), ``smart`` or ``immediate``."""
        if self._process is None:
            return
        signals = {"smart": signal.SIGTERM, "fast": signal.SIGINT, "immediate": signal.SIGQUIT}
        if self._process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                self._process.send_signal(signals[mode])
            try:
                self._process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.kill()
                return
        self._reap()

    def kill(self) -> None:
        """SIGKILL the server and every backend at once: a crash; ``start`` then runs crash recovery."""
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGKILL)
        self._reap()

    def restart(self) -> None:
        """Fast shutdown, then start again on the same data directory and port."""
        self.stop()
        self.start()

    def close(self) -> None:
        """Stop the server (fast, SIGKILL if it hangs) and remove the temporary directory."""
        if self._closed:
            return
        try:
            self.stop()
        finally:
            self._closed = True
            shutil.rmtree(self.base_dir, ignore_errors=True)
            _live.discard(self)

    # --- addresses --------------------------------------------------------------------------------

    def url(self, database: str = "postgres") -> str:
        """The SQLAlchemy URL of ``database`` on this server (psycopg 3 driver)."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def conninfo(self, database: str = "postgres") -> str:
        """The libpq connection string of ``database`` (what a subscription on another server uses)."""
        return f"host={self.host} port={self.port} user={self.user} dbname={database}"

    # --- statements -------------------------------------------------------------------------------

    def psql(self, sql: str, database: str = "postgres") -> str:
        """Run ``sql`` (one or more statements, each in its own transaction) with psql; tuples only."""
        if not self.running:
            raise ClusterError("the server is not running")
        command = [
            str(self.bin_dir / "psql"),
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            self.host,
            "-p",
            str(self.port),
            "-U",
            self.user,
            "-d",
            database,
            "-f",
            "-",
        ]
        done = subprocess.run(
            command, input=sql, capture_output=True, text=True, env=_client_env(), check=False
        )
        if done.returncode != 0:
            raise ClusterError(f"psql failed on {database}: {done.stderr.strip()}")
        return done.stdout

    def create_database(self, name: str) -> str:
        """Create an empty database and return its SQLAlchemy URL."""
        self.psql(f"CREATE DATABASE {_identifier(name)}")
        return self.url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, ending the sessions still connected to it."""
        self.psql(f"DROP DATABASE IF EXISTS {_identifier(name)} WITH (FORCE)")

    def log(self) -> str:
        """The server log so far (every start of this cluster)."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # --- internals --------------------------------------------------------------------------------

    def _run_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"cwd": self.base_dir, "env": _server_env()}
        if self._account is not None:
            kwargs.update(user=self._account.pw_uid, group=self._account.pw_gid, extra_groups=[])
        return kwargs

    def _initdb(self) -> None:
        # --no-sync only skips flushing initdb's own files; the running server keeps fsync on.
        command = [
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data_dir),
            "-U",
            self.user,
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-sync",
            "--no-instructions",
        ]
        done = subprocess.run(command, capture_output=True, text=True, check=False, **self._run_kwargs())
        if done.returncode != 0:
            raise ClusterError(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        settings = {**self.settings, "unix_socket_directories": f"'{self.base_dir}'"}
        lines = "".join(f"{key} = {value}\n" for key, value in settings.items())
        with (self.data_dir / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\n# sce.devtools.pgcluster\n" + lines)
        # loopback only, trust: the server listens on 127.0.0.1 and the socket is in a private dir
        (self.data_dir / "pg_hba.conf").write_text(
            "local all all trust\n"
            "local replication all trust\n"
            f"host all all {HOST}/32 trust\n"
            f"host replication all {HOST}/32 trust\n",
            encoding="utf-8",
        )

    def _spawn(self) -> subprocess.Popen[bytes]:
        with self.log_path.open("ab") as log:
            return subprocess.Popen(
                [str(self.bin_dir / "postgres"), "-D", str(self.data_dir), "-p", str(self.port)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill() reaches every backend
                **self._run_kwargs(),
            )

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + READY_TIMEOUT_S
        command = [str(self.bin_dir / "pg_isready"), "-q", "-h", self.host, "-p", str(self.port)]
        command += ["-U", self.user, "-d", "postgres", "-t", "2"]
        while time.monotonic() < deadline:
            if not self.running:
                return False
            if subprocess.run(command, env=_client_env(), check=False).returncode == 0:
                return True
            time.sleep(0.03)
        return False

    def _reap(self) -> None:
        """Wait for the postmaster and for every process of its group to be gone."""
        if self._process is None:
            return
        process, self._process = self._process, None
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_TIMEOUT_S)
        if process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        deadline = time.monotonic() + 10
        while _group_alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.01)

    def _log_since(self, offset: int) -> str:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")


@contextlib.contextmanager
def running_cluster(**kwargs: Any) -> Iterator[PostgresCluster]:
    """A started :class:`PostgresCluster` for the length of a ``with`` block."""
    with PostgresCluster(**kwargs) as cluster:
        yield cluster


def _identifier(name: str) -> str:
    if not _NAME.match(name):
        raise ValueError(f"not a plain lower-case SQL identifier: {name!r}")
    return name


def _server_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PG", "LC_"))}
    env.update(LC_ALL="C", LANG="C")
    return env


def _client_env() -> dict[str, str]:
    env = _server_env()
    env.update(PGCONNECT_TIMEOUT="5", PGAPPNAME="sce-devtools")
    return env


def _group_alive(pgid: int) -> bool:
    """Whether a live (non-zombie) process still belongs to process group ``pgid``."""
    proc = Path("/proc")
    if not proc.is_dir():
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    for stat in proc.glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


@atexit.register
def _close_leftovers() -> None:
    for cluster in list(_live):
        with contextlib.suppress(Exception):
            cluster.close()


def main() -> None:
    """``python -m sce.devtools.pgcluster [DATABASE]``: a server for manual work until Ctrl-C."""
    database = sys.argv[1] if len(sys.argv) > 1 else "sce"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # unwind the with block: stop and clean up
    with PostgresCluster(name="sce-manual") as cluster:
        print(cluster.create_database(database), flush=True)
        print(f"psql -h {cluster.host} -p {cluster.port} -U {cluster.user} {database}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            signal.pause()


if __name__ == "__main__":
    main()
