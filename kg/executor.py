"""Run queries in a forked child process that can be killed when it runs too long.

Neither pyoxigraph nor rdflib can interrupt a running query, so each serving process
owns one child (forked lazily, after the WSGI server forked its workers) that holds the
store by copy-on-write and answers ``QueryJob``s over a Pipe. When a job exceeds its
time limit the child gets SIGKILL and a fresh one is forked for the next request.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from kg.sparql import QueryFailure, QueryJob, QueryOutcome, execute
from kg.store import Store


class QueryTimeout(Exception):
    """The query was stopped after ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"query stopped after the time limit of {seconds:g} s")
        self.seconds = seconds


def _serve_child(conn: Connection, store: Store) -> None:
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1):
        signal.signal(sig, signal.SIG_DFL)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            os._exit(0)
        try:
            reply: tuple[str, Any] = ("ok", execute(store, job))
        except QueryFailure as exc:
            reply = ("fail", (exc.kind, exc.message))
        except Exception as exc:  # never let the child die on a bad query
            reply = ("fail", ("engine", f"{type(exc).__name__}: {exc}"))
        conn.send(reply)


class ProcessExecutor:
    """One killable child per serving process; calls are serialised by a lock."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._proc: Any = None
        self._conn: Connection | None = None
        self._owner = 0

    def run(self, job: QueryJob, timeout: float) -> QueryOutcome:
        """Execute ``job``; raise QueryFailure, or QueryTimeout after ``timeout`` s."""
        with self._lock:
            conn = self._ensure_child()
            conn.send(job)
            if not conn.poll(timeout):
                self._kill()
                raise QueryTimeout(timeout)
            try:
                status, payload = conn.recv()
            except (EOFError, OSError):
                self._kill()
                raise QueryFailure("engine", "the query process died") from None
        if status == "fail":
            raise QueryFailure(*payload)
        return payload

    def _ensure_child(self) -> Connection:
        alive = self._proc is not None and self._proc.is_alive()
        if alive and self._owner == os.getpid() and self._conn is not None:
            return self._conn
        if self._owner == os.getpid():
            self._kill()
        ctx = multiprocessing.get_context("fork")
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve_child, args=(child, self._store), daemon=True)
        self._proc.start()
        child.close()
        self._conn, self._owner = parent, os.getpid()
        return parent

    def _kill(self) -> None:
        if self._proc is not None and self._owner == os.getpid():
            if self._proc.is_alive():
                os.kill(self._proc.pid, signal.SIGKILL)
            self._proc.join(timeout=5)
        if self._conn is not None:
            self._conn.close()
        self._proc = self._conn = None

    def close(self) -> None:
        """Stop the child (tests and shutdown)."""
        with self._lock:
            self._kill()


class InlineExecutor:
    """Runs in-process with no time limit; for fast unit tests only."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def run(self, job: QueryJob, timeout: float) -> QueryOutcome:
        return execute(self._store, job)

    def close(self) -> None:
        return None


Executor = ProcessExecutor | InlineExecutor


def make_executor(kind: str, store: Store) -> Executor:
    """``process`` (default, killable) or ``inline``."""
    factory: dict[str, Callable[[Store], Executor]] = {
        "process": ProcessExecutor,
        "inline": InlineExecutor,
    }
    if kind not in factory:
        raise ValueError(f"unknown executor {kind!r}")
    return factory[kind](store)
