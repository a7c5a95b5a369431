// Ask before destructive actions: any form or button with data-confirm="…".
document.addEventListener("submit", function (event) {
  const form = event.target;
  const message = form.dataset.confirm || (event.submitter && event.submitter.dataset.confirm);
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Behaviour the templates declare with data attributes, so that pages need no inline
// handlers and the Content-Security-Policy can refuse inline script.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
document.addEventListener("change", function (event) {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) {
    field.form.submit();
  }
});
