"""Faults, on loopback and bounded in time: a worker killed mid-request, and a remote
store that is slow, trickling or dead. Every client call has a timeout, so a hang fails
the test instead of stalling the suite."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import socketserver
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.procs import alive, children
from tests.conftest import MINI, TEST_QUERIES, free_port, make_app, running_server

RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(8)) + " }"
)
CLIENT_TIMEOUT = 15  # far above every time limit here: reaching it means a hang


def master_pid(port: int) -> int:
    """The server process for ``port``; its forked workers share its command line."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"service.server" in cmd and str(port).encode() in cmd:
                found.add(int(entry.name))
    masters = [pid for pid in found if _parent(pid) not in found]
    if len(masters) != 1:
        raise LookupError(f"no single server on port {port}: {sorted(found)}")
    return masters[0]


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError):
        return 0


def get(url: str, timeout: float = CLIENT_TIMEOUT) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_killed_worker_mid_request_gives_an_error_and_the_server_keeps_answering():
    args = ("--trig", str(MINI), "--timeout", "30", "--queries-dir", str(TEST_QUERIES))
    with running_server(*args, workers=2) as base:
        master = master_pid(int(base.rsplit(":", 1)[1]))
        outcome: dict[str, object] = {}

        def slow_request() -> None:
            start = time.monotonic()
            query = urllib.parse.urlencode({"query": RUNAWAY})
            try:
                outcome["status"] = get(f"{base}/sparql?{query}")[0]
            except (OSError, http.client.HTTPException) as exc:
                outcome["error"] = exc
            outcome["elapsed"] = time.monotonic() - start

        client = threading.Thread(target=slow_request)
        client.start()
        busy, query_proc = _busy_worker(master)
        os.kill(busy, signal.SIGKILL)
        client.join(CLIENT_TIMEOUT + 5)
        assert not client.is_alive(), "the client hung after its worker was killed"
        assert "error" in outcome or int(outcome["status"]) >= 500  # type: ignore[arg-type]
        assert float(outcome["elapsed"]) < 10  # type: ignore[arg-type]
        # the other worker answers at once; the master replaces the dead one
        assert get(f"{base}/healthz", timeout=5)[0] == 200
        ask = urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
        for _ in range(4):
            status, body = get(f"{base}/sparql?{ask}", timeout=10)
            assert status == 200 and json.loads(body)["boolean"] is True
        _wait_gone(query_proc, 10)  # the orphaned query process does not run on


def _busy_worker(master: int) -> tuple[int, int]:
    """The worker running the slow query: the one whose query process is using CPU."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for worker in children(master):
            busy = [p for p in children(worker) if _cpu_seconds(p) > 0.2]
            if busy:
                return worker, busy[0]
        time.sleep(0.05)
    raise AssertionError("no worker started the query")


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _wait_gone(pid: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not alive(pid), f"query process {pid} outlived its killed worker"


# ------------------------------------------------------------------ remote store faults
class _Silent(socketserver.BaseRequestHandler):
    """Reads the request, never answers (a store stuck in a long query)."""

    def handle(self) -> None:
        self.request.recv(65536)
        time.sleep(20)


class _Trickle(socketserver.BaseRequestHandler):
    """Answers one byte at a time, slowly: each read is quick, the whole is too slow."""

    def handle(self) -> None:
        self.request.recv(65536)
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n"
        self.request.sendall(head + b"Content-Length: 1000\r\n\r\n")
        for _ in range(200):
            try:
                self.request.sendall(b" ")
            except OSError:
                return
            time.sleep(0.2)


def _serve(handler: type[socketserver.BaseRequestHandler]) -> Iterator[str]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"sparql+http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def _dead_store() -> str:
    port = free_port()  # nothing listens there once the probe socket is closed
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
    return f"sparql+http://127.0.0.1:{port}/sparql"


def _timed(client, path: str, **params) -> tuple[int, dict, float]:
    start = time.monotonic()
    resp = client.get(path, query_string=params, headers={"Accept": "application/json"})
    return resp.status_code, resp.get_json(silent=True) or {}, time.monotonic() - start


LIMIT = 1.5


@pytest.mark.parametrize(("handler", "executor"), [(_Silent, "process"), (_Trickle, "inline")])
def test_slow_remote_store_gives_504_within_the_time_limit(handler, executor):
    store = _serve(handler)
    app = make_app(STORE=next(store), QUERY_TIMEOUT=LIMIT, EXECUTOR=executor)
    client = app.test_client()
    try:
        status, body, elapsed = _timed(client, "/sparql", query="ASK { ?s ?p ?o }")
        assert status == 504, body
        assert "time limit" in body["error"]["detail"]
        assert elapsed < LIMIT + 0.5
        status, _, elapsed = _timed(client, "/entity/legkg:Sciatica")
        assert status == 504 and elapsed < LIMIT + 0.5
    finally:
        app.extensions["legkg"].executor.close()
        store.close()


def test_dead_remote_store_gives_502_at_once():
    app = make_app(STORE=_dead_store(), QUERY_TIMEOUT=LIMIT, EXECUTOR="process")
    client = app.test_client()
    try:
        status, body, elapsed = _timed(client, "/sparql", query="ASK { ?s ?p ?o }")
        assert status == 502, body
        assert "unreachable" in body["error"]["detail"] or "failed" in body["error"]["detail"]
        assert elapsed < 1.0
        assert _timed(client, "/queries/label.json", label="x")[0] == 502
    finally:
        app.extensions["legkg"].executor.close()
