// Home-page charts: data comes from json_script tags rendered by the server.
document.addEventListener("DOMContentLoaded", () => {
  const read = (id) => JSON.parse(document.getElementById(id)?.textContent || "[]");
  const colors = ["#0f6b5c", "#2a9d8f", "#e9c46a", "#f4a261", "#e76f51", "#457b9d", "#8d99ae", "#6a4c93"];
  const [barEl, pieEl] = [document.querySelector("[data-chart=bar]"), document.querySelector("[data-chart=pie]")];
  const charts = [];
  if (barEl) {
    const rows = read("points-by-type");
    const chart = echarts.init(barEl);
    chart.setOption({
      color: colors, tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 10, bottom: 60 },
      xAxis: { type: "category", data: rows.map((r) => r.label), axisLabel: { interval: 0, rotate: 40 } },
      yAxis: { type: "value" }, series: [{ type: "bar", data: rows.map((r) => r.n), name: "点位数" }],
    });
    charts.push(chart);
  }
  if (pieEl) {
    const rows = read("points-by-district");
    const chart = echarts.init(pieEl);
    chart.setOption({
      color: colors, tooltip: { trigger: "item", formatter: "{b}：{c} 个（{d}%）" },
      series: [{ type: "pie", radius: ["35%", "65%"], data: rows.map((r) => ({ name: r.name, value: r.n })) }],
    });
    charts.push(chart);
  }
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
});
