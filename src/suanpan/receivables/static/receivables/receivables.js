// Receivables pages: behaviour declared with data attributes (no inline script).
(function () {
  "use strict";
  if (window.spReceivables) return;
  window.spReceivables = true;

  // The 核销 screen: choosing a customer in the picker shows their open items.
  document.querySelectorAll("form[data-sp-submit-on-pick]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target.classList.contains("sp-picker-value") && event.target.value) {
        form.requestSubmit();
      }
    });
  });

  // The 核销 screen: the total ticked on each side, as the user ticks and types.
  function ticked(form) {
    form.querySelectorAll("[data-sp-side]").forEach(function (table) {
      let cents = 0;
      table.querySelectorAll("tbody tr").forEach(function (row) {
        const box = row.querySelector("input[type=checkbox]");
        const amount = row.querySelector("input[type=number]");
        if (box && box.checked && amount) {
          cents += Math.round((parseFloat(amount.value) || 0) * 100);
        }
      });
      const out = form.querySelector("[data-sp-ticked=" + table.dataset.spSide + "]");
      if (out) {
        out.textContent = cents ? (cents / 100).toLocaleString(undefined, { minimumFractionDigits: 2 }) : "";
      }
    });
  }
  document.querySelectorAll("form[data-sp-settle]").forEach(function (form) {
    form.addEventListener("input", function () { ticked(form); });
    form.addEventListener("change", function () { ticked(form); });
    ticked(form);
  });

  // The receipt form: the bill number and maturity only for an acceptance bill.
  document.querySelectorAll("form[data-sp-receipt-form]").forEach(function (form) {
    const method = form.querySelector("select[name=method]");
    const bill = form.querySelector("[data-sp-bill-fields]");
    if (!method || !bill) return;
    function toggle() {
      const shown = method.value === form.dataset.billMethod;
      const invalid = bill.querySelector(".sp-has-error");
      bill.hidden = !shown && !invalid;
    }
    method.addEventListener("change", toggle);
    toggle();
  });
})();
