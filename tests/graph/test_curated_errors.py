"""Malformed curated data gives errors naming file and line, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.curated import CuratedDataError, read_curated


def _append(path: Path, row: str) -> int:
    """Append a row; return its line number."""
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + row + "\n", encoding="utf-8")
    return text.count("\n") + 1


def _problems(data: Path) -> list[str]:
    with pytest.raises(CuratedDataError) as info:
        read_curated(data)
    return [str(p) for p in info.value.problems]


def _legkg(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, timeout=120
    )


E = "PeripheralArteryDisease"


@pytest.mark.parametrize(
    ("file", "row", "message"),
    [
        ("entities.tsv", "Foo\tVascularCondition\tfoo", "expected 7 tab-separated cells, found 3"),
        ("entities.tsv", f"{E}\tVascularCondition\tdup\t\t\tdup.\t", f"duplicate id '{E}'"),
        (
            "entities.tsv",
            "NewThing\tNoSuchClass\tnew thing\t\t\tx.\t",
            "unknown class 'NoSuchClass'",
        ),
        ("edges.tsv", f"{E}\tworsenBy\tLegElevation\tc7\tPAD", "unknown property 'worsenBy'"),
        ("edges.tsv", f"{E}\tworsenedBy\tLegElevation\tc7\t", "missing quote"),
        ("edges.tsv", f"{E}\tworsenedBy\tNoSuchEntity\tc7\tPAD", "dangling reference: object"),
        ("edges.tsv", f"{E}\tworsenedBy\tLegElevation\tc7\tlegs are purple", "not verbatim"),
        ("edges.tsv", f"{E}\tworsenedBy\tLegElevation\tc99\tPAD", "unknown section 'c99'"),
    ],
)
def test_bad_rows_are_named_by_file_and_line(data_copy, file, row, message):
    line = _append(data_copy / file, row)
    problems = _problems(data_copy)
    hits = [p for p in problems if f"{file}:{line}:" in p and message in p]
    assert hits, problems


def test_quote_from_another_section_is_rejected(data_copy):
    # the quote exists in the article (section c7) but not in section c1
    line = _append(data_copy / "edges.tsv", f"{E}\tworsenedBy\tLegElevation\tc1\tatherosclerosis")
    problems = _problems(data_copy)
    assert any(f"edges.tsv:{line}:" in p and "not found elsewhere" not in p for p in problems)
    assert any(
        "found elsewhere in the article" in p or "not verbatim in section 'c1'" in p
        for p in problems
    )


def test_wrong_header_is_reported(data_copy):
    path = data_copy / "edges.tsv"
    lines = path.read_text(encoding="utf-8").splitlines()
    idx = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
    lines[idx] = lines[idx].replace("quote", "citation")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert any(f"edges.tsv:{idx + 1}: header must be" in p for p in _problems(data_copy))


def test_cli_reports_problems_without_traceback(data_copy):
    line = _append(data_copy / "edges.tsv", f"{E}\tworsenBy\tLegElevation\tc7\tPAD")
    for command in ("build", "check"):
        out = _legkg(
            command,
            "--data",
            str(data_copy),
            *(["--out", str(data_copy / "b")] if command == "build" else []),
        )
        assert out.returncode == 2
        assert f"edges.tsv:{line}: unknown property 'worsenBy'" in out.stderr
        assert "Traceback" not in out.stderr + out.stdout


@pytest.mark.parametrize(
    ("file", "row", "message"),
    [
        (
            "entities.tsv",
            "NewThing\tNoSuchClass\tnew thing\t\t\tx.\t",
            "unknown class 'NoSuchClass'",
        ),
        ("edges.tsv", f"{E}\tworsenedBy\tLegElevation\tc7\t", "missing quote"),
        ("edges.tsv", f"{E}\tworsenedBy\tLegElevation\tc7\tlegs are purple", "not in the article"),
        ("edges.tsv", f"{E}\tworsenedBy\tNoSuchEntity\tc7\tPAD", "dangling reference"),
    ],
)
def test_legkg_check_fails_naming_the_seeded_row(data_copy, file, row, message):
    line = _append(data_copy / file, row)
    out = _legkg("check", "--no-hermit", "--data", str(data_copy))
    assert out.returncode != 0
    assert f"{file}:{line}:" in out.stderr and message in out.stderr, out.stderr
    assert "Traceback" not in out.stderr + out.stdout
