// Charts read their data from <script type="application/json"> blocks, so no inline script is needed (CSP).
document.addEventListener("DOMContentLoaded", function () {
  var el = document.querySelector("[data-chart=attainment]");
  if (!el || !window.echarts) return;
  var rows = JSON.parse(document.getElementById("attainment-data").textContent).filter(function (r) { return r.attainment !== null; });
  var chart = echarts.init(el);
  chart.setOption({
    grid: { left: 220, right: 40, top: 20, bottom: 30 },
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
    xAxis: { type: "value", name: "%", max: function (v) { return Math.max(100, Math.ceil(v.max / 10) * 10); } },
    yAxis: { type: "category", data: rows.map(function (r) { return r.name; }), inverse: true },
    series: [{ type: "bar", data: rows.map(function (r) { return { value: r.attainment, itemStyle: { color: r.attainment >= 100 ? "#1a7f37" : "#b3261e" } }; }),
               markLine: { symbol: "none", data: [{ xAxis: 100 }], lineStyle: { color: "#5c6470" } } }]
  });
  el.dataset.rendered = "true";
  window.addEventListener("resize", function () { chart.resize(); });
});
