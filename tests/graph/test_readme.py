"""Doc tests that keep README.md and ontology/README.md honest."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


def test_readme_starts_with_the_two_commands():
    first = _blocks(README, "sh")[:2]
    assert first[0].strip() == "./setup.sh && .venv/bin/legkg serve"
    assert first[1].strip().startswith("./setup.sh && .venv/bin/python -m pytest")


def test_ci_runs_the_readme_test_command():
    test_command = _blocks(README, "sh")[1].strip().split("&& ", 1)[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci
    assert "./setup.sh" in ci and "-eq 5" in ci


@pytest.mark.parametrize("doc", ["README.md", "ontology/README.md"])
def test_sparql_examples_answer(doc, store):
    text = (ROOT / doc).read_text(encoding="utf-8")
    queries = _blocks(text, "sparql") + re.findall(r"<<'SPARQL'\n(.*?)SPARQL\n", text, re.S)
    assert queries
    for query in queries:
        if "SERVICE <" in query:
            continue  # federation recipes need a second server: tests/test_federation.py
        rows = list(store.query(query, use_default_graph_as_union=True))
        assert rows, query


def test_readme_query_example_runs_from_the_shell():
    query = re.search(r"<<'SPARQL'\n(.*?)SPARQL\n", README, re.S).group(1)
    out = subprocess.run(
        [sys.executable, "-m", "kg.cli", "query", "-", "--format", "csv"],
        input=query, capture_output=True, text=True, timeout=120, cwd=ROOT,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "leg elevation" in out.stdout
    assert "7 Peripheral Artery Disease" in out.stdout
