"""The pages' charts draw with the custom ECharts build (static/vendor/echarts-6.1.0-custom/)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from apps.regions.services import region_create
from tests.conftest import World
from tests.e2e.test_grid_worker_phone import sign_in

pytestmark = pytest.mark.e2e

# The chart in `selector` holds an ECharts instance with `series` and has painted pixels on its canvas.
DRAWN = """(selector) => {
  const el = document.querySelector(selector);
  const chart = el && window.echarts && window.echarts.getInstanceByDom(el);
  if (!chart) return null;
  const series = chart.getOption().series.map((s) => s.type);
  const canvas = el.querySelector("canvas");
  if (!canvas || !canvas.width || !canvas.height) return {series};
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]) painted += 1;
  return {series, painted};
}"""

# What the build holds for charts still to come: a line series with a markLine target.
LINE_WITH_TARGET = """() => {
  const el = document.createElement("div");
  el.style.cssText = "width: 300px; height: 200px";
  document.body.append(el);
  const chart = window.echarts.init(el);
  chart.setOption({
    xAxis: {type: "category", data: ["一", "二", "三"]}, yAxis: {type: "value"},
    series: [{type: "line", data: [60, 80, 95], markLine: {data: [{yAxis: 90, name: "目标"}]}}],
  });
  const model = chart.getModel();
  const result = {
    lines: model.getSeriesByType("line").length, markLine: Boolean(model.getComponent("markLine")),
  };
  chart.dispose();
  el.remove();
  return result;
}"""


@pytest.fixture
def desk(browser: Any) -> Iterator[tuple[Any, list[str]]]:
    """A desktop-sized page and the console errors and uncaught exceptions it collects."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, errors
    context.close()


def test_region_and_coverage_charts_draw(
    desk: tuple[Any, list[str]], live_server: Any, world: World, actors: Any, transactional_db: Any
) -> None:
    page, errors = desk
    region_create(parent=world.city, code="D2", name="西城区")  # a second district: the pie is shown
    sign_in(page, live_server.url, "t_office")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/regions/")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("typeof window.echarts.init") == "function"
    for selector, series in (("[data-chart=bar]", "bar"), ("[data-chart=pie]", "pie")):
        page.wait_for_function(f"() => document.querySelector('{selector} canvas')")
        drawn = page.evaluate(DRAWN, selector)
        assert drawn, f"/regions/ {selector}: no chart"
        assert drawn["series"] == [series], f"/regions/ {selector}: {drawn}"
        assert drawn.get("painted", 0) > 100, f"/regions/ {selector}: nothing painted"
    assert page.evaluate(LINE_WITH_TARGET) == {"lines": 1, "markLine": True}

    page.goto(f"{live_server.url}/patrols/")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => document.querySelector('[data-chart=coverage] canvas')")
    drawn = page.evaluate(DRAWN, "[data-chart=coverage]")
    assert drawn, "/patrols/: no chart"
    assert drawn["series"] == ["bar"], f"/patrols/: {drawn}"
    assert drawn.get("painted", 0) > 100, "/patrols/: nothing painted"

    assert errors == []
