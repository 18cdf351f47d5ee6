// Pages of a file made in the background (a report, a prepared download): follow the build through the JSON status endpoint and show the progress.
(function () {
  "use strict";
  var box = document.getElementById("job-status");
  if (!box || box.dataset.finished === "yes") { return; }
  var bar = box.querySelector(".js-progress-bar");
  var meter = box.querySelector("[role=progressbar]");
  var label = box.querySelector(".js-status-label");
  var error = box.querySelector(".js-status-error");
  var download = box.querySelector(".js-download");
  var delay = 1000;

  function show(state) {
    var percent = Math.max(0, Math.min(100, state.progress | 0));
    bar.className = bar.className.replace(/\bw-pct-\d+\b/, "w-pct-" + percent);
    meter.setAttribute("aria-valuenow", String(percent));
    label.textContent = state.label;
    if (state.error) {
      error.textContent = state.error;
      error.classList.remove("d-none");
    }
    if (state.ready && state.download_url) {
      download.href = state.download_url;
      download.classList.remove("d-none");
    }
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        show(state);
        if (state.status === "failed") { window.location.reload(); return; }
        if (state.status !== "done") { delay = Math.min(delay * 1.3, 5000); window.setTimeout(poll, delay); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 500);
})();
