/* eISO on-time statistics charts. No inline scripts (strict CSP): each
 * <canvas data-stats-chart="id-of-json-script"> reads its spec from a json_script:
 * {"labels": [...], "stacked": true, "horizontal": false, "percent": false,
 *  "datasets": [{"label": "...", "data": [...], "color": "#198754", "type": "line", "axis": "rate"}]}
 * Bars stack (early / on time / late); a "rate" dataset is a line on a 0–100 % axis on the right. */
(function () {
  "use strict";

  function percentTick(value) { return value + " %"; }

  function build(canvas) {
    var source = document.getElementById(canvas.dataset.statsChart);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    var hasRate = spec.datasets.some(function (ds) { return ds.axis === "rate"; });
    var valueAxis = spec.horizontal ? "x" : "y";
    var datasets = spec.datasets.map(function (ds) {
      var line = ds.type === "line";
      return {
        type: line ? "line" : "bar",
        label: ds.label,
        data: ds.data,
        backgroundColor: ds.color,
        borderColor: ds.color,
        borderWidth: line ? 2 : 0,
        pointRadius: line ? 3 : 0,
        spanGaps: true,
        tension: 0.2,
        order: line ? 0 : 1,
        yAxisID: ds.axis === "rate" ? "rate" : undefined
      };
    });
    var scales = {};
    scales.x = { stacked: !!spec.stacked, beginAtZero: true, grid: { display: valueAxis === "x" } };
    scales.y = { stacked: !!spec.stacked, beginAtZero: true, grid: { display: valueAxis === "y" } };
    scales[valueAxis].ticks = spec.percent ? { callback: percentTick } : { precision: 0 };
    if (spec.percent) scales[valueAxis].max = 100;
    var categoryAxis = spec.horizontal ? "y" : "x";
    scales[categoryAxis].ticks = { autoSkip: !spec.horizontal, font: { size: 11 } };
    if (hasRate) {
      scales.rate = { position: "right", min: 0, max: 100, grid: { display: false },
                      ticks: { callback: percentTick } };
    }
    canvas.dataset.rendered = "1";
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal ? "y" : "x",
        interaction: { mode: "index", intersect: false },
        plugins: {
          legend: { display: datasets.length > 1, position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (ctx) {
                var v = spec.horizontal ? ctx.parsed.x : ctx.parsed.y;
                var unit = spec.percent || ctx.dataset.yAxisID === "rate" ? " %" : "";
                return ctx.dataset.label + ": " + (v === null || v === undefined ? "—" : v + unit);
              }
            }
          }
        },
        scales: scales
      }
    });
  }

  function render(root) {
    if (typeof window.Chart === "undefined") return;
    (root || document).querySelectorAll("canvas[data-stats-chart]").forEach(function (canvas) {
      if (!canvas.dataset.rendered) build(canvas);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { render(document); });
  document.addEventListener("htmx:afterSettle", function (event) { render(event.target); });
  document.addEventListener("htmx:historyRestore", function () { render(document); });
})();
