// The voucher list's batch actions: "select all on this page" ticks every voucher shown, the
// count follows the ticks, and the actions wait until something is ticked. The list is
// replaced by htmx as the filters change, so everything is wired by delegation.
(function () {
  "use strict";

  function refresh(form) {
    const boxes = form.querySelectorAll("input[name=ids]");
    const ticked = Array.from(boxes).filter(function (box) { return box.checked; }).length;
    const count = form.querySelector("[data-batch-count]");
    if (count) {
      count.textContent = String(ticked);
    }
    const all = form.querySelector("[data-select-all]");
    if (all) {
      all.checked = boxes.length > 0 && ticked === boxes.length;
      all.indeterminate = ticked > 0 && ticked < boxes.length;
    }
    form.querySelectorAll("[data-batch-needs]").forEach(function (button) {
      button.disabled = ticked === 0;
    });
  }

  document.addEventListener("change", function (event) {
    const form = event.target.closest("form[data-voucher-batch]");
    if (!form) {
      return;
    }
    if (event.target.matches("[data-select-all]")) {
      form.querySelectorAll("input[name=ids]").forEach(function (box) {
        box.checked = event.target.checked;
      });
    }
    refresh(form);
  });

  function refreshAll() {
    document.querySelectorAll("form[data-voucher-batch]").forEach(refresh);
  }

  document.addEventListener("DOMContentLoaded", refreshAll);
  document.addEventListener("htmx:load", refreshAll);
})();
