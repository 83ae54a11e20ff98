/* eISO behaviour. Loaded with `defer` on every page; no inline scripts (strict CSP). */
(function () {
  "use strict";

  // Filter forms submit themselves when a select or checkbox changes, and shortly after typing
  // in the search box. htmx (when present) turns the submit into a partial update of #results;
  // without JavaScript the form's own button does the same with a full page load.
  var typingTimer = null;

  function submit(form) {
    if (typeof form.requestSubmit === "function") {
      form.requestSubmit();
    } else {
      form.submit();
    }
  }

  document.addEventListener("change", function (event) {
    var el = event.target;
    var form = el.form;
    if (!form || !form.hasAttribute("data-autosubmit")) return;
    if (el.matches("select, input[type=checkbox], input[type=radio], input[type=date]")) {
      var page = form.querySelector("input[name=page]");
      if (page) page.remove();
      submit(form);
    }
  });

  document.addEventListener("input", function (event) {
    var el = event.target;
    var form = el.form;
    if (!form || !form.hasAttribute("data-autosubmit") || !el.matches("input[type=search]")) return;
    window.clearTimeout(typingTimer);
    typingTimer = window.setTimeout(function () {
      submit(form);
    }, 450);
  });

  // Leave empty filters out of htmx requests, so the pushed URL stays short and shareable.
  document.addEventListener("htmx:configRequest", function (event) {
    var form = event.detail.elt;
    var data = event.detail.formData;
    if (!form || !form.hasAttribute || !form.hasAttribute("data-autosubmit") || !data) return;
    Array.from(data.keys()).forEach(function (key) {
      if (data.getAll(key).every(function (v) { return v === ""; })) data.delete(key);
    });
  });

  // Ask before destructive actions: <form data-confirm="Remove this member?">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Charts: <canvas data-chart="id-of-json-script" [data-chart-colors="…"]> where the json_script holds
  // {"type": "bar", "labels": [...], "datasets": [{"label": "...", "data": [...]}], "horizontal": true}
  var palette = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#20c997", "#dc3545", "#0dcaf0", "#ffc107",
                 "#6c757d", "#d63384"];

  function renderCharts(root) {
    if (typeof window.Chart === "undefined") return;
    (root || document).querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      if (canvas.dataset.rendered) return;
      var source = document.getElementById(canvas.dataset.chart);
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      var round = spec.type === "doughnut" || spec.type === "pie";
      // data-chart-colors="#198754,#dc3545,…": colours matching the page's badges, in label order.
      var colors = canvas.dataset.chartColors ? canvas.dataset.chartColors.split(",") : palette;
      var datasets = spec.datasets.map(function (ds, i) {
        return {
          label: ds.label,
          data: ds.data,
          backgroundColor: round ? colors : colors[i % colors.length],
          borderWidth: round ? 1 : 0
        };
      });
      canvas.dataset.rendered = "1";
      new window.Chart(canvas, {
        type: spec.type,
        data: { labels: spec.labels, datasets: datasets },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          indexAxis: spec.horizontal ? "y" : "x",
          plugins: { legend: { display: round || datasets.length > 1, position: "bottom" } },
          scales: round ? {} : { x: { beginAtZero: true, ticks: { precision: 0 } },
                                  y: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.addEventListener("htmx:afterSettle", function (event) { renderCharts(event.target); });
  document.addEventListener("htmx:historyRestore", function () { renderCharts(document); });
})();
