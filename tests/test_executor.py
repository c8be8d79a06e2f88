"""The pool of killable query processes: concurrency, the per-worker cap, waiting in turn
within the time limit, replacing stopped children."""

from __future__ import annotations

import json
import threading
import time

import pytest

from kg.executor import ProcessExecutor, QueryBusy, QueryTimeout, Slots
from kg.sparql import QueryJob
from tests.conftest import make_app
from tests.test_fast_path import _store
from tests.test_service_limits import RUNAWAY

ASK = QueryJob("ASK { ?s ?p ?o }")


def _in_thread(target, *args) -> threading.Thread:
    thread = threading.Thread(target=target, args=args)
    thread.start()
    return thread


def _runaway(executor: ProcessExecutor, timeout: float, results: list[object]) -> None:
    try:
        executor.run(QueryJob(RUNAWAY), timeout=timeout)
    except QueryTimeout as exc:
        results.append(exc)


def test_pool_runs_queries_concurrently_and_replaces_a_stopped_child():
    executor = ProcessExecutor(_store(50), processes=2)
    try:
        executor.start()
        assert len(executor._idle) == 2
        results: list[object] = []
        thread = _in_thread(_runaway, executor, 1.0, results)
        time.sleep(0.2)
        began = time.monotonic()
        assert executor.run(ASK, timeout=5.0).boolean is True
        assert time.monotonic() - began < 0.5
        thread.join()
        assert len(results) == 1 and type(results[0]) is QueryTimeout
        assert str(results[0]) == "query stopped after the time limit of 1 s"
        assert executor.run(ASK, timeout=5.0).boolean is True
        assert len(executor._idle) == 1 and not executor._busy  # replaced when next needed
    finally:
        executor.close()


def test_a_query_waits_for_a_free_process_within_its_own_time_limit():
    executor = ProcessExecutor(_store(50), processes=1)
    try:
        results: list[object] = []
        thread = _in_thread(_runaway, executor, 1.0, results)
        time.sleep(0.2)
        began = time.monotonic()
        with pytest.raises(QueryBusy) as busy:  # the one process stays busy for 0.8 s more
            executor.run(ASK, timeout=0.3)
        assert 0.3 <= time.monotonic() - began < 1.0
        assert str(busy.value) == "no query process came free within 0.3 s"
        began = time.monotonic()
        assert executor.run(ASK, timeout=5.0).boolean is True  # answered once it is killed
        assert 0.4 < time.monotonic() - began < 2.0
        thread.join()
        assert len(results) == 1 and type(results[0]) is QueryTimeout
    finally:
        executor.close()


def test_time_spent_waiting_counts_against_the_time_limit():
    executor = ProcessExecutor(_store(50), processes=1)
    try:
        first: list[object] = []
        second: list[object] = []
        thread = _in_thread(_runaway, executor, 1.0, first)
        time.sleep(0.2)
        began = time.monotonic()
        _runaway(executor, 1.5, second)  # waits ~0.8 s, then has ~0.7 s to run
        assert type(second[0]) is QueryTimeout
        assert str(second[0]) == "query stopped after the time limit of 1.5 s"
        assert 1.4 < time.monotonic() - began < 2.5
        thread.join()
    finally:
        executor.close()


def test_slots_go_to_the_longest_waiter():
    slots = Slots(1)
    assert slots.acquire(0.1)
    order: list[int] = []

    def wait(n: int) -> None:
        assert slots.acquire(5.0)
        order.append(n)
        slots.release()

    threads = []
    for n in range(4):
        threads.append(_in_thread(wait, n))
        time.sleep(0.05)  # arrive in order
    assert not slots.acquire(0.05)  # a newcomer does not jump the queue
    slots.release()
    for thread in threads:
        thread.join()
    assert order == [0, 1, 2, 3]
    assert slots.acquire(0) and not slots.acquire(0)


def test_a_child_forked_on_a_request_thread_outlives_that_thread():
    # servers retire idle request threads; a query process forked by one must not die
    # with it (PR_SET_PDEATHSIG fires when the forking thread exits)
    executor = ProcessExecutor(_store(5))
    try:
        forked: list[int] = []

        def first_request() -> None:
            executor.run(ASK, timeout=5.0)
            forked.extend(child.proc.pid for child in executor._idle)

        _in_thread(first_request).join()
        time.sleep(0.3)  # a child killed with the thread would be gone by now
        assert len(forked) == 1
        assert [child.proc.is_alive() for child in executor._idle] == [True]
        assert executor.run(ASK, timeout=5.0).boolean is True
        assert [child.proc.pid for child in executor._idle] == forked  # reused, not replaced
    finally:
        executor.close()


