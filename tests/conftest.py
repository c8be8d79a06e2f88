"""Shared fixtures: apps over the small TriG fixture (both engines), live servers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini.trig"
HOSTILE = DATA / "hostile.trig"
TEST_QUERIES = DATA / "queries"
ENGINES = ("oxigraph", "rdflib")
TEST_MAX_ROWS = 20


def make_app(engine: str = "oxigraph", **config):
    from service import create_app

    settings = {
        "TRIG_PATH": str(MINI),
        "STORE_ENGINE": engine,
        "EXECUTOR": "inline",
        "QUERIES_DIR": str(TEST_QUERIES),
        "MAX_ROWS": TEST_MAX_ROWS,
        "TESTING": True,
    }
    settings.update(config)
    return create_app(settings)


@pytest.fixture(scope="session", params=ENGINES)
def engine(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def app(engine):
    return make_app(engine)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def general_client(engine):
    """General mode (serve --data): standard dataset semantics."""
    data = [str(DATA / "quads.trig"), str(DATA / "default.ttl")]
    return make_app(engine, DATA_FILES=data, TRIG_PATH=None).test_client()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_server(*args: str, workers: int = 2) -> Iterator[str]:
    """``python -m service.server`` on a free loopback port; yields its base URL."""
    port = free_port()
    cmd = [sys.executable, "-m", "service.server", "--port", str(port), "--workers", str(workers)]
    proc = subprocess.Popen([*cmd, *args], cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc)
        yield base
    finally:
        stop_process(proc, timeout=10)


def stop_process(proc: subprocess.Popen, timeout: float) -> None:
    """SIGTERM, then SIGKILL if the process is still there after ``timeout`` s."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _wait_until_up(base: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not come up in 30 s")


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """Built-in mode over the fixture, 2 workers, a 1.5 s time limit."""
    with running_server(
        "--trig", str(MINI), "--timeout", "1.5", "--queries-dir", str(TEST_QUERIES)
    ) as base:
        yield base


CHROMIUM = Path("/usr/bin/chromium")
# What a headless Chromium needs here: no sandbox as root, and no background
# networking (this machine has no internet; Chromium would retry its hosts).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright, shared by every browser test."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
