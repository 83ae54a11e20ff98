// Width of the import's progress bar from its data-percent (CSP forbids inline style attributes).
(function () {
  "use strict";
  function draw(root) {
    (root || document).querySelectorAll(".progress-bar[data-percent]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, parseInt(bar.getAttribute("data-percent"), 10) || 0)) + "%";
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(); });
  document.addEventListener("htmx:afterSettle", function () { draw(); });
})();
