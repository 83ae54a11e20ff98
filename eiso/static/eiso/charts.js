/* eISO charts: every chart of the site, drawn with Chart.js from the data the templates emit with
 * json_script (no inline scripts: strict CSP). Loaded with `defer`, after Chart.js, by
 * templates/includes/charts.html on the pages that draw charts. A canvas names its kind and the id of
 * its json_script:
 *
 * <canvas data-chart="id" [data-chart-colors="#198754,#dc3545,…"]>: a simple chart,
 *   {"type": "bar", "labels": [...], "datasets": [{"label": "...", "data": [...]}], "horizontal": true};
 *   doughnut and pie slices take the colours (matching the page's badges, in label order), bars one
 *   colour per dataset. A rate chart adds "percent": true and its axis bounds "min" and "max" (the
 *   min computed on the server by core/charts.py, so that 87.7 % and 95.6 % look different).
 * <canvas data-stats-chart="id">: on-time statistics,
 *   {"labels": [...], "stacked": true, "horizontal": false, "percent": false,
 *    "datasets": [{"label": "...", "data": [...], "color": "#198754", "type": "line", "axis": "rate"}]};
 *   bars stack (early / on time / late); a "rate" dataset is a line on a percent axis on the right,
 *   from "rateMin" (default 0) to 100; "min" sets the lower bound of the value axis.
 * <canvas data-heatmap="id">: the 5×5 risk heat map, {"x": "axis title", "y": "axis title",
 *   "datasets": [{"label": "...", "color": "#dc3545", "data": [{"x": 1-5, "y": 1-5, "r": px, "n": count}]}]};
 *   a bubble per (likelihood, impact) cell, sized by the number of risks and coloured by level.
 */
