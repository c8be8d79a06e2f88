"""W3C SPARQL 1.1 query test suite, run through ``/sparql`` of a real ``--data`` server.

All data files of the suite are loaded into one server as named graphs (named by their suite
IRIs); each test picks its dataset with the protocol's ``default-graph-uri`` and
``named-graph-uri``. Each W3C test is one pytest test; ``test_w3c_pass_rate`` asserts the
overall pass rate. The suite lives in ``../shared/w3c-sparql11`` (or ``$LEGKG_W3C_DIR``).

Run:  .venv/bin/pytest tests/test_w3c_conformance.py -q
Set ``LEGKG_W3C_ENGINE=rdflib`` to serve with the pure-rdflib store (``--engine rdflib``), or
``LEGKG_W3C_BACKEND=oxigraph`` to run the harness against pyoxigraph in-process (no server).
The known-failure list in ``tests/w3c/skips.py`` describes the default (Oxigraph) engine.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.w3c import ENTRY_MANIFESTS, ENV_VAR, suite_dir

SUITE = suite_dir()
if SUITE is None:
    pytest.skip(
        f"W3C SPARQL 1.1 test suite not found (expected ../shared/w3c-sparql11 next to the "
        f"repository, or set {ENV_VAR})",
        allow_module_level=True,
    )

from tests.w3c.dataset import graph_files, write_nquads  # noqa: E402
from tests.w3c.endpoints import Endpoint, HttpEndpoint, OxigraphEndpoint  # noqa: E402
from tests.w3c.manifest import W3CTest, load_tests  # noqa: E402
from tests.w3c.runner import run_test  # noqa: E402
from tests.w3c.server import SERVER_MODULE, ServerProcess  # noqa: E402
from tests.w3c.skips import category_skip, known_failure  # noqa: E402

MIN_PASS_RATE = 0.95
TESTS = load_tests(SUITE, ENTRY_MANIFESTS)
OUTCOMES: dict[str, str] = {}  # test IRI -> passed / failed / known / out-of-scope


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Endpoint]:
    """One server for the whole suite, all data files loaded as named graphs."""
    nquads = write_nquads(graph_files(TESTS), tmp_path_factory.mktemp("w3c") / "w3c.nq")
    if os.environ.get("LEGKG_W3C_BACKEND") == "oxigraph":
        yield OxigraphEndpoint(nquads)
        return
    if not SERVER_MODULE.exists():
        pytest.skip("service/server.py does not exist yet")
    engine = os.environ.get("LEGKG_W3C_ENGINE")
    server = ServerProcess([nquads], ["--engine", engine] if engine else [])
    url = server.start()
    try:
        yield HttpEndpoint(url)
    finally:
        server.stop()


def _outcome(test: W3CTest, endpoint: Endpoint) -> str:
    try:
        run_test(test, endpoint)
    except Exception:  # noqa: BLE001 - any error is a failed test here
        return "failed"
    return "passed"


@pytest.mark.parametrize("w3c_test", TESTS, ids=[t.test_id for t in TESTS])
def test_w3c(w3c_test: W3CTest, endpoint: Endpoint) -> None:
    out_of_scope = category_skip(w3c_test)
    if out_of_scope:
        OUTCOMES[w3c_test.iri] = "out-of-scope"
        pytest.skip(out_of_scope)
    known = known_failure(w3c_test)
    if known:
        OUTCOMES[w3c_test.iri] = "known"
        pytest.skip(f"known failure: {known}")
    OUTCOMES[w3c_test.iri] = "failed"
    run_test(w3c_test, endpoint)
    OUTCOMES[w3c_test.iri] = "passed"


def _classify(test: W3CTest, endpoint: Endpoint) -> str:
    """Outcome of a test that was not run above (deselected), running it now if needed."""
    if category_skip(test):
        return "out-of-scope"
    if known_failure(test):
        return "known"
    return _outcome(test, endpoint)


def test_w3c_pass_rate(endpoint: Endpoint) -> None:
    """At least 95% of the in-scope tests pass (known failures count as not passed)."""
    outcomes = {t.iri: OUTCOMES.get(t.iri) or _classify(t, endpoint) for t in TESTS}
    counts = {k: list(outcomes.values()).count(k) for k in ("passed", "failed", "known")}
    in_scope = sum(counts.values())
    rate = counts["passed"] / in_scope if in_scope else 0.0
    summary = (
        f"W3C SPARQL 1.1: {counts['passed']}/{in_scope} in-scope tests passed ({rate:.1%}); "
        f"{counts['failed']} failed, {counts['known']} known failures (skipped), "
        f"{len(TESTS) - in_scope} out of scope"
    )
    print("\n" + summary)
    stale = [t.test_id for t in TESTS if known_failure(t) and _outcome(t, endpoint) == "passed"]
    if stale:
        print("known failures that now pass (prune tests/w3c/skips.py): " + ", ".join(stale))
    assert rate >= MIN_PASS_RATE, f"{summary}: below {MIN_PASS_RATE:.0%}"
