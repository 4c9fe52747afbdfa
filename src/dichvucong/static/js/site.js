// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary so screen readers announce it after a failed submit.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }

  // Registration: show the organisation fields only when "Tổ chức" is chosen.
  var form = document.querySelector("[data-account-kind-form]");
  if (form) {
    var orgOnly = form.querySelector("[data-org-only]");
    var radios = form.querySelectorAll("input[name=account_kind]");
    var sync = function () {
      var checked = form.querySelector("input[name=account_kind]:checked");
      var isOrg = checked && checked.value === "organisation";
      if (orgOnly) { orgOnly.hidden = !isOrg; }
    };
    radios.forEach(function (radio) { radio.addEventListener("change", sync); });
    sync();
  }
})();
(function () {
  "use strict";
  // "In biên nhận": only shown when JavaScript can print.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // A button that submits once: a double click sends one request (the server is idempotent too).
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("[data-once]");
      if (button) { setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
})();
