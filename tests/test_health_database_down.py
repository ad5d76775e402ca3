"""/health/ of a whole web process whose PostgreSQL goes away and comes back.

A separate process (tests/health_probe.py: the site with its settings and every
middleware, DATABASE_URL set) reaches the test database through a TCP proxy of the
test's own; closing the proxy makes PostgreSQL unreachable for that process (its
persistent connection is cut, new ones are refused), opening it brings it back. The
shared PostgreSQL is never touched. On SQLite this skips (CI runs it on PostgreSQL).
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


class TcpProxy:
    """Forward 127.0.0.1:<port> to a target; `down()` closes the port and cuts every
    connection through it, `up()` listens on the same port again."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()

    def up(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def down(self) -> None:
        if self._listener is not None:
            # shutdown first: a bare close leaves the port listening while the
            # accepting thread still waits in accept().
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()
            self._listener = None
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for pair in pairs:
            for sock in pair:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed by down()
            server = socket.create_connection(self.target)
            with self._lock:
                self._pairs.append((client, server))
            threading.Thread(
                target=self._pump, args=(client, server), daemon=True
            ).start()

    @staticmethod
    def _pump(a: socket.socket, b: socket.socket) -> None:
        selector = selectors.DefaultSelector()
        selector.register(a, selectors.EVENT_READ, b)
        selector.register(b, selectors.EVENT_READ, a)
        try:
            while True:
                for key, _ in selector.select():
                    data = key.fileobj.recv(65536)  # type: ignore[union-attr]
                    if not data:
                        return
                    key.data.sendall(data)
        except (OSError, ValueError):
            return
        finally:
            selector.close()
            for sock in (a, b):
                sock.close()


@pytest.fixture
def proxied_database_url(db):
    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: the test cuts the web process off from it.")
    s = connection.settings_dict
    proxy = TcpProxy((s.get("HOST") or "127.0.0.1", int(s.get("PORT") or 5432)))
    proxy.up()
    auth = s.get("USER") or ""
    if s.get("PASSWORD"):
        auth += f":{s['PASSWORD']}"
    url = f"postgres://{auth}@127.0.0.1:{proxy.port}/{s['NAME']}"
    try:
        yield proxy, url
    finally:
        proxy.down()


class Probe:
    """The web process: one GET /health/ per `get()`."""

    def __init__(self, database_url: str) -> None:
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
        env.update(
            DATABASE_URL=database_url,
            DB_CONN_MAX_AGE="600",  # persistent, as in production
            REDIS_URL="",
            HEALTH_SCRUBBER_CHECK="",
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.health_probe"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )

    def get(self) -> dict:
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write("get\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        assert line, "the web process died"
        return json.loads(line)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)


def test_health_is_503_json_while_postgres_is_unreachable_and_200_again_after(
    proxied_database_url,
):
    proxy, url = proxied_database_url
    probe = Probe(url)
    try:
        up = probe.get()
        assert up["status"] == 200, up
        assert up["body"]["database"] == "ok"

        proxy.down()  # the open connection is cut and the port refuses new ones
        down = probe.get()
        assert down["status"] == 503
        assert down["content_type"] == "application/json"
        assert down["body"]["database"] == "error"
        assert down["body"]["status"] == "error"
        assert down["body"]["failing"] == ["database"]
        # Still down: a second request does not hang or crash either.
        assert probe.get()["status"] == 503

        proxy.up()
        again = probe.get()
        assert again["status"] == 200, again
        assert again["body"]["database"] == "ok"
    finally:
        probe.close()
