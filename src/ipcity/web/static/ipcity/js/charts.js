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

document.addEventListener("DOMContentLoaded", function () {
  if (!window.echarts) return;
  var trendEl = document.querySelector("[data-chart=trend]");
  if (trendEl) {
    var trend = JSON.parse(document.getElementById("trend-data").textContent);
    var chart = echarts.init(trendEl);
    chart.setOption({
      tooltip: { trigger: "axis" }, legend: { data: ["有效专利", "有效发明专利"] },
      grid: { left: 60, right: 30, top: 40, bottom: 30 },
      xAxis: { type: "category", data: trend.days }, yAxis: { type: "value" },
      series: [{ name: "有效专利", type: "line", data: trend.valid_patents, showSymbol: false },
               { name: "有效发明专利", type: "line", data: trend.valid_invention_patents, showSymbol: false }]
    });
    trendEl.dataset.rendered = "true";
  }
  var breakdownData = document.getElementById("breakdown-data");
  if (!breakdownData) return;
  var groups = JSON.parse(breakdownData.textContent);
  document.querySelectorAll("[data-chart=breakdown]").forEach(function (el) {
    var rows = groups[el.dataset.by] || [];
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "item" },
      series: [{ type: "pie", radius: ["35%", "70%"], data: rows.map(function (r) { return { name: r[0], value: r[1] }; }),
                 label: { show: rows.length <= 6 } }]
    });
    el.dataset.rendered = "true";
  });
});

// Supervision dashboard: work items by state, stacked per action or per unit.
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("supervision-data");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var colours = { assigned: "#8c959f", acknowledged: "#57606a", in_progress: "#0969da", reported: "#bf8700",
                  under_review: "#8250df", closed: "#1a7f37" };
  document.querySelectorAll("[data-chart=states]").forEach(function (el) {
    var rows = data[el.dataset.by] || [];
    var names = rows.map(function (r) { return el.dataset.by === "by_unit" ? r.unit : r.action; });
    var states = Object.keys(data.state_labels);
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { data: states.map(function (s) { return data.state_labels[s]; }) },
      grid: { left: 20, right: 30, top: 50, bottom: 30, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: names, inverse: true },
      series: states.map(function (s) {
        return { name: data.state_labels[s], type: "bar", stack: "states", itemStyle: { color: colours[s] },
                 data: rows.map(function (r) { return r.counts[s]; }) };
      })
    });
    el.dataset.rendered = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  });
});

// Patent landscape of a navigation project: filings by year (bars), status and local/outside (pies).
document.addEventListener("DOMContentLoaded", function () {
  var source = document.getElementById("landscape-data");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  document.querySelectorAll("[data-chart=landscape]").forEach(function (el) {
    var rows = data[el.dataset.part] || [];
    var chart = echarts.init(el);
    if (el.dataset.part === "by_year") {
      chart.setOption({ tooltip: { trigger: "axis" }, grid: { left: 40, right: 10, top: 10, bottom: 30 },
        xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }) }, yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: rows.map(function (r) { return r[1]; }) }] });
    } else {
      chart.setOption({ tooltip: { trigger: "item" },
        series: [{ type: "pie", radius: ["35%", "70%"], data: rows.map(function (r) { return { name: r[0], value: r[1] }; }) }] });
    }
    el.dataset.rendered = "true";
  });
});
