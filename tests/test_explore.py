"""Symptom explorer (/explore, /explore.json) over the built graph: the article's own
findings rank its causes, every step of an explanation quotes the article, advice and
conflicting-advice warnings come from the graph, bad findings get a 400."""

from __future__ import annotations

import statistics
import time
from urllib.parse import urlencode

import pytest

from kg.explore import ARTICLE_ADVICE
from kg.paths import ROOT
from tests.browse_support import builtin_app, text_of

# Human findings from the article mapped to the curated entity ids (kg/data/entities.tsv).
RLS_FINDINGS = ["legkg:UrgeToMoveLegs", "legkg:Evening", "legkg:Walking"]  # urge to move,
# worse in the evening (time pattern), relieved by walking (RLS relievedBy Walking, c4.1)
PAD_FINDINGS = ["legkg:LegElevation", "legkg:CrampingPain", "legkg:Calf"]  # pain worse with
# leg elevation (PAD worsenedBy LegElevation, c7), cramping, calf
PERONEAL_FINDINGS = ["legkg:Numbness", "legkg:OuterKnee", "legkg:SideLying", "legkg:FootDrop"]
EDEMA_FINDINGS = ["legkg:Swelling", "legkg:Heaviness", "legkg:Ankle"]

ACCEPTANCE = [
    (RLS_FINDINGS, "legkg:RestlessLegsSyndrome", "restless legs syndrome"),
    (PAD_FINDINGS, "legkg:PeripheralArteryDisease", "peripheral artery disease"),
    (PERONEAL_FINDINGS, "legkg:PeronealNerveCompression", "peroneal nerve compression"),
    (EDEMA_FINDINGS, "legkg:FluidRetention", "fluid retention"),
]
PAD, VENOUS, EDEMA = (
    "legkg:PeripheralArteryDisease",
    "legkg:VenousInsufficiency",
    "legkg:FluidRetention",
)


@pytest.fixture(scope="module")
def client():
    return builtin_app().test_client()


def explore(client, findings: list[str]) -> dict:
    response = client.get("/explore.json?" + urlencode([("finding", f) for f in findings]))
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def page(client, findings: list[str]) -> str:
    url = "/explore?" + urlencode([("finding", f) for f in findings])
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def fully_quoted(path: dict) -> bool:
    return bool(path["edges"]) and all(edge["evidence"] for edge in path["edges"])


@pytest.mark.parametrize(("findings", "curie", "label"), ACCEPTANCE)
def test_article_findings_rank_their_cause_first(client, findings, curie, label):
    data = explore(client, findings)
    top = data["causes"][0]
    assert (top["curie"], top["label"]) == (curie, label)
    assert top["matched"] == findings and top["unmatched"] == []
    assert top["score"] == 1.0
    assert top["score"] > data["causes"][1]["score"]
    assert [f["curie"] for f in data["findings"]] == findings
    scores = [c["score"] for c in data["causes"]]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(("findings", "curie", "label"), ACCEPTANCE)
def test_top_cause_has_a_fully_quoted_path_for_every_finding(client, findings, curie, label):
    top = explore(client, findings)["causes"][0]
    for finding in findings:
        paths = [p for p in top["paths"] if p["finding"] == finding]
        assert any(fully_quoted(p) for p in paths), finding
    for path in top["paths"]:
        assert path["edges"][0]["subject"]["curie"] == curie
        assert path["edges"][-1]["object"]["curie"] == path["finding"]
        for before, after in zip(path["edges"], path["edges"][1:], strict=False):
            assert before["object"]["curie"] == after["subject"]["curie"]


@pytest.mark.parametrize(("findings", "curie", "label"), ACCEPTANCE)
def test_page_shows_the_top_cause_with_its_paths(client, findings, curie, label):
    html = page(client, findings)
    first = html[html.index('id="cause-1"') : html.index('id="cause-2"')]
    assert f'href="/entity/{curie}"' in first and label in first
    assert first.count('class="path"') >= len(findings)
    assert "<blockquote" in first


def test_paths_go_through_mechanisms_and_parts(client):
    pad = explore(client, PAD_FINDINGS)["causes"][0]
    chains = [[e["relation"]["curie"] for e in p["edges"]] for p in pad["paths"]]
    assert ["legkg:hasMechanism", "legkg:producesSymptom"] in chains
    mechanism = [p for p in pad["paths"] if len(p["edges"]) == 2][0]
    assert mechanism["edges"][0]["object"]["label"] == "ischemia"
    peroneal = explore(client, PERONEAL_FINDINGS)["causes"][0]
    knee = [p for p in peroneal["paths"] if p["finding"] == "legkg:OuterKnee"][0]
    assert [e["object"]["curie"] for e in knee["edges"]] == ["legkg:FibularHead", "legkg:OuterKnee"]
    side = [p for p in peroneal["paths"] if p["finding"] == "legkg:SideLying"][0]
    edge = side["edges"][0]
    assert edge["how"] == "inferred" and edge["rule"] == "prp-inv"
    assert "side-lying" in edge["evidence"][0]["quote"]  # the premise's quote


def test_evidence_links_to_the_section(client):
    edge = explore(client, PAD_FINDINGS)["causes"][0]["paths"][0]["edges"][0]
    assert edge["how"] == "asserted" and edge["rule"] is None
    evidence = edge["evidence"][0]
    assert evidence["section"] == "7 Peripheral Artery Disease"
    assert evidence["url"] == "/source#sec-c7"
    assert evidence["quote"] in (ROOT / "kg/sources/why-leg-hurts-when-lying-down.txt").read_text()


