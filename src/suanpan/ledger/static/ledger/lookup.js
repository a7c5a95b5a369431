// Suggestions under a text box as you type (any input with data-lookup="URL"): the server
// answers <li role="option" data-value="…"> rows for ?q=…, best match first. ↓ and ↑ move,
// Enter or Tab takes the highlighted one, Escape closes. Enter is left to the page after
// taking a suggestion, so the voucher grid still moves on to the next cell; it never submits.
(function () {
  "use strict";
  const WAIT_MS = 120;
  let list = null;
  let input = null;
  let timer = 0;
  let asked = 0;

  function listbox() {
    if (list) return list;
    list = document.createElement("ul");
    list.id = "sp-lookup";
    list.className = "dropdown-menu shadow-sm";
    list.setAttribute("role", "listbox");
    list.style.position = "absolute";
    list.style.maxHeight = "18rem";
    list.style.overflowY = "auto";
    list.style.zIndex = "1080";
    // A click takes the option without taking focus from the box first.
    list.addEventListener("mousedown", (event) => {
      const option = event.target.closest("[role=option]");
      event.preventDefault();
      if (option) take(option);
    });
    document.body.appendChild(list);
    return list;
  }
  function options() {
    return list ? Array.from(list.querySelectorAll("[role=option]")) : [];
  }
  function isOpen() {
    return Boolean(list && list.classList.contains("show"));
  }
  function close() {
    asked += 1; // answers still on their way are dropped
    clearTimeout(timer);
    if (list) {
      list.classList.remove("show");
      list.replaceChildren();
    }
    if (input) {
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }
  }
  function highlighted() {
    return options().findIndex((option) => option.classList.contains("active"));
  }
  function highlight(index) {
    options().forEach((option, i) => {
      option.classList.toggle("active", i === index);
      option.setAttribute("aria-selected", i === index ? "true" : "false");
      if (i === index) {
        input.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    });
  }
  function take(option) {
    const box = input;
    box.value = option.dataset.value;
    close();
    box.dispatchEvent(new Event("change", { bubbles: true }));
  }
  async function suggest(box) {
    const ticket = ++asked;
    const url = new URL(box.dataset.lookup, window.location.href);
    url.searchParams.set("q", box.value);
    let html;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) return;
      html = await response.text();
    } catch (_error) {
      return; // offline or refused: the box still takes what is typed
    }
    if (ticket !== asked || document.activeElement !== box) return;
    input = box;
    const target = listbox();
    target.innerHTML = html;
    const rect = box.getBoundingClientRect();
    target.style.left = `${rect.left + window.scrollX}px`;
    target.style.top = `${rect.bottom + window.scrollY}px`;
    target.style.minWidth = `${rect.width}px`;
    target.classList.add("show");
    box.setAttribute("aria-expanded", "true");
    if (options().length) highlight(0);
  }

  document.addEventListener("input", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.lookup) return;
    clearTimeout(timer);
    if (!box.value.trim()) {
      close();
      return;
    }
    timer = setTimeout(() => suggest(box), WAIT_MS);
  });
  // Capturing: the list acts on a key before the page (the grid's Enter) sees it.
  document.addEventListener(
    "keydown",
    (event) => {
      const box = event.target;
      if (!(box instanceof HTMLInputElement) || !box.dataset.lookup) return;
      if (!isOpen() || box !== input) {
        if (event.key === "ArrowDown" && box.value.trim()) {
          event.preventDefault();
          suggest(box);
        }
        return;
      }
      const count = options().length;
      const index = highlighted();
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        event.stopPropagation();
        if (!count) return;
        const step = event.key === "ArrowDown" ? 1 : -1;
        highlight((index + step + count) % count);
      } else if (event.key === "Enter" || event.key === "Tab") {
        if (index >= 0) {
          if (event.key === "Enter") event.preventDefault();
          take(options()[index]);
        } else {
          close();
        }
      } else if (event.key === "Escape") {
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    },
    true,
  );
  document.addEventListener("focusout", (event) => {
    if (event.target === input) close();
  });
  window.addEventListener("resize", close);
  // The boxes name the list in aria-controls from the start, so it exists (hidden) from the start.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", listbox);
  } else {
    listbox();
  }
})();
