"""Chromium (Debian's, via Playwright) uses the query page: pick an example, run it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(chromium):
    page = chromium.new_page()
    yield page
    page.close()


def test_pick_example_run_and_follow_entity_links(page, live_server):
    page.goto(live_server + "/sparql")
    assert "not medical advice" in page.text_content("header")
    page.select_option("#example", "conditions")
    page.click("#load-example")
    page.wait_for_load_state()
    assert "?entity a ?kind" in page.input_value("#query")
    page.click("#run")
    page.wait_for_selector("table.results tbody tr")
    links = page.eval_on_selector_all(
        "table.results a", "els => els.map(e => e.getAttribute('href'))"
    )
    assert "/entity/legkg:Sciatica" in links
    assert all(link.startswith("/entity/legkg") for link in links)
    assert int(page.text_content("#row-count")) == page.locator("table.results tbody tr").count()
    assert page.locator("#permalink").get_attribute("href").startswith("/sparql?query=")
    assert page.locator("a.download").count() == 4
