// Export progress: poll the export's status and update the progress bar until the ZIP is ready.
// Without JavaScript, the page refreshes itself every two seconds instead (a <noscript> meta tag).
(function () {
  "use strict";
  var root = document.getElementById("export-progress");
  if (!root) { return; }
  var bar = document.getElementById("export-bar");
  var text = document.getElementById("export-text");
  var link = document.getElementById("export-download");
  var url = root.getAttribute("data-status-url");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        bar.max = job.total || 1;
        bar.value = job.done;
        bar.textContent = job.percent + "%";
        if (job.status === "done") {
          text.textContent = "Ready: " + job.total + " of " + job.total + ".";
          link.hidden = false;
        } else if (job.status === "failed") {
          text.textContent = "The export failed: " + (job.error || "try again with a smaller selection.");
        } else {
          text.textContent = job.done + " of " + job.total + " so far…" + (job.error ? " " + job.error : "");
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  if (!link || link.hidden) { poll(); }
})();
