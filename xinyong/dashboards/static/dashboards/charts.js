/* The dashboards' charts (issue 16): each `[data-chart]` element is drawn with Apache ECharts from the JSON
   data block of the same id (the numbers of the table beside it). No inline script: the data block is not
   executed; without JavaScript the tables alone show every number. */
(function () {
  "use strict";

  function option(data) {
    var second = data.series.some(function (s) { return s.axis === 1; });
    var yAxis = [{ type: "value", name: data.percent ? "%" : "", max: data.percent ? 100 : null, min: 0 }];
    if (second) { yAxis.push({ type: "value", name: "工作日", min: 0 }); }
    return {
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: second ? 48 : 16, top: 40, bottom: 32 },
      xAxis: { type: "category", data: data.labels },
      yAxis: yAxis,
      series: data.series.map(function (s) {
        return { name: s.name, type: data.percent ? "line" : "bar", data: s.data, yAxisIndex: s.axis || 0,
                 connectNulls: false };
      })
    };
  }

  function draw() {
    if (typeof window.echarts === "undefined") { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var block = document.getElementById(el.getAttribute("data-chart"));
      if (!block) { return; }
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option(JSON.parse(block.textContent)));
      el.setAttribute("data-drawn", "true");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
