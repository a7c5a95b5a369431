// The voucher entry grid: Enter moves across cells, a key adds a row, totals update as you type.
(function () {
  "use strict";
  const form = document.getElementById("voucher-entry");
  if (!form) return;
  const body = document.getElementById("voucher-lines");
  const template = document.getElementById("voucher-line-template");
  const totalForms = form.querySelector("input[name$='-TOTAL_FORMS']");
  const debitTotal = document.getElementById("voucher-debit-total");
  const creditTotal = document.getElementById("voucher-credit-total");
  const difference = document.getElementById("voucher-difference");

  // Amounts in fen, as integers: adding decimals in floating point drifts.
  function fen(text) {
    const clean = String(text || "").replace(/[,\s]/g, "");
    if (!/^-?\d*(\.\d{0,2})?$/.test(clean) || clean === "" || clean === "-") return 0;
    const negative = clean.startsWith("-");
    const [whole, part = ""] = clean.replace("-", "").split(".");
    const value = Number(whole || "0") * 100 + Number((part + "00").slice(0, 2));
    return negative ? -value : value;
  }
  function yuan(value) {
    const negative = value < 0;
    const abs = Math.abs(value);
    const whole = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    const cents = String(abs % 100).padStart(2, "0");
    return (negative ? "-" : "") + whole + "." + cents;
  }
  function sums() {
    let debit = 0, credit = 0;
    body.querySelectorAll("[data-debit]").forEach((el) => { debit += fen(el.value); });
    body.querySelectorAll("[data-credit]").forEach((el) => { credit += fen(el.value); });
    return { debit, credit };
  }
  function refresh() {
    const { debit, credit } = sums();
    debitTotal.textContent = yuan(debit);
    creditTotal.textContent = yuan(credit);
    const diff = debit - credit;
    if (diff === 0) {
      difference.textContent = debit ? difference.dataset.labelBalanced : "";
      difference.className = "ms-3 small text-success";
    } else {
      difference.textContent = difference.dataset.labelDifference + " " + yuan(diff);
      difference.className = "ms-3 small text-danger";
    }
    body.querySelectorAll("[data-row]").forEach((row, i) => {
      row.querySelector(".sp-line-no").textContent = i + 1;
    });
  }
  function addRow() {
    const index = Number(totalForms.value);
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    body.insertAdjacentHTML("beforeend", html);
    totalForms.value = String(index + 1);
    const row = body.lastElementChild;
    if (window.htmx) window.htmx.process(row);
    refresh();
    return row;
  }
  function cells() {
    return Array.from(body.querySelectorAll("[data-cell]"));
  }

  form.addEventListener("input", (event) => {
    if (event.target.matches("[data-debit], [data-credit]")) refresh();
  });
  document.getElementById("voucher-add-line").addEventListener("click", () => {
    addRow().querySelector("[data-cell]").focus();
  });
  body.addEventListener("keydown", (event) => {
    const target = event.target;
    if (!target.matches("[data-cell]")) return;
    if (event.key === "Insert" || (event.key === "Enter" && (event.ctrlKey || event.metaKey))) {
      event.preventDefault();
      addRow().querySelector("[data-cell]").focus();
      return;
    }
    // "=" in an amount cell: the amount that balances the voucher.
    if (event.key === "=" && target.matches("[data-debit], [data-credit]")) {
      event.preventDefault();
      const own = fen(target.value);
      const { debit, credit } = sums();
      const missing = target.matches("[data-debit]") ? credit - (debit - own) : debit - (credit - own);
      target.value = missing ? (missing / 100).toFixed(2) : "";
      refresh();
      return;
    }
    if (event.key === "Enter") {
      event.preventDefault();
      const all = cells();
      const position = all.indexOf(target);
      if (position === all.length - 1) {
        addRow().querySelector("[data-cell]").focus();
      } else {
        all[position + 1].focus();
      }
    }
  });
  refresh();
})();
