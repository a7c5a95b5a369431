// The line-entry grid of priced documents (sales/includes/line_grid.html).
// Keyboard first: Enter moves to the next cell (Enter on the last cell adds a line), the
// product cell searches the catalogue as you type (arrows pick, Enter takes). The amounts are
// never computed here: every change asks the server's preview (htmx) for them.
(function () {
  "use strict";

  const CELLS = "input:not([type=hidden])";

  function rows(grid) {
    return Array.from(grid.querySelectorAll(".sp-line-rows > .sp-line-row"));
  }

  function changed(grid) {
    const totals = grid.querySelector("[id$='-totals']");
    if (totals && window.htmx) {
      window.htmx.trigger(totals, "sp-lines-changed");
    }
  }

  // Names, ids (Django's "id_" ones too) and every reference to them follow the row's
  // position: prefix-N-field. A row copied from the template starts as prefix-__prefix__-.
  const REFERENCES = ["name", "id", "for", "aria-labelledby", "aria-describedby", "aria-controls"];

  function renumber(grid) {
    const prefix = grid.dataset.prefix;
    const pattern = new RegExp("^(id_)?" + prefix + "-(\\d+|__prefix__)-");
    rows(grid).forEach(function (row, index) {
      row.querySelector(".sp-line-no").textContent = String(index + 1);
      row.querySelectorAll("*").forEach(function (el) {
        REFERENCES.forEach(function (attr) {
          const value = el.getAttribute(attr);
          if (!value) {
            return;
          }
          const renamed = value.split(" ").map(function (token) {
            return token.replace(pattern, function (_match, id) {
              return (id || "") + prefix + "-" + index + "-";
            });
          }).join(" ");
          if (renamed !== value) {
            el.setAttribute(attr, renamed);
          }
        });
      });
    });
    grid.querySelector("input[name='" + prefix + "-TOTAL_FORMS']").value = String(rows(grid).length);
  }

  function addRow(grid) {
    const template = grid.querySelector("template.sp-line-template");
    const fragment = template.content.cloneNode(true);
    grid.querySelector(".sp-line-rows").appendChild(fragment);
    renumber(grid);
    const all = rows(grid);
    return all[all.length - 1];
  }

  function isBlank(row) {
    return Array.from(row.querySelectorAll("input")).every(function (input) {
      return input.value.trim() === "";
    });
  }

  // A new empty row appears as soon as the last one holds something.
  function keepEmptyRowAtEnd(grid) {
    const all = rows(grid);
    if (all.length === 0 || !isBlank(all[all.length - 1])) {
      addRow(grid);
    }
  }

  function removeRow(grid, row) {
    const next = row.nextElementSibling || row.previousElementSibling;
    row.remove();
    if (rows(grid).length === 0) {
      addRow(grid);
    }
    renumber(grid);
    keepEmptyRowAtEnd(grid);
    changed(grid);
    const target = next && next.isConnected ? next : rows(grid)[0];
    target.querySelector(CELLS).focus();
  }

  function nextCell(grid, input) {
    const cells = Array.from(grid.querySelectorAll(".sp-line-rows " + CELLS));
    const index = cells.indexOf(input);
    if (index === cells.length - 1) {
      return addRow(grid).querySelector(CELLS);
    }
    return cells[index + 1];
  }

  // Product search ---------------------------------------------------------------------------

  function describe(product) {
    const parts = [product.code, product.name];
    if (product.specification) {
      parts.push(product.specification);
    }
    return parts.join(" ");
  }

  function closeSuggestions(row) {
    const box = row.querySelector(".sp-line-suggestions");
    box.classList.add("d-none");
    box.innerHTML = "";
    const input = row.querySelector(".sp-line-product");
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  // The highlighted suggestion is announced: aria-selected on it, aria-activedescendant on
  // the product cell, whose focus never leaves it.
  function highlight(row, index) {
    const input = row.querySelector(".sp-line-product");
    const items = Array.from(row.querySelectorAll(".sp-line-suggestions [role=option]"));
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

  function pick(grid, row, product) {
    row.querySelector("input[name$='-product']").value = String(product.id);
    const label = row.querySelector(".sp-line-product");
    label.value = describe(product) + " / " + product.unit;
    label.classList.remove("is-invalid");
    closeSuggestions(row);
    const quantity = row.querySelector("input[name$='-quantity']");
    if (!quantity.value) {
      quantity.value = "1";
    }
    keepEmptyRowAtEnd(grid);
    changed(grid);
    quantity.focus();
    quantity.select();
  }

  function showSuggestions(grid, row, products) {
    const box = row.querySelector(".sp-line-suggestions");
    box.innerHTML = "";
    products.forEach(function (product, index) {
      const item = document.createElement("div");
      item.className = "list-group-item list-group-item-action py-1 small";
      item.id = box.id + "-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.textContent = describe(product) + " · " + product.unit + " · " + product.list_price;
      item.addEventListener("mousedown", function (event) {
        event.preventDefault();
        pick(grid, row, product);
      });
      item._product = product;
      box.appendChild(item);
    });
    box.classList.toggle("d-none", products.length === 0);
    row.querySelector(".sp-line-product").setAttribute("aria-expanded", String(products.length > 0));
    highlight(row, 0);
  }

  let searchTimer = null;
  let searchSeq = 0;

  function search(grid, row, text) {
    window.clearTimeout(searchTimer);
    if (text.trim() === "") {
      closeSuggestions(row);
      return;
    }
    searchTimer = window.setTimeout(function () {
      const seq = ++searchSeq;
      const url = grid.dataset.searchUrl + "?q=" + encodeURIComponent(text.trim());
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : [];
        })
        .then(function (data) {
          if (seq === searchSeq) {
            showSuggestions(grid, row, Array.isArray(data) ? data : data.results || []);
          }
        })
        .catch(function () {
          closeSuggestions(row);
        });
    }, 200);
  }

  function moveActive(row, step) {
    const items = Array.from(row.querySelectorAll(".sp-line-suggestions [role=option]"));
    if (items.length === 0) {
      return;
    }
    const index = items.findIndex(function (item) {
      return item.getAttribute("aria-selected") === "true";
    });
    highlight(row, (index + step + items.length) % items.length);
  }

  // Wiring -----------------------------------------------------------------------------------

  function init(grid) {
    if (grid.dataset.ready) {
      return;
    }
    grid.dataset.ready = "1";
    renumber(grid);
    keepEmptyRowAtEnd(grid);

    grid.addEventListener("keydown", function (event) {
      const input = event.target;
      if (!(input instanceof HTMLInputElement)) {
        return;
      }
      const row = input.closest(".sp-line-row");
      if (!row) {
        return;
      }
      const box = row.querySelector(".sp-line-suggestions");
      const open = input.classList.contains("sp-line-product") && !box.classList.contains("d-none");
      if (open && (event.key === "ArrowDown" || event.key === "ArrowUp")) {
        event.preventDefault();
        moveActive(row, event.key === "ArrowDown" ? 1 : -1);
        return;
      }
      if (open && event.key === "Escape") {
        closeSuggestions(row);
        return;
      }
      if (event.key === "Enter") {
        event.preventDefault(); // Enter never submits the document from inside the grid
        if (open) {
          const active = box.querySelector("[role=option][aria-selected=true]");
          if (active) {
            pick(grid, row, active._product);
          }
          return;
        }
        const target = nextCell(grid, input);
        target.focus();
        target.select();
      }
    });

    grid.addEventListener("input", function (event) {
      const input = event.target;
      const row = input.closest && input.closest(".sp-line-row");
      if (!row) {
        return;
      }
      if (input.classList.contains("sp-line-product")) {
        // Typing over a picked product un-picks it until another is chosen.
        row.querySelector("input[name$='-product']").value = "";
        search(grid, row, input.value);
        return;
      }
      keepEmptyRowAtEnd(grid);
      changed(grid);
    });

    grid.addEventListener("focusout", function (event) {
      const row = event.target.closest && event.target.closest(".sp-line-row");
      if (row && event.target.classList.contains("sp-line-product")) {
        window.setTimeout(function () {
          closeSuggestions(row);
        }, 150);
      }
    });

    grid.addEventListener("click", function (event) {
      const button = event.target.closest(".sp-line-remove, .sp-line-add");
      if (!button) {
        return;
      }
      if (button.classList.contains("sp-line-add")) {
        addRow(grid).querySelector(CELLS).focus();
      } else {
        removeRow(grid, button.closest(".sp-line-row"));
      }
    });

    // The tax basis of the whole document changes every line's amounts.
    const form = grid.closest("form");
    if (form) {
      form.addEventListener("change", function (event) {
        if (event.target.name === "price_includes_tax") {
          changed(grid);
        }
      });
    }
  }

  function initAll(root) {
    (root || document).querySelectorAll(".sp-line-grid").forEach(init);
  }

  document.addEventListener("DOMContentLoaded", function () {
    initAll(document);
  });
  document.addEventListener("htmx:load", function (event) {
    initAll(event.target);
  });
})();
