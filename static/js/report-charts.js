/* Reports: the dashboard's and the annual report's charts, drawn with ECharts from
   the data each section carries in a json_script element (no inline script: CSP).
   The table in the same section holds the same numbers for screen readers, printing
   and browsers without JavaScript.

   Data: {kind: "bar" | "line", stack: bool, labels: [...],
          series: [{name, values: [...], axis: 0 | 1}]}
   Bars run sideways (long Chinese labels read well on a phone); lines run by month,
   a series with axis 1 on its own scale on the right. */
(function () {
  "use strict";

  var COLORS = ["#1d5f8c", "#b32d1e", "#1e6b34", "#8a5a00", "#6a3d9a", "#555d66"];
  var ROW = 26;
  var charts = [];

  function barHeight(data) {
    var perLabel = data.stack ? ROW : ROW * Math.max(1, data.series.length * 0.75);
    var legend = data.series.length > 1 ? 40 : 0;
    return Math.max(140, data.labels.length * perLabel + 50 + legend);
  }

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-report-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    if (!data.labels || !data.labels.length) {
      element.hidden = true;
      return;
    }
    var line = data.kind === "line";
    var several = data.series.length > 1;
    var twoAxes = line && data.series.some(function (s) { return s.axis === 1; });
    element.style.width = "100%";
    element.style.height = (line ? 300 : barHeight(data)) + "px";
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    // Sideways bars list the first label at the top.
    var labels = line ? data.labels : data.labels.slice().reverse();
    var category = {
      type: "category",
      data: labels,
      axisLabel: line ? { hideOverlap: true } : { width: 120, overflow: "truncate" }
    };
    var value = { type: "value", minInterval: 1 };
    var series = data.series.map(function (s, i) {
      return {
        name: s.name,
        type: line ? "line" : "bar",
        stack: data.stack ? "total" : undefined,
        yAxisIndex: twoAxes ? (s.axis === 1 ? 1 : 0) : 0,
        data: line ? s.values : s.values.slice().reverse(),
        itemStyle: { color: COLORS[i % COLORS.length] },
        lineStyle: line ? { color: COLORS[i % COLORS.length] } : undefined,
        label: { show: !line && !data.stack && !several, position: "right" }
      };
    });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", confine: true },
      legend: several ? { top: 0, type: "scroll" } : { show: false },
      grid: { left: 8, right: 40, top: several ? 40 : 8, bottom: 8, containLabel: true },
      xAxis: line ? category : value,
      yAxis: line ? (twoAxes ? [value, { type: "value", minInterval: 1 }] : value) : category,
      series: series
    });
    charts.push(chart);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print-report]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
    if (!window.echarts) return;
    document.querySelectorAll("[data-report-chart]").forEach(draw);
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  });
})();
