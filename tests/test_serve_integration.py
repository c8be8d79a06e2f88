"""A real ``legkg serve`` (python -m service.server) queried by real clients."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from tests.conftest import DATA, running_server

LEGKG = "https://w3id.org/legkg/"
CONDITIONS = f"SELECT ?s WHERE {{ ?s a <{LEGKG}Condition> }} ORDER BY ?s"
EXPECTED = [f"{LEGKG}PeripheralArteryDisease", f"{LEGKG}RestlessLegsSyndrome", f"{LEGKG}Sciatica"]
RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(f"?s{i} ?p{i} ?o{i} ." for i in range(9)) + " }"
)


def wrapper(base: str, query: str, fmt) -> SPARQLWrapper:
    sparql = SPARQLWrapper(base + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    return sparql


def get(url: str, accept: str = "*/*") -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def test_sparqlwrapper_select_json(live_server):
    doc = wrapper(live_server, CONDITIONS, JSON).query().convert()
    assert [b["s"]["value"] for b in doc["results"]["bindings"]] == EXPECTED


def test_sparqlwrapper_select_xml(live_server):
    doc = wrapper(live_server, CONDITIONS, XML).query().convert()
    uris = [node.firstChild.data for node in doc.getElementsByTagName("uri")]
    assert uris == EXPECTED


def test_sparqlwrapper_ask(live_server):
    ask = f"ASK {{ <{LEGKG}Sciatica> a <{LEGKG}Condition> }}"
    assert wrapper(live_server, ask, JSON).query().convert()["boolean"] is True


def test_sparqlwrapper_construct_turtle(live_server):
    q = f"CONSTRUCT {{ ?s a <{LEGKG}Condition> }} WHERE {{ ?s a <{LEGKG}Condition> }}"
    graph = wrapper(live_server, q, TURTLE).query().convert()
    text = graph.decode() if isinstance(graph, bytes) else graph.serialize(format="nt")
    assert "Sciatica" in text and "PeripheralArteryDisease" in text


def test_plain_http_post_and_csv(live_server):
    body = CONDITIONS.encode()
    req = urllib.request.Request(
        live_server + "/sparql",
        data=body,
        headers={"Content-Type": "application/sparql-query", "Accept": "text/csv"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.headers["Content-Type"].startswith("text/csv")
        assert resp.read().decode().splitlines() == ["s", *EXPECTED]


def test_plain_http_errors_and_description(live_server):
    status, _, body = get(live_server + "/sparql?query=SELECT")
    assert status == 400 and json.loads(body)["error"]["status"] == 400
    status, headers, body = get(live_server + "/sparql", accept="text/turtle")
    assert status == 200 and b"sd:Service" in body


def test_time_limit_other_clients_answered(live_server):
    result: dict = {}

    def runaway() -> None:
        start = time.monotonic()
        url = live_server + "/sparql?" + urllib.parse.urlencode({"query": RUNAWAY})
        result["status"], _, result["body"] = get(url)
        result["elapsed"] = time.monotonic() - start

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.3)
    start = time.monotonic()
    doc = wrapper(live_server, CONDITIONS, JSON).query().convert()
    assert time.monotonic() - start < 1.0  # answered while the runaway runs
    assert len(doc["results"]["bindings"]) == 3
    thread.join(timeout=10)
    assert result["status"] == 503
    assert json.loads(result["body"])["error"]["title"] == "Query Timeout"
    assert result["elapsed"] < 1.5 + 2
    for _ in range(4):  # every worker answers normally afterwards
        doc = wrapper(live_server, CONDITIONS, JSON).query().convert()
        assert len(doc["results"]["bindings"]) == 3


@pytest.mark.parametrize(
    "endpoint", ["http://127.0.0.1:{port}/sparql", "http://example.org/sparql"]
)
def test_service_refused_by_default(live_server, endpoint):
    port = live_server.rsplit(":", 1)[1]
    q = f"SELECT * WHERE {{ SERVICE <{endpoint.format(port=port)}> {{ ?s ?p ?o }} }}"
    status, _, body = get(live_server + "/sparql?" + urllib.parse.urlencode({"query": q}))
    assert status == 403
    assert "SERVICE" in json.loads(body)["error"]["detail"]


def test_allow_listed_local_instance_can_be_federated(live_server):
    remote = live_server + "/sparql"
    with running_server(
        "--data", str(DATA / "default.ttl"), "--allow-service", remote, workers=1
    ) as front:
        q = (
            "SELECT ?local ?s WHERE { ?local ?p ?o . "
            f"SERVICE <{remote}> {{ ?s a <{LEGKG}Condition> }} }} ORDER BY ?s"
        )
        doc = wrapper(front, q, JSON).query().convert()
        rows = doc["results"]["bindings"]
        assert [r["s"]["value"] for r in rows] == EXPECTED
        assert {r["local"]["value"] for r in rows} == {"http://example.org/d1"}
        other = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
        status, _, _ = get(front + "/sparql?" + urllib.parse.urlencode({"query": other}))
        assert status == 403


def test_data_mode_serves_files_with_standard_semantics():
    files = ["--data", str(DATA / "quads.trig"), "--data", str(DATA / "default.ttl")]
    with running_server(*files, workers=1) as base:
        q = "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s"
        doc = wrapper(base, q, JSON).query().convert()
        values = [b["s"]["value"] for b in doc["results"]["bindings"]]
        assert values == ["http://example.org/d1", "http://example.org/t0"]


def test_request_head_and_body_limits(live_server):
    from service.server import REQUEST_HEAD_LIMIT

    ask = "ASK { ?s ?p ?o } #"
    long_ok = urllib.parse.urlencode({"query": ask + "x" * 20_000})  # past gunicorn's 8 KiB
    status, _, body = get(live_server + "/sparql?" + long_ok)
    assert status == 200 and json.loads(body)["boolean"] is True
    too_long = urllib.parse.urlencode({"query": ask + "x" * 40_000})  # over MAX_URL_LENGTH
    status, headers, body = get(live_server + "/sparql?" + too_long, accept="application/json")
    assert status == 414 and json.loads(body)["error"]["title"] == "URI Too Long"
    huge = urllib.parse.urlencode({"query": ask + "x" * REQUEST_HEAD_LIMIT})  # over the server's
    assert get(live_server + "/sparql?" + huge)[0] in (414, 431)
    req = urllib.request.Request(
        live_server + "/sparql",
        data=b"ASK {}" + b" " * 2_000_000,
        headers={"Content-Type": "application/sparql-query"},
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=10)
    assert info.value.code == 413
    assert json.loads(info.value.read())["error"]["status"] == 413
    assert get(live_server + "/healthz")[0] == 200  # and the server goes on


def test_serve_data_exits_cleanly_on_sigterm():
    import signal
    import subprocess
    import sys

    from bench.procs import alive, children, server_processes
    from tests.conftest import ROOT, _wait_until_up, free_port

    port = free_port()
    cmd = [sys.executable, "-m", "service.server", "--port", str(port), "--workers", "2"]
    data = ["--data", str(DATA / "quads.trig"), str(DATA / "default.ttl")]
    options = ["--threads", "4", "--query-processes", "3"]
    proc = subprocess.Popen([*cmd, *data, *options], cwd=ROOT, stderr=subprocess.PIPE)
    try:
        _wait_until_up(f"http://127.0.0.1:{port}", proc)
        deadline = time.monotonic() + 10  # each worker forks its query processes as it starts
        while len(server_processes(proc.pid)) < 2 + 2 * 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        family = server_processes(proc.pid)
        workers = children(proc.pid)
        assert len(workers) == 2 and [len(children(w)) for w in workers] == [3, 3]
        assert len(family) == 8
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        stderr = proc.stderr.read().decode()  # type: ignore[union-attr]
        assert "Traceback" not in stderr
        time.sleep(0.5)
        assert [pid for pid in family if alive(pid)] == []
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_serve_on_a_busy_port_says_so_without_a_traceback():
    import socket
    import subprocess
    import sys

    from tests.conftest import MINI, ROOT

    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        cmd = [sys.executable, "-m", "service.server", "--port", str(port), "--trig", str(MINI)]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}: Address already in use" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_serve_refuses_a_bad_query_process_count(capsys, value):
    from service.server import build_parser

    with pytest.raises(SystemExit) as info:
        build_parser().parse_args(["--query-processes", value])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "argument --query-processes:" in err and "Traceback" not in err
    assert build_parser().parse_args([]).query_processes == 2
