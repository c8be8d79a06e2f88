"""Start ``legkg serve --data FILE`` on a free loopback port, and stop it.

The command is run as ``python -m kg.cli serve ...`` with this interpreter, which is what the
``legkg`` console script runs, without depending on where the script was installed.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from tests.w3c import REPO_ROOT

SERVER_MODULE = REPO_ROOT / "service" / "server.py"


def free_port() -> int:
    """A currently unused TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ready(base_url: str) -> bool:
    try:
        with urllib.request.urlopen(base_url + "/healthz", timeout=2) as reply:
            return reply.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


class ServerProcess:
    """A legkg server serving ``data`` files in general (``--data``) mode."""

    def __init__(self, data: Sequence[Path], extra_args: Sequence[str] = ()) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log = Path(data[0]).with_suffix(".server.log")
        args = [sys.executable, "-m", "kg.cli", "serve"]
        for path in data:
            args += ["--data", str(path)]
        args += ["--host", "127.0.0.1", "--port", str(self.port), *extra_args]
        self.args = args
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> str:
        """Start and wait for ``/healthz``; return the ``/sparql`` URL."""
        with self.log.open("wb") as log:
            self.proc = subprocess.Popen(
                self.args,
                cwd=REPO_ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}:\n{self.output()}")
            if _ready(self.base_url):
                return self.base_url + "/sparql"
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server not ready after {timeout:g} s:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:] if self.log.exists() else ""

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not exit within 10 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=5)
