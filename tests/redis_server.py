"""A redis-server of the test's own, to stop and start (never the machine's shared one).

It runs on a free port from 6390-6399 (BUURTWIJS_TEST_REDIS_PORTS) in a temporary folder, without persistence, and
is killed when the test ends. Without redis-server the test is skipped with a message,
unless BUURTWIJS_REQUIRE_WORKER=1 (CI), where it fails.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import redis


def _ports() -> range:
    """6390-6399, or BUURTWIJS_TEST_REDIS_PORTS ("6392-6394") on a machine shared
    with other test runs."""
    first, _, last = os.environ.get("BUURTWIJS_TEST_REDIS_PORTS", "").partition("-")
    if first.isdigit():
        return range(int(first), int(last or first) + 1)
    return range(6390, 6400)


PORTS = _ports()


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


class RedisServer:
    """One redis-server process; `stop` kills it, `start` brings it back on its port."""

    def __init__(self, binary: str, folder: Path) -> None:
        self.binary = binary
        self.folder = folder
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        ports = [self.port] if self.port else [p for p in PORTS if _port_is_free(p)]
        for port in ports:
            process = subprocess.Popen(
                [
                    self.binary,
                    "--port",
                    str(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--dir",
                    str(self.folder),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if self._ready(port, process):
                self.port, self.process = port, process
                return
            process.kill()
            process.wait()
        raise RuntimeError(f"could not start redis-server on any of {ports}")

    @staticmethod
    def _ready(port: int, process: subprocess.Popen[bytes]) -> bool:
        client = redis.Redis(port=port, socket_connect_timeout=0.2)
        for _ in range(50):
            if process.poll() is not None:
                return False  # the port was taken after all
            try:
                return bool(client.ping())
            except redis.RedisError:
                time.sleep(0.05)
        return False

    def stop(self, *, save: bool = False) -> None:
        """Kill the server; with `save`, write its data first, so `start` brings it
        back with the keys it had (as a Redis with persistence restarts)."""
        if self.process is not None and save:
            redis.Redis.from_url(self.url).save()
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        message = (
            "redis-server is not installed (apt-get install redis-server): the Redis "
            "fault tests need their own server to stop and start."
        )
        if os.environ.get("BUURTWIJS_REQUIRE_WORKER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    server = RedisServer(binary, tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()
