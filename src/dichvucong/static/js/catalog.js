// "Thủ tục hành chính": the "Lĩnh vực" options follow the chosen "Đơn vị" at once.
// Progressive enhancement: without this file (or if the list cannot be loaded) the page
// reloads on "Tìm kiếm" and the server lists the chosen agency's fields
// (catalog.forms.ProcedureFilterForm). The fields of every agency come from one small JSON
// file (catalog:fields_json) that the browser caches.
(function () {
  "use strict";
  var form = document.querySelector("[data-procedure-filter]");
  if (!form || !window.fetch) { return; }
  var agency = form.querySelector("select[name=don_vi]");
  var field = form.querySelector("select[name=linh_vuc]");
  if (!agency || !field) { return; }
  var allLabel = field.options.length ? field.options[0].text : "";
  var pending = null;

  function load() {
    if (!pending) {
      pending = fetch(form.getAttribute("data-fields-url"), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : null; })
        .catch(function () { return null; });
    }
    return pending;
  }

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  field.parentNode.appendChild(status);

  function rebuild(data, announce) {
    var chosen = agency.value;
    var current = field.value;
    var items = chosen ? (data[chosen] || []) : [];
    while (field.firstChild) { field.removeChild(field.firstChild); }
    field.appendChild(new Option(allLabel, ""));
    items.forEach(function (item) { field.appendChild(new Option(item[1], item[0])); });
    field.value = current;
    if (field.value !== current) { field.value = ""; }
    if (announce) {
      var message = form.getAttribute("data-fields-updated") || "{count}";
      status.textContent = message.replace("{count}", String(items.length));
    }
  }

  load().then(function (data) {
    if (!data) { return; }
    form.querySelectorAll(".no-js-only").forEach(function (node) { node.hidden = true; });
    // The browser may have restored another agency (back button): match its fields.
    rebuild(data, false);
  });
  agency.addEventListener("change", function () {
    load().then(function (data) { if (data) { rebuild(data, true); } });
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { load().then(function (data) { if (data) { rebuild(data, false); } }); }
  });
})();