def test_advice_for_top_causes_with_quotes(client):
    pad = explore(client, PAD_FINDINGS)["causes"][0]
    kinds = {(a["kind"], a["label"]) for a in pad["advice"]}
    assert {("treatment", "statins"), ("diagnosis", "ankle-brachial index")} <= kinds
    assert all(a["evidence"] for a in pad["advice"])
    rls = explore(client, RLS_FINDINGS)["causes"][0]
    assert ("relief", "walking") in {(a["kind"], a["label"]) for a in rls["advice"]}
    peroneal = explore(client, PERONEAL_FINDINGS)["causes"][0]
    inherited = [a for a in peroneal["advice"] if a["for"]["curie"] == "legkg:NerveCompression"]
    assert {a["label"] for a in inherited} >= {"physical therapy"}


def test_elevation_conflict_when_pad_and_edema_are_candidates(client):
    data = explore(client, PAD_FINDINGS)
    candidates = {c["curie"] for c in data["causes"]}
    assert PAD in candidates and EDEMA in candidates
    conflict = data["conflicts"][0]
    assert conflict["item"]["curie"] == "legkg:LegElevation"
    assert (conflict["helps"]["curie"], conflict["harms"]["curie"]) == (EDEMA, PAD)
    assert "worsens peripheral artery disease" in conflict["message"]
    assert all(edge["evidence"] for edge in conflict["evidence"])
    html = page(client, PAD_FINDINGS)
    assert "Conflicting advice" in html and 'role="alert"' in html


def test_elevation_conflict_with_venous_insufficiency(client):
    data = explore(client, ["legkg:LegElevation", "legkg:Discomfort"])
    candidates = {c["curie"] for c in data["causes"]}
    assert {PAD, VENOUS} <= candidates
    pairs = {(c["helps"]["curie"], c["harms"]["curie"]) for c in data["conflicts"]}
    assert (VENOUS, PAD) in pairs


@pytest.mark.parametrize("findings", [RLS_FINDINGS, PERONEAL_FINDINGS])
def test_no_elevation_conflict_when_neither_side_is_a_candidate(client, findings):
    data = explore(client, findings)
    candidates = {c["curie"] for c in data["causes"]}
    assert PAD not in candidates or not candidates & {VENOUS, EDEMA}
    assert data["conflicts"] == []
    assert "Conflicting advice" not in page(client, findings)


def test_no_findings_gives_empty_causes_and_a_message(client):
    data = explore(client, [])
    assert data["findings"] == [] and data["causes"] == [] and data["conflicts"] == []
    assert "Pick one or more findings" in data["message"]
    html = page(client, [])
    assert 'id="explore-message"' in html and "Pick one or more findings" in text_of(html)
    assert 'class="causes"' not in html


def test_notice_quotes_the_articles_advice(client):
    source = (ROOT / "kg/sources/why-leg-hurts-when-lying-down.txt").read_text()
    assert ARTICLE_ADVICE in source
    data = explore(client, RLS_FINDINGS)
    assert "not a diagnosis" in data["notice"]
    assert data["articleAdvice"]["quote"] == ARTICLE_ADVICE
    text = text_of(page(client, []))
    assert "not a diagnosis" in text and ARTICLE_ADVICE in text
    assert "ln(N / n)" in text  # the scoring is explained on the page


@pytest.mark.parametrize(
    ("value", "word"),
    [
        ("legkg:NoSuchThing", "unknown finding 'legkg:NoSuchThing'"),
        ("legkg:Ischemiaa", "unknown finding"),
        ("legkg:PeripheralArteryDisease", "unknown finding"),  # a cause, not a finding
        ("<script>alert(1)</script>", "malformed finding"),
        ("nope:x", "malformed finding 'nope:x'"),
        ("", "malformed finding ''"),
    ],
)
def test_bad_findings_are_400_naming_them(client, value, word):
    url = "/explore.json?" + urlencode([("finding", "legkg:Calf"), ("finding", value)])
    response = client.get(url)
    assert response.status_code == 400
    assert word in response.get_json()["error"]["detail"]
    html = client.get(url.replace(".json", ""), headers={"Accept": "text/html"})
    assert html.status_code == 400
    assert "<script>alert(1)" not in html.get_data(as_text=True)


def test_form_groups_findings_by_class_and_keeps_choices(client):
    html = page(client, RLS_FINDINGS)
    for legend in ("Symptoms and sensations", "Triggers and modifiers", "Time patterns",
                   "Locations", "Risk factors"):  # fmt: skip
        assert f"<legend>{legend}" in html
    assert 'value="legkg:UrgeToMoveLegs" checked' in html
    assert 'value="legkg:Numbness">' in html
    assert 'method="get"' in html and 'name="finding"' in html
    assert 'id="finding-filter"' in html and "explore.js" in html


def test_full_iris_are_accepted(client):
    data = explore(client, ["https://w3id.org/legkg/UrgeToMoveLegs", "legkg:UrgeToMoveLegs"])
    assert [f["curie"] for f in data["findings"]] == ["legkg:UrgeToMoveLegs"]


def test_explorer_answers_fast(client):
    explore(client, PERONEAL_FINDINGS)
    times = []
    for findings, *_ in ACCEPTANCE * 3:
        start = time.perf_counter()
        explore(client, findings)
        times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.1
