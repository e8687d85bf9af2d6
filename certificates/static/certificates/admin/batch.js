// Issuance batch page: polls the batch's progress JSON every second and updates the <progress> bar,
// the counters and the error list until the batch has finished.
(function () {
  "use strict";
  const root = document.querySelector("[data-certificate-batch]");
  if (!root) return;
  const url = root.dataset.progressUrl;
  const bar = root.querySelector("[data-batch-bar]");
  const errors = root.querySelector("[data-batch-errors]");
  const rerun = root.querySelector("[data-batch-rerun]");
  const INTERVAL = 1000;
  const FAILED_INTERVAL = 5000;

  function render(state) {
    root.dataset.status = state.status;
    bar.max = Math.max(state.total, 1);
    bar.value = state.done;
    bar.textContent = state.percent + "%";
    for (const field of ["status_label", "done", "total", "issued", "failed"]) {
      const el = root.querySelector(`[data-batch-field="${field}"]`);
      if (el) el.textContent = String(state[field]);
    }
    if (state.errors.length) {
      errors.replaceChildren(
        ...state.errors.map((e) => {
          const li = document.createElement("li");
          li.textContent = `#${e.item}: ${e.error}`;
          return li;
        }),
      );
    }
    if (rerun) rerun.hidden = state.status === "finished";
  }

  async function poll() {
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (response.redirected) return; // signed out: the admin sent the login page
      if (response.ok) {
        const state = await response.json();
        render(state);
        if (state.status === "finished") return;
      }
    } catch (err) {
      // network hiccup: try again on the next tick
    }
    // a failed batch is watched more slowly (it moves again only when someone runs it again)
    window.setTimeout(poll, root.dataset.status === "failed" ? FAILED_INTERVAL : INTERVAL);
  }

  if (root.dataset.status !== "finished") {
    window.setTimeout(poll, INTERVAL);
  }
})();