(function () {
  "use strict";

  var palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#dc3545", "#0dcaf0", "#ffc107",
                 "#6c757d", "#d63384"];

  function percentTick(value) { return value + " %"; }

  // An axis from ``min`` (when given: a rate axis that starts above 0) to ``max``.
  function bounds(scale, min, max) {
    if (typeof min === "number") { scale.min = min; scale.beginAtZero = false; }
    if (typeof max === "number") scale.max = max;
  }

  // Category labels: horizontal charts name every bar, wrapped to the width Chart.js allows the
  // axis (half the chart; a longer line is cut at the canvas edge), on two lines at most; vertical
  // ones may skip labels when they crowd, and tilt them rather than overlap.
  var CHAR_PX = 6.2; // average width of a character at the 11 px label font

  function wrap(label, width) {
    var text = String(label);
    if (text.length <= width) return text;
    var lines = [], line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > width) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    lines = lines.map(function (l) { return l.length > width ? l.slice(0, width - 1) + "…" : l; });
    return lines.length > 2 ? [lines[0], lines[1].slice(0, width - 2) + " …"] : lines;
  }

  function categoryTicks(horizontal) {
    var ticks = { autoSkip: !horizontal, font: { size: 11 } };
    if (horizontal) {
      ticks.callback = function (value) {
        var width = Math.max(12, Math.floor(this.chart.width * 0.45 / CHAR_PX));
        return wrap(this.getLabelForValue(value), width);
      };
    } else {
      ticks.maxRotation = 60;
    }
    return ticks;
  }

  // The tooltip's title: the whole label, even when the axis shows it wrapped.
  function fullLabel(items) { return items.length ? items[0].label : ""; }

  // --- simple charts (data-chart) -----------------------------------------------------------------

  function simpleChart(spec, canvas) {
    var round = spec.type === "doughnut" || spec.type === "pie";
    var colors = canvas.dataset.chartColors ? canvas.dataset.chartColors.split(",") : palette;
    var datasets = spec.datasets.map(function (ds, i) {
      return {
        label: ds.label,
        data: ds.data,
        backgroundColor: round ? colors : colors[i % colors.length],
        borderWidth: round ? 1 : 0
      };
    });
    var scales = {};
    if (!round) {
      var valueAxis = spec.horizontal ? "x" : "y";
      var categoryAxis = spec.horizontal ? "y" : "x";
      scales[valueAxis] = { beginAtZero: true, ticks: { precision: 0 } };
      scales[categoryAxis] = { ticks: categoryTicks(spec.horizontal) };
      bounds(scales[valueAxis], spec.min, spec.max);
      if (spec.percent) scales[valueAxis].ticks = { callback: percentTick };
    }
    return {
      type: spec.type,
      data: { labels: spec.labels, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal ? "y" : "x",
        plugins: {
          legend: { display: round || datasets.length > 1, position: "bottom" },
          tooltip: { callbacks: { title: fullLabel } }
        },
        scales: scales
      }
    };
  }

  // --- on-time statistics (data-stats-chart) ------------------------------------------------------

  function statisticsChart(spec) {
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
    bounds(scales[valueAxis], spec.min, spec.max);
    var categoryAxis = spec.horizontal ? "y" : "x";
    scales[categoryAxis].ticks = categoryTicks(spec.horizontal);
    if (hasRate) {
      scales.rate = { position: "right", min: 0, max: 100, grid: { display: false },
                      ticks: { callback: percentTick } };
      bounds(scales.rate, spec.rateMin, 100);
    }
    return {
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
              title: fullLabel,
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
    };
  }

  // --- the risk heat map (data-heatmap) -----------------------------------------------------------

  function heatmapAxis(title) {
    return { min: 0.5, max: 5.5, title: { display: true, text: title },
             // The axis runs 0.5–5.5 so edge bubbles fit; its ticks are the five levels 1–5.
             afterBuildTicks: function (scale) {
               scale.ticks = [1, 2, 3, 4, 5].map(function (v) { return { value: v }; });
             },
             ticks: { callback: function (v) { return v; } } };
  }

  function heatmapChart(spec) {
    return {
      type: "bubble",
      data: {
        datasets: spec.datasets.map(function (ds) {
          return { label: ds.label, data: ds.data, backgroundColor: ds.color + "cc", borderColor: ds.color };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        scales: { x: heatmapAxis(spec.x), y: heatmapAxis(spec.y) },
        plugins: {
          legend: { position: "bottom" },
          tooltip: { callbacks: { label: function (ctx) {
            var p = ctx.raw;
            return ctx.dataset.label + ": " + p.n + " (" + spec.x + " " + p.x + " × " + spec.y + " " + p.y + ")";
          } } }
        }
      }
    };
  }

  // --- drawing ------------------------------------------------------------------------------------

  // The data attribute (as in canvas.dataset) naming each kind's json_script, and its builder.
  var KINDS = [["chart", simpleChart], ["statsChart", statisticsChart], ["heatmap", heatmapChart]];
  var SELECTOR = "canvas[data-chart], canvas[data-stats-chart], canvas[data-heatmap]";

  function draw(canvas, still) {
    for (var i = 0; i < KINDS.length; i++) {
      var id = canvas.dataset[KINDS[i][0]];
      if (id === undefined) continue;
      var source = document.getElementById(id);
      if (!source) return;
      var config = KINDS[i][1](JSON.parse(source.textContent), canvas);
      if (still) config.options.animation = false;
      canvas.dataset.rendered = "1";
      new window.Chart(canvas, config);
      return;
    }
  }

  function render(root, still) {
    if (typeof window.Chart === "undefined") return;
    (root || document).querySelectorAll(SELECTOR).forEach(function (canvas) {
      if (!canvas.dataset.rendered) draw(canvas, still);
    });
  }

  // htmx keeps a copy of the page's HTML for the Back button, taken right after this event. A drawn
  // canvas would be copied marked as drawn (so it would come back blank) and with the inline style
  // Chart.js gives it (which the CSP refuses when the copy is put back): release the charts for the
  // copy, then draw again, without animation, those still on the page.
  document.addEventListener("htmx:beforeHistorySave", function () {
    if (typeof window.Chart === "undefined") return;
    document.querySelectorAll(SELECTOR).forEach(function (canvas) {
      var chart = window.Chart.getChart(canvas);
      if (chart) chart.destroy();
      canvas.removeAttribute("style");
      delete canvas.dataset.rendered;
    });
    window.setTimeout(function () { render(document, true); }, 0);
  });

  document.addEventListener("DOMContentLoaded", function () { render(document); });
  document.addEventListener("htmx:afterSettle", function (event) { render(event.target); });
  document.addEventListener("htmx:historyRestore", function () { render(document); });
})();
