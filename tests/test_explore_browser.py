"""Chromium (Debian's, via Playwright) uses the symptom explorer: filter the findings,
tick three of them, submit, and read the ranked causes with their explanation paths."""

from __future__ import annotations

import pytest

from kg.paths import ROOT
from tests.conftest import running_server

ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


@pytest.fixture(scope="module")
def server():
    from kg.build import ensure_built

    with running_server("--trig", str(ensure_built()), workers=1) as base:
        yield base


def test_pick_findings_submit_and_read_ranked_causes(browser, server):
    page = browser.new_page()
    page.goto(server + "/explore")
    assert "not a diagnosis" in page.text_content(".notice")
    assert page.locator("#explore-message").is_visible()  # the empty state
    page.fill("#finding-filter", "urge")  # the filter box (JavaScript) narrows the list
    assert page.locator("input[value='legkg:Numbness']").is_hidden()
    page.check("input[value='legkg:UrgeToMoveLegs']")
    page.fill("#finding-filter", "")
    page.check("input[value='legkg:Evening']")
    page.check("input[value='legkg:Walking']")
    page.click("#explore-submit")
    page.wait_for_selector("ol.causes > li")
    assert "finding=legkg%3AUrgeToMoveLegs" in page.url
    first = page.locator("#cause-1")
    assert first.locator("h3 a").text_content() == "restless legs syndrome"
    assert first.locator("h3 a").get_attribute("href") == "/entity/legkg:RestlessLegsSyndrome"
    paths = first.locator("li.path")
    assert paths.count() >= 3 and paths.first.is_visible()
    assert first.locator("li.path blockquote").count() >= 3
    assert page.locator("input[value='legkg:Evening']").is_checked()  # choices kept
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explore.png"), full_page=True)
    page.close()


def test_phone_width_conflict_warning_without_javascript(browser, server):
    context = browser.new_context(viewport={"width": 375, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/explore")
    assert page.locator("#finding-filter").is_hidden()  # no JavaScript, no filter box
    for curie in ("legkg:LegElevation", "legkg:CrampingPain", "legkg:Calf"):
        page.check(f"input[value='{curie}']")
    page.click("#explore-submit")
    page.wait_for_selector("ol.causes > li")
    assert page.locator("#cause-1 h3 a").text_content() == "peripheral artery disease"
    assert "worsens peripheral artery disease" in page.text_content(".conflicts")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page is {width}px wide on a 375px screen"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "explore-phone.png"), full_page=True)
    context.close()
