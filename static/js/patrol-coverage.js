// Coverage page chart: coverage per community, lowest first; data comes from a json_script tag.
document.addEventListener("DOMContentLoaded", () => {
  const el = document.querySelector("[data-chart=coverage]");
  const data = document.getElementById("coverage-by-community");
  if (!el || !data || !window.echarts) return;
  const rows = JSON.parse(data.textContent || "[]");
  // Lowest on top: ECharts draws a category axis bottom-up, so the list is reversed.
  const shown = rows.slice().reverse();
  el.style.height = `${Math.max(160, shown.length * 26 + 40)}px`;
  const color = (p) => (p < 50 ? "#b91c1c" : p < 100 ? "#b45309" : "#15803d");
  const chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "item", formatter: (p) => `${shown[p.dataIndex].street} · ${p.name}：${p.value}%` },
    grid: { left: 8, right: 40, top: 8, bottom: 24, containLabel: true },
    xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", data: shown.map((r) => r.name), axisLabel: { width: 110, overflow: "truncate" } },
    series: [{
      type: "bar", name: "覆盖率", barMaxWidth: 16, label: { show: true, position: "right", formatter: "{c}%" },
      data: shown.map((r) => ({ value: r.percent, itemStyle: { color: color(r.percent) } })),
    }],
  });
  window.addEventListener("resize", () => chart.resize());
});
