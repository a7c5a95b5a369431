// Ask before destructive actions: any form or button with data-confirm="…".
document.addEventListener("submit", function (event) {
  const form = event.target;
  const message = form.dataset.confirm || (event.submitter && event.submitter.dataset.confirm);
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
