// Customer picker: search as you type, arrow keys and Enter to choose, Escape to close.
(function () {
  if (window.spCustomerPicker) return;
  window.spCustomerPicker = true;

  function setUp(root) {
    if (root.dataset.ready) return;
    root.dataset.ready = "1";
    const text = root.querySelector(".sp-picker-text");
    const value = root.querySelector(".sp-picker-value");
    const results = root.querySelector(".sp-picker-results");
    let timer = null;
    let active = -1;
    // The highlighted match is announced through aria-activedescendant: focus stays in the box.
    results.id = results.id || text.id + "-results";
    text.setAttribute("aria-controls", results.id);

    function close() {
      results.hidden = true;
      text.setAttribute("aria-expanded", "false");
      text.removeAttribute("aria-activedescendant");
      active = -1;
    }
    function choose(item) {
      value.value = item.dataset.id;
      text.value = item.dataset.label;
      value.dispatchEvent(new Event("change", { bubbles: true }));
      close();
    }
    function highlight(index) {
      const items = results.querySelectorAll("[role=option]");
      items.forEach((b, i) => {
        b.classList.toggle("active", i === index);
        b.setAttribute("aria-selected", String(i === index));
      });
      active = index;
      if (items[index]) {
        text.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        text.removeAttribute("aria-activedescendant");
      }
    }
    function search() {
      const url = new URL(root.dataset.searchUrl, window.location.origin);
      url.searchParams.set("q", text.value.trim());
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then((r) => (r.ok ? r.json() : []))
        .then((rows) => {
          results.replaceChildren();
          rows.forEach((row, index) => {
            const b = document.createElement("div");
            b.className = "list-group-item list-group-item-action";
            b.id = results.id + "-" + index;
            b.setAttribute("role", "option");
            b.setAttribute("aria-selected", "false");
            b.dataset.id = row.id;
            b.dataset.label = row.name + " (" + row.number + ")";
            b.textContent = b.dataset.label;
            b.addEventListener("mousedown", (e) => { e.preventDefault(); choose(b); });
            results.appendChild(b);
          });
          results.hidden = rows.length === 0;
          text.setAttribute("aria-expanded", rows.length ? "true" : "false");
          highlight(rows.length ? 0 : -1);
        })
        .catch(close);
    }
    text.addEventListener("input", () => {
      value.value = "";
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    text.addEventListener("focus", () => { if (!value.value) search(); });
    text.addEventListener("blur", () => setTimeout(close, 150));
    text.addEventListener("keydown", (e) => {
      const items = results.querySelectorAll("[role=option]");
      if (e.key === "ArrowDown" && items.length) { e.preventDefault(); highlight(Math.min(active + 1, items.length - 1)); }
      else if (e.key === "ArrowUp" && items.length) { e.preventDefault(); highlight(Math.max(active - 1, 0)); }
      else if (e.key === "Enter" && !results.hidden && active >= 0) { e.preventDefault(); choose(items[active]); }
      else if (e.key === "Escape") { close(); }
    });
  }
  function scan(node) { (node || document).querySelectorAll(".sp-picker").forEach(setUp); }
  document.addEventListener("DOMContentLoaded", () => scan());
  document.addEventListener("htmx:load", (e) => scan(e.target));
  if (document.readyState !== "loading") scan();
})();
