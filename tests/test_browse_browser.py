"""Chromium (Debian's, via Playwright) walks the browse pages like a reader would:
search "PAD", open the entity page, follow a relationship, reach the relation page and
the article. Screenshots go to test-artifacts/browse/."""

from __future__ import annotations

import pytest

from tests.conftest import ROOT, running_server

SHOTS = ROOT / "test-artifacts" / "browse"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server():
    from kg.build import ensure_built

    trig = ensure_built()  # build here, so the server starts within its wait
    with running_server("--trig", str(trig), workers=1) as base:
        yield base


@pytest.fixture(scope="module")
def page(chromium):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = chromium.new_page(viewport={"width": 412, "height": 900})  # a phone
    page.set_default_timeout(15_000)
    yield page
    page.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_search_pad_to_entity_relation_and_article(page, server):
    page.goto(server + "/")
    assert "not medical advice" in page.text_content("header")
    assert page.locator("ol.causes li").count() == 9
    shot(page, "01-home")

    page.fill("#q", "PAD")
    page.keyboard.press("Enter")  # keyboard only, no JavaScript on the page
    page.wait_for_selector("ol.results li")
    first = page.locator("ol.results li a").first
    assert first.text_content() == "peripheral artery disease"
    shot(page, "02-search")

    first.click()
    page.wait_for_url("**/entity/legkg:PeripheralArteryDisease")
    assert page.text_content("h1") == "peripheral artery disease"
    edge = page.locator("li.edge", has_text="— worsens with — leg elevation").first
    assert "intensifying when the legs are elevated or horizontal" in edge.text_content()
    assert page.locator("svg.neighbourhood").is_visible()
    shot(page, "03-entity")

    edge.locator("a.ref-entity", has_text="leg elevation").click()
    page.wait_for_url("**/entity/legkg:LegElevation")
    assert page.text_content("h1") == "leg elevation"
    shot(page, "04-neighbour")

    page.locator("a.ref-relation", has_text="worsened by").first.click()
    page.wait_for_url("**/relation/legkg:worsenedBy")
    assert "Relation: worsened by" in page.text_content("h1")
    pair = page.locator(
        "li.edge", has_text="peripheral artery disease — worsens with — leg elevation"
    )
    assert pair.count() >= 1
    shot(page, "05-relation")

    pair.first.locator("a.where").first.click()
    page.wait_for_url("**/source#q-*")
    anchor = page.url.split("#", 1)[1]
    assert page.locator(f"[id='{anchor}']").count() == 1
    assert page.locator("mark", has_text="intensifying when the legs").count() >= 1
    shot(page, "06-article")
