/* Survey results: one horizontal bar chart per question, drawn with ECharts from the
   data the page carries in a json_script element (no inline script: CSP). The table
   beside each chart holds the same figures for screen readers and printing. */
(function () {
  "use strict";

  var BAR_HEIGHT = 36;
  var charts = [];

  function draw(element) {
    var source = document.getElementById(element.getAttribute("data-survey-chart"));
    if (!source) return;
    var data = JSON.parse(source.textContent);
    // Labels first, in the order of the questionnaire (top to bottom).
    var labels = data.labels.slice().reverse();
    var counts = data.counts.slice().reverse();
    element.style.width = "100%";
    element.style.height = Math.max(120, labels.length * BAR_HEIGHT + 40) + "px";
    var chart = window.echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: {
        type: "category",
        data: labels,
        axisLabel: { width: 140, overflow: "truncate" }
      },
      series: [{
        type: "bar",
        data: counts,
        itemStyle: { color: "#1d5f8c" },
        label: { show: true, position: "right" }
      }]
    });
    charts.push(chart);
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!window.echarts) return;
    document.querySelectorAll("[data-survey-chart]").forEach(draw);
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { chart.resize(); });
    });
  });
})();
