"""No literal of the graph reaches a page unescaped: a fixture graph with hostile
labels, definitions, quotes, section text and an xref to a javascript: IRI."""

from __future__ import annotations

import re

import pytest

from tests.browse_support import hostile_app

PAGES = [
    "/",
    "/entity/legkg:Evil",
    "/entity/legkg:Other",
    "/relation/legkg:worsenedBy",
    "/relation/legkg:worsens",
    "/class/legkg:Condition",
    "/classes",
    "/search?q=script",
    "/search?q=%3Cscript%3Ealert(1)%3C/script%3E",
    "/search?q=other",
    "/source",
    "/entity/legkg:%3Cscript%3E",
]
RAW = [
    "<script>alert",
    "<img src=x",
    "<svg onload",
    "<b>say</b>",
    "<i>with</i>",
    "<u>worsens</u>",
    "<h1>section</h1>",
    "</textarea>",
    'href="javascript:',
    'onmouseover="alert',
    "<b>bold</b>",
]


@pytest.fixture(scope="module")
def client():
    return hostile_app().test_client()


@pytest.mark.parametrize("url", PAGES)
def test_no_literal_is_rendered_unescaped(client, url):
    html = client.get(url).get_data(as_text=True)
    for needle in RAW:
        assert needle not in html, f"{needle!r} unescaped on {url}"
    # the only <script> elements are none at all: pages need no JavaScript
    assert not re.search(r"<script\b", html)


def test_hostile_text_is_shown_escaped(client):
    html = client.get("/entity/legkg:Evil").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Tom &amp; Jerry &lt;b&gt;say&lt;/b&gt;" in html
    assert "quote with &amp; &lt; &gt; &#34; and &lt;script&gt;" in html
    assert "E&amp;V&lt;L&gt;" in html
    source = client.get("/source").get_data(as_text=True)
    assert "&lt;h1&gt;section&lt;/h1&gt; &amp; co" in source
    assert "<mark>quote with &amp; &lt; &gt;" in source


def test_hostile_svg_and_json(client):
    svg = client.get("/entity/legkg:Evil.svg").get_data(as_text=True)
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert 'onmouseover="' not in svg
    body = client.get("/entity/legkg:Evil.json").get_json()
    assert body["entity"]["label"] == "<script>alert(1)</script>"
    assert body["xrefs"][0]["items"][0]["url"] == ""  # javascript: IRI is not linked
