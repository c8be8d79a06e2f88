"""Linked data: an entity URL answers RDF by content negotiation and by suffix."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from tests.browse_support import builtin_app

LEGKG = Namespace("https://w3id.org/legkg/")
PAD = LEGKG.PeripheralArteryDisease
FORMATS = [
    ("text/turtle", "ttl", "turtle"),
    ("application/ld+json", "jsonld", "json-ld"),
    ("application/rdf+xml", "rdf", "xml"),
    ("application/n-triples", "nt", "nt"),
]


@pytest.fixture(scope="module")
def client():
    return builtin_app().test_client()


def check_description(g: Graph) -> None:
    assert (PAD, LEGKG.worsenedBy, LEGKG.LegElevation) in g
    assert (PAD, RDFS.label, Literal("peripheral artery disease")) in g
    assert (LEGKG.LegElevation, RDFS.label, Literal("leg elevation")) in g  # neighbour label
    claims = set(g.subjects(RDF.type, LEGKG.Claim))
    quotes = {str(q) for c in claims for q in g.objects(c, LEGKG.quote)}
    assert "intensifying when the legs are elevated or horizontal" in quotes
    sections = {s for c in claims for s in g.objects(c, LEGKG.inSection)}
    assert any(str(label) == "7 Peripheral Artery Disease" for s in sections
               for label in g.objects(s, RDFS.label))  # fmt: skip
    # the other end of an incoming edge, too
    assert any(True for _ in g.subject_predicates(PAD))


@pytest.mark.parametrize(("media", "suffix", "parser"), FORMATS)
def test_accept_header_gives_parseable_rdf(client, media, suffix, parser):
    response = client.get("/entity/legkg:PeripheralArteryDisease", headers={"Accept": media})
    assert response.status_code == 200
    assert response.mimetype == media
    assert response.headers["Vary"] == "Accept"
    g = Graph().parse(data=response.get_data(), format=parser, publicID=str(PAD))
    check_description(g)


@pytest.mark.parametrize(("media", "suffix", "parser"), FORMATS)
def test_suffix_gives_the_same_rdf(client, media, suffix, parser):
    response = client.get(f"/entity/legkg:PeripheralArteryDisease.{suffix}")
    assert response.mimetype == media
    g = Graph().parse(data=response.get_data(), format=parser)
    check_description(g)


def test_browser_accept_gets_html_and_curl_default_too(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get("/entity/legkg:LegElevation", headers={"Accept": browser}).mimetype == (
        "text/html"
    )
    assert client.get("/entity/legkg:LegElevation", headers={"Accept": "*/*"}).mimetype == (
        "text/html"
    )


def test_base_iri_redirect_keeps_negotiation(client):
    first = client.get("/PeripheralArteryDisease", headers={"Accept": "text/turtle"})
    assert first.status_code == 303
    second = client.get(first.headers["Location"], headers={"Accept": "text/turtle"})
    g = Graph().parse(data=second.get_data(), format="turtle")
    assert (PAD, LEGKG.worsenedBy, LEGKG.LegElevation) in g
    assert (URIRef(PAD), None, None) in g
