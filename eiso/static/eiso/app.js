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
    if (el.matches("select, input[type=checkbox], input[type=radio], input[data-eiso-date]")) {
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

  // File inputs in the page's language: the chosen file's name beside the "Choose a file" button.
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("input.eiso-file-input")) return;
    var name = el.parentNode.querySelector(".eiso-file-name");
    if (!name) return;
    var names = Array.from(el.files || []).map(function (f) { return f.name; });
    name.textContent = names.length ? names.join(", ") : name.getAttribute("data-empty");
    name.classList.toggle("text-body-secondary", !names.length);
  });

  // Dates typed as 31122026 or 31-12-2026 read as 31/12/2026 (the server parses dd/mm/yyyy).
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("input[data-eiso-date]")) return;
    var v = el.value.trim();
    var m = /^(\d{1,2})[.\-\s](\d{1,2})[.\-\s](\d{4})$/.exec(v) || /^(\d{2})(\d{2})(\d{4})$/.exec(v);
    if (m) el.value = ("0" + m[1]).slice(-2) + "/" + ("0" + m[2]).slice(-2) + "/" + m[3];
  }, true);

  // Ask before destructive actions: <form data-confirm="Remove this member?">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
})();
