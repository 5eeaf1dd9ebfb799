// dangjian — small behaviours on top of htmx. No inline scripts (the CSP forbids them).
(function () {
  "use strict";

  // Ask before irreversible actions: <form data-confirm="..."> or <button data-confirm="...">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var submitter = event.submitter;
    var message = (submitter && submitter.dataset.confirm) || form.dataset.confirm;
    if (message && !window.confirm(message)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);

  // Elder mode: larger type and touch targets, remembered on this device.
  function applyElder() {
    var on = window.localStorage && localStorage.getItem("dj-elder") === "1";
    document.body.classList.toggle("dj-elder", !!on);
    document.querySelectorAll("[data-elder-toggle]").forEach(function (el) {
      el.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-elder-toggle]");
    if (!toggle) return;
    event.preventDefault();
    var on = localStorage.getItem("dj-elder") === "1";
    localStorage.setItem("dj-elder", on ? "0" : "1");
    applyElder();
  });

  // Copy buttons (temporary passwords, backup codes).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button || !navigator.clipboard) return;
    var target = document.querySelector(button.dataset.copy);
    if (!target) return;
    navigator.clipboard.writeText(target.textContent.trim()).then(function () {
      button.textContent = button.dataset.copied || "✓";
    });
  });

  // Show the fields an event kind needs, hide the others.
  function syncEventFields(select) {
    var kind = select.value;
    document.querySelectorAll("[data-for-kinds]").forEach(function (el) {
      var kinds = el.dataset.forKinds.split(" ");
      el.hidden = kinds.indexOf(kind) === -1;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-event-kind]")) syncEventFields(event.target);
  });

  // A failed htmx request shows a retry message instead of failing silently.
  document.body.addEventListener("htmx:responseError", function (event) {
    var target = event.detail.target;
    if (target && target.dataset.errorText) {
      target.innerHTML = '<div class="dj-empty"><i class="bi bi-exclamation-circle"></i>' +
        '<h2>' + target.dataset.errorText + '</h2></div>';
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    applyElder();
    var select = document.querySelector("[data-event-kind]");
    if (select) syncEventFields(select);
  });
})();
