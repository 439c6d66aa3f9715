"""Start the reference platform as a separate process on a free loopback port (tests, benches, the demo).

    with PlatformProcess(tmp_path / "platform.db") as platform:
        requests.get(platform.url + "/api/v1/tracking/...", headers=platform.headers("HZ-TEST-0001"))

The pytest fixture `platform_server` (tests/e2e/conftest.py) wraps this class.

Every token is tied to one terminal: `token` is mapped to `terminal_id` unless `tokens` (token -> terminal id)
says otherwise; the mapping goes to the server in a 0600 file next to its database (not on the command line,
where `ps` would show it).
"""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_TOKEN = "test-token"
DEFAULT_TERMINAL = "HZ-TEST-0001"


class PlatformProcess:
    """A platform server child process; `url` and `token` are valid once `start()` returned."""

    def __init__(self, db_path: str | Path, token: str = DEFAULT_TOKEN, *, terminal_id: str = DEFAULT_TERMINAL,
                 tokens: dict[str, str] | None = None, host: str = "127.0.0.1",
                 port: int = 0, content: str | Path | None = None, extra_args: list[str] | None = None,
                 startup_timeout: float = 30.0, database: str | None = None) -> None:
        """database: a PostgreSQL URL to run on instead of the SQLite file `db_path` (whose folder still holds
        the token mapping)."""
        self.db_path = Path(db_path)
        self.database = database or str(self.db_path)
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        self.token = token
        self.terminal_id = terminal_id
        self.tokens = dict(tokens) if tokens else {token: terminal_id}
        self.host = host
        self.port = port
        self.content = content
        self.extra_args = list(extra_args or [])
        self.startup_timeout = startup_timeout
        self.proc: subprocess.Popen | None = None
        self.url = ""
        self._stderr_tail: list[str] = []

    def headers(self, terminal_id: str | None = None, token: str | None = None, **extra: str) -> dict[str, str]:
        """Authorization and X-Terminal-Id headers for direct requests (default: `token` as `terminal_id`)."""
        return {"Authorization": f"Bearer {token or self.token}", "X-Terminal-Id": terminal_id or self.terminal_id,
                **extra}

    def sql(self, query: str, params: tuple = ()) -> list:
        """Rows of a query on the platform's database, SQLite or PostgreSQL (tests look at what was stored)."""
        from platform_server import dialect
        conn = dialect.connect(self.database)
        try:
            return list(conn.execute(query, params))
        finally:
            conn.close()

    def _write_tokens(self) -> Path:
        path = self.db_path.parent / (self.db_path.name + ".tokens.json")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(self.tokens, fh)
        return path

    def start(self) -> "PlatformProcess":
        """Spawn the server and wait until it listens (PLATFORM_READY on its stdout)."""
        cmd = [sys.executable, "-m", "platform_server", "--db", self.database, "--host", self.host,
               "--port", str(self.port), "--tokens", str(self._write_tokens()), *self.extra_args]
        if self.content:
            cmd += ["--content", str(self.content)]
        env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self.proc = subprocess.Popen(cmd, cwd=str(ROOT), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, env=env)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, args=(self.proc.stdout, lines), daemon=True).start()
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"platform server exited ({self.proc.returncode}): "
                                       + "".join(self._stderr_tail[-20:]))
                continue
            if line.startswith("PLATFORM_READY "):
                self.url = line.split(" ", 1)[1].strip()
                self.port = int(self.url.rsplit(":", 1)[1])
                return self
        self.stop()
        raise RuntimeError("platform server did not start in time")

    @staticmethod
    def _pump(stream, lines: queue.Queue) -> None:
        for line in stream:
            lines.put(line)

    def _drain_stderr(self) -> None:
        assert self.proc is not None
        for line in self.proc.stderr:
            self._stderr_tail.append(line)
            del self._stderr_tail[:-200]

    def stop(self) -> None:
        """Terminate the server (SIGTERM, then SIGKILL)."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def kill(self) -> None:
        """kill -9: the platform vanishes mid-request."""
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)

    def restart(self) -> "PlatformProcess":
        """Start again on the same port and database (the platform comes back)."""
        self.stop()
        return self.start()

    def __enter__(self) -> "PlatformProcess":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
