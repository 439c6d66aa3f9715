"""A throwaway PostgreSQL cluster for tests and benches: initdb + pg_ctl in a temporary folder.

    with TempCluster() as cluster:
        url = cluster.new_database("t1")        # postgresql://postgres@127.0.0.1:PORT/t1

Runs the server binaries of Debian's postgresql package (/usr/lib/postgresql/<version>/bin). As root the
cluster belongs to the `postgres` user (PostgreSQL refuses to run as root); trust authentication on
127.0.0.1 only, fsync off (a test cluster need not survive a power cut; the bench says which it used).
`TempCluster.unavailable()` says in words why no cluster can start here, or "" when one can.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bindir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TempCluster:
    def __init__(self, *, fsync: bool = False) -> None:
        self.bindir = _bindir()
        self.fsync = fsync
        self.dir: Path | None = None
        self.port = 0
        self._user: list[str] = []

    @staticmethod
    def unavailable() -> str:
        """Why a cluster cannot start here ("" when it can)."""
        if _bindir() is None:
            return "PostgreSQL server binaries not found (apt-get install postgresql)"
        try:
            import psycopg  # noqa: F401
        except ImportError:
            return "psycopg is not installed (pip install 'psycopg[binary]')"
        if os.geteuid() == 0 and shutil.which("runuser") is None:
            return "running as root without runuser: cannot start PostgreSQL as the postgres user"
        return ""

    def _run(self, *args: str) -> None:
        subprocess.run([*self._user, *args], check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=120)

    def start(self) -> "TempCluster":
        why = self.unavailable()
        if why:
            raise RuntimeError(why)
        self.dir = Path(tempfile.mkdtemp(prefix="heze-pg-"))
        data = self.dir / "data"
        if os.geteuid() == 0:
            import pwd
            pw = pwd.getpwnam("postgres")
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self._user = ["runuser", "-u", "postgres", "--"]
        self.port = _free_port()
        try:
            self._run(str(self.bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                      "-E", "UTF8", "--locale=C.UTF-8")
            opts = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.dir} -c max_connections=200"
            if not self.fsync:
                opts += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
            self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-l", str(self.dir / "log"), "-w", "-t", "60",
                      "-o", opts, "start")
        except subprocess.CalledProcessError as exc:
            out = exc.stdout.decode(errors="replace")[-800:] if exc.stdout else ""
            self.stop()
            raise RuntimeError(f"PostgreSQL did not start: {out}") from None
        return self

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def new_database(self, name: str) -> str:
        """CREATE DATABASE name (dropped first if it exists); its URL."""
        import psycopg
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.dir is None:
            return
        data = self.dir / "data"
        if (data / "postmaster.pid").exists():
            try:
                self._run(str(self.bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None

    def __enter__(self) -> "TempCluster":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
