"""Shared apps for the browse tests: the built-in graph, a small curated fixture graph
and a hostile-label graph. Each app is built once per test session (``functools.cache``)."""

from __future__ import annotations

import functools
import re
import tempfile
from html import unescape
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "browse"
HOSTILE = FIXTURES / "hostile.trig"
LEGKG = "https://w3id.org/legkg/"


def _app(**config):
    from service import create_app

    return create_app({"EXECUTOR": "inline", "TESTING": True, **config})


@functools.cache
def builtin_app():
    """The service over the built-in graph (built first when missing or stale)."""
    return _app()


@functools.cache
def fixture_app():
    """The service over tests/fixtures/browse/*.tsv built with the real pipeline."""
    from kg.build import build, write_release

    out = Path(tempfile.mkdtemp(prefix="legkg-browse-"))
    write_release(build(FIXTURES), out)
    return _app(TRIG_PATH=str(out / "legkg.trig"))


@functools.cache
def hostile_app():
    return _app(TRIG_PATH=str(HOSTILE))


def views(app):
    return app.extensions["legkg"].cache["browse"]


def text_of(html: str) -> str:
    """Visible text of a page: tags dropped, entities decoded, spaces collapsed."""
    html = re.sub(r"<(script|style|svg|datalist)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def section_html(html: str, heading_id: str) -> str:
    """The HTML of the <section> whose heading has this id (up to the next h2)."""
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2", start + 1)
    return html[start : end if end > 0 else len(html)]
