// The pipeline board: drag a card into another column to move the opportunity there.
// The move is posted with htmx and the server answers with the whole board, re-rendered from
// the database: a refused move snaps back with its message, a move into a lost stage comes back
// with the loss-reason dialog. Without JavaScript each card's own "move to" form does the same.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }

  function boardInit() {
    const board = document.getElementById("board");
    if (!board || !window.Sortable || !window.htmx || board.dataset.canMove !== "1") {
      return;
    }
    board.querySelectorAll(".sp-board-cards").forEach(function (list) {
      if (list.dataset.sortable) {
        return;
      }
      list.dataset.sortable = "1";
      window.Sortable.create(list, {
        group: "opportunities",
        draggable: ".sp-card",
        // Cards are ordered by expected close date; only moves between columns mean something.
        sort: false,
        animation: 150,
        // Let the card's links and its move form work as usual.
        filter: "a, select, button, input, textarea",
        preventOnFilter: false,
        onEnd: function (event) {
          if (event.from === event.to) {
            return;
          }
          board.setAttribute("aria-busy", "true");
          window.htmx.ajax("POST", event.item.dataset.moveUrl, {
            source: board,
            target: "#board",
            swap: "outerHTML",
            headers: { "X-CSRFToken": csrfToken() },
            values: { stage: event.to.dataset.stage },
          });
        },
      });
    });
    const reason = board.querySelector("#id_loss_reason");
    if (reason) {
      reason.focus();
    }
  }

  document.addEventListener("DOMContentLoaded", boardInit);
  document.addEventListener("htmx:afterSettle", boardInit);
  // A request that fails outright (network, server error) would leave a dragged card where it
  // was dropped: reload the board so it shows what is stored.
  function boardReload() {
    if (document.getElementById("board")) {
      window.location.reload();
    }
  }
  document.addEventListener("htmx:responseError", boardReload);
  document.addEventListener("htmx:sendError", boardReload);
})();
