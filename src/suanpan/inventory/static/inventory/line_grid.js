// The line grid of goods receipts and stock adjustments: add and remove rows, pick products
// from GET /products/search/?q= (code, name, pinyin or initials), show each line's cost.
// Without this script the grid still works: type the product code into the product field.
(function () {
  "use strict";

  function decimal(text) {
    const value = parseFloat(String(text || "").replace(/,/g, ""));
    return Number.isFinite(value) ? value : null;
  }

  function money(value) {
    // A preview only: the server rounds half up to the fen with exact decimals.
    return value.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  }

  function setUp(grid) {
    const prefix = grid.dataset.prefix;
    const searchUrl = grid.dataset.searchUrl;
    const form = grid.closest("form");
    const total = form.querySelector(`input[name="${prefix}-TOTAL_FORMS"]`);
    const template = form.querySelector("template.sp-line-template");
    const body = grid.querySelector("tbody");

    function recalc() {
      let sum = 0;
      let any = false;
      body.querySelectorAll("tr.sp-line").forEach(function (row) {
        const qty = decimal(row.querySelector('input[name$="-quantity"]').value);
        const cost = decimal(row.querySelector('input[name$="-unit_cost"]').value);
        const cell = row.querySelector(".sp-line-amount");
        if (qty !== null && cost !== null) {
          const amount = Math.round(qty * cost * 100) / 100;
          cell.textContent = money(amount);
          sum += amount;
          any = true;
        } else {
          cell.textContent = "";
        }
      });
      grid.querySelector(".sp-line-total").textContent = any ? money(sum) : "";
    }

    function addRow() {
      const index = parseInt(total.value, 10);
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      const row = body.lastElementChild;
      row.querySelector(".sp-product-picker").focus();
      return row;
    }

    // The matches form a listbox the product cell controls: arrows move the highlight, which
    // aria-activedescendant and aria-selected announce; Enter takes it, Escape closes.
    function setOpen(input, list, open) {
      list.classList.toggle("show", open);
      input.setAttribute("aria-expanded", String(open));
      if (!open) {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function highlight(input, list, index) {
      const items = Array.from(list.querySelectorAll("[role=option]"));
      items.forEach(function (item, at) {
        item.classList.toggle("active", at === index);
        item.setAttribute("aria-selected", String(at === index));
      });
      if (items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(input, p) {
      const row = input.closest("tr");
      const list = row.querySelector(".sp-product-results");
      row.querySelector('input[name$="-product"]').value = p.id;
      input.value = `${p.code} ${p.name}`;
      const cost = row.querySelector('input[name$="-unit_cost"]');
      if (cost && !cost.value && grid.dataset.fillCost !== "no") {
        // "800.000000" → "800": the API sends every decimal place.
        const text = String(p.standard_cost);
        cost.value = text.includes(".") ? text.replace(/\.?0+$/, "") : text;
      }
      setOpen(input, list, false);
      list.replaceChildren();
      recalc();
      row.querySelector('input[name$="-quantity"]').focus();
    }

    let timer = null;
    function search(input) {
      const row = input.closest("tr");
      const list = row.querySelector(".sp-product-results");
      row.querySelector('input[name$="-product"]').value = "";
      clearTimeout(timer);
      const query = input.value.trim();
      if (!query) {
        setOpen(input, list, false);
        return;
      }
      timer = setTimeout(function () {
        fetch(`${searchUrl}?q=${encodeURIComponent(query)}&limit=10`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (products) {
            list.replaceChildren();
            products
              .filter(function (p) { return p.kind === "goods"; })
              .forEach(function (p, index) {
                const item = document.createElement("li");
                item.className = "dropdown-item";
                item.id = `${list.id}-${index}`;
                item.setAttribute("role", "option");
                item.setAttribute("aria-selected", "false");
                item.textContent = `${p.code} ${p.name}${p.specification ? " " + p.specification : ""} (${p.unit})`;
                item._product = p;
                item.addEventListener("mousedown", function (event) {
                  event.preventDefault();
                  choose(input, p);
                });
                list.appendChild(item);
              });
            setOpen(input, list, list.children.length > 0);
            highlight(input, list, 0);
          })
          .catch(function () { setOpen(input, list, false); });
      }, 250);
    }

    grid.addEventListener("keydown", function (event) {
      const input = event.target;
      if (!input.classList || !input.classList.contains("sp-product-picker")) {
        return;
      }
      const list = input.closest("tr").querySelector(".sp-product-results");
      if (!list.classList.contains("show")) {
        return;
      }
      const items = Array.from(list.querySelectorAll("[role=option]"));
      const index = items.findIndex(function (item) {
        return item.getAttribute("aria-selected") === "true";
      });
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        highlight(input, list, (index + step + items.length) % items.length);
      } else if (event.key === "Enter" && items[index]) {
        event.preventDefault();
        choose(input, items[index]._product);
      } else if (event.key === "Escape") {
        setOpen(input, list, false);
      }
    });

    grid.addEventListener("input", function (event) {
      if (event.target.classList.contains("sp-product-picker")) {
        search(event.target);
      } else {
        recalc();
      }
    });
    grid.addEventListener("click", function (event) {
      const remove = event.target.closest(".sp-line-remove");
      if (remove) {
        // Emptied rows are ignored by the server, so indexes stay contiguous.
        const row = remove.closest("tr");
        row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
        row.hidden = true;
        recalc();
      }
      if (event.target.closest(".sp-line-add")) {
        addRow();
      }
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest(".sp-product-results")) {
        grid.querySelectorAll(".sp-product-results.show").forEach(function (l) {
          setOpen(l.closest("tr").querySelector(".sp-product-picker"), l, false);
        });
      }
    });
    recalc();
  }

  document.querySelectorAll("table.sp-line-grid").forEach(setUp);
})();
