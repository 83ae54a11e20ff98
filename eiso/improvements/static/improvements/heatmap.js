/* The 5×5 risk heat map: a bubble per (likelihood, impact) cell, sized by the number of risks and
   coloured by level. Data from <script type="application/json" id="…"> (json_script); no inline JS. */
(function () {
  "use strict";

  function render(root) {
    if (typeof window.Chart === "undefined") return;
    (root || document).querySelectorAll("canvas[data-heatmap]").forEach(function (canvas) {
      if (canvas.dataset.rendered) return;
      var source = document.getElementById(canvas.dataset.heatmap);
      if (!source) return;
      var spec = JSON.parse(source.textContent);
      canvas.dataset.rendered = "1";
      var axis = function (title) {
        return { min: 0.5, max: 5.5, title: { display: true, text: title },
                 // The axis runs 0.5–5.5 so edge bubbles fit; its ticks are the five levels 1–5.
                 afterBuildTicks: function (scale) {
                   scale.ticks = [1, 2, 3, 4, 5].map(function (v) { return { value: v }; });
                 },
                 ticks: { callback: function (v) { return v; } } };
      };
      new window.Chart(canvas, {
        type: "bubble",
        data: {
          datasets: spec.datasets.map(function (ds) {
            return { label: ds.label, data: ds.data, backgroundColor: ds.color + "cc", borderColor: ds.color };
          })
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          scales: { x: axis(spec.x), y: axis(spec.y) },
          plugins: {
            legend: { position: "bottom" },
            tooltip: { callbacks: { label: function (ctx) {
              var p = ctx.raw;
              return ctx.dataset.label + ": " + p.n + " (" + spec.x + " " + p.x + " × " + spec.y + " " + p.y + ")";
            } } }
          }
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { render(document); });
  document.addEventListener("htmx:afterSettle", function (event) { render(event.target); });
})();