def test_pool_needs_a_process():
    with pytest.raises(ValueError, match="at least one process"):
        ProcessExecutor(_store(1), processes=0)


def test_busy_server_answers_503_with_retry_after_in_the_error_shape():
    app = make_app("oxigraph", EXECUTOR="process", QUERY_TIMEOUT=1.0, QUERY_PROCESSES=1)
    try:
        runaway = {"query": RUNAWAY}
        slow = _in_thread(lambda: app.test_client().get("/sparql", query_string=runaway))
        time.sleep(0.2)
        app.extensions["legkg"].timeout = 0.3  # this request waits 0.3 s at most
        r = app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        assert r.status_code == 503 and r.headers["Retry-After"] == "1"
        assert json.loads(r.data) == {
            "error": {
                "status": 503,
                "title": "Service Unavailable",
                "detail": "Every query process of this server stayed busy for the time limit "
                "of 0.3 s, so the query was not run. Try again shortly.",
            }
        }
        slow.join()
        app.extensions["legkg"].timeout = 1.0
        r = app.test_client().get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"})
        assert r.status_code == 200 and json.loads(r.data)["boolean"] is True
    finally:
        app.extensions["legkg"].executor.close()


class _Recorder:
    """Stands in for ``kg.executor.execute`` in this process (the query processes were
    forked before, so they keep the real one): records what runs inline."""

    def __init__(self, delay: float = 0.0) -> None:
        from kg.sparql import execute

        self.real, self.delay, self.texts = execute, delay, []

    def __call__(self, store, job):
        self.texts.append(job.text)
        time.sleep(self.delay)
        return self.real(store, job)


def test_a_query_proven_cheap_in_a_query_process_runs_inline_after(monkeypatch):
    executor = ProcessExecutor(_store(50), processes=1, inline_ms=500.0)
    try:
        executor.start()
        recorder = _Recorder()
        monkeypatch.setattr("kg.executor.execute", recorder)
        select = QueryJob("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 3")
        first = executor.run(select, timeout=5.0)
        assert recorder.texts == []  # the first run is in the query process
        second = executor.run(select, timeout=5.0)
        assert recorder.texts == [select.text]
        assert second.body == first.body and second.count == first.count == 3
        other = QueryJob(select.text, max_rows=2)  # another job: proven on its own
        assert executor.run(other, timeout=5.0).truncated is True
        assert recorder.texts == [select.text]
    finally:
        executor.close()


@pytest.mark.parametrize(
    "text",
    [
        "SELECT ?s WHERE { ?s ?p ?o FILTER(RAND() < 2) } LIMIT 1",
        "SELECT (NOW() AS ?t) WHERE {}",
        "SELECT (struuid() AS ?u) WHERE {}",
        "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    ],
)
def test_queries_whose_work_can_change_always_run_in_a_query_process(monkeypatch, text):
    executor = ProcessExecutor(_store(5), processes=1, inline_ms=500.0)
    try:
        executor.start()
        recorder = _Recorder()
        monkeypatch.setattr("kg.executor.execute", recorder)
        for _ in range(3):
            executor.run(QueryJob(text), timeout=5.0)
        assert recorder.texts == [] and not executor._proven
    finally:
        executor.close()


@pytest.mark.parametrize("bound", [1e-6, 0.0])  # nothing is that fast; switched off
def test_slow_queries_and_a_zero_bound_never_run_inline(monkeypatch, bound):
    executor = ProcessExecutor(_store(50), processes=1, inline_ms=bound)
    try:
        executor.start()
        recorder = _Recorder()
        monkeypatch.setattr("kg.executor.execute", recorder)
        for _ in range(3):
            assert executor.run(ASK, timeout=5.0).boolean is True
        assert recorder.texts == [] and not executor._proven
    finally:
        executor.close()


def test_remote_stores_never_run_inline():
    class Remote:
        engine = "sparql"

    assert ProcessExecutor(Remote(), inline_ms=5.0).inline_ms == 0.0  # type: ignore[arg-type]


def test_an_inline_run_that_turns_slow_sends_its_query_back(monkeypatch):
    executor = ProcessExecutor(_store(5), processes=1, inline_ms=20.0)
    try:
        executor.start()
        executor.run(ASK, timeout=5.0)
        assert executor._proven
        recorder = _Recorder(delay=0.5)  # over 20 x 20 ms
        monkeypatch.setattr("kg.executor.execute", recorder)
        assert executor.run(ASK, timeout=5.0).boolean is True
        assert not executor._proven and len(recorder.texts) == 1
        executor.run(ASK, timeout=5.0)  # in the query process again
        assert len(recorder.texts) == 1
    finally:
        executor.close()
