// Ask before destructive actions: any form or button with data-confirm="…".
document.addEventListener("submit", function (event) {
  const form = event.target;
  const message = form.dataset.confirm || (event.submitter && event.submitter.dataset.confirm);
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// After a failed save the page comes back with the form's errors: focus lands on the first
// field in error (or on the error summary when no field is marked), not on the page body, so a
// keyboard or screen reader user starts where the correction is needed.
(function () {
  "use strict";

  const INVALID = "[aria-invalid=true], .is-invalid";

  function focusFirstError(root) {
    const summary = root.querySelector("[data-sp-error-summary]");
    let field = null;
    root.querySelectorAll("form").forEach(function (form) {
      if (field || (form.method || "").toLowerCase() !== "post") {
        return;
      }
      field = Array.from(form.querySelectorAll(INVALID)).find(function (el) {
        return !el.disabled && el.type !== "hidden" && el.getClientRects().length > 0;
      }) || null;
    });
    const target = field || summary;
    if (target) {
      target.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusFirstError(document);
  });
  document.addEventListener("htmx:load", function (event) {
    if (event.target !== document.body) {
      focusFirstError(event.target);
    }
  });
})();

// The language switch submits when a choice is made with the mouse, or with the keyboard on
// Enter or when leaving the select: arrow keys only browse the languages.
(function () {
  "use strict";

  document.querySelectorAll("form[data-sp-language]").forEach(function (form) {
    const select = form.querySelector("select");
    const chosen = select.value;
    let keyed = false;

    function submitIfChanged() {
      if (select.value !== chosen) {
        form.requestSubmit();
      }
    }

    select.addEventListener("keydown", function (event) {
      keyed = true;
      if (event.key === "Enter") {
        event.preventDefault();
        submitIfChanged();
      }
    });
    select.addEventListener("pointerdown", function () {
      keyed = false;
    });
    select.addEventListener("change", function () {
      if (!keyed) {
        submitIfChanged();
      }
    });
    select.addEventListener("blur", submitIfChanged);
  });
})();

// A table wider than its box scrolls sideways inside it (.table-responsive); keyboard users
// reach that scrolling only if the box takes focus, so a box that overflows gets a Tab stop
// and the name of its table.
(function () {
  "use strict";

  function scrollersFocusable(root) {
    root.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        const table = box.querySelector("table");
        const caption = table && table.caption ? table.caption.textContent.trim() : "";
        const label = table && table.getAttribute("aria-label");
        box.setAttribute("aria-label", label || caption || document.title);
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    scrollersFocusable(document);
  });
  window.addEventListener("resize", function () {
    scrollersFocusable(document);
  });
  document.addEventListener("htmx:load", function (event) {
    scrollersFocusable(event.target);
  });
})();

// Behaviour the templates declare with data attributes, so that pages need no inline
// handlers and the Content-Security-Policy can refuse inline script.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
