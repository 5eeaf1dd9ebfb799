// Charts from data in <script type="application/json"> blocks; the numbers are also in a table.
(function () {
  "use strict";
  var PALETTE = ["#c8161d", "#d97706", "#2563eb", "#1f9d55", "#7c3aed", "#646a73"];
  function drawDays(el, data) {
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      color: PALETTE,
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, type: "scroll" },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: data.labels, axisTick: { alignWithLabel: true } },
      yAxis: { type: "value", minInterval: 1, splitLine: { lineStyle: { color: "#eef0f3" } } },
      series: data.series.map(function (s) {
        return { name: s.name, type: "bar", stack: "hits", barMaxWidth: 18, data: s.data };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function draw(el) {
    var source = document.getElementById(el.dataset.source);
    if (!source || !window.echarts) return;
    var data = JSON.parse(source.textContent);
    if (el.dataset.chart === "days") { el.style.height = "280px"; drawDays(el, data); return; }
    el.style.height = Math.max(200, data.labels.length * 26 + 40) + "px";
    var chart = window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", splitLine: { lineStyle: { color: "#eef0f3" } } },
      yAxis: { type: "category", data: data.labels, inverse: true, axisTick: { show: false },
               axisLabel: { width: 120, overflow: "truncate", interval: 0 } },
      series: [
        { name: data.series[0], type: "bar", stack: "m", data: data.full, itemStyle: { color: "#c8161d" } },
        { name: data.series[1], type: "bar", stack: "m", data: data.probationary, itemStyle: { color: "#f3a5a8" } }
      ]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-chart]").forEach(draw);
  });
})();
