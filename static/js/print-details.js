// Printing shows everything: folded <details> open for the print and fold again after.
// (The print CSS does the same through ::details-content where the browser supports it.)
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
  });
  window.addEventListener("afterprint", function () {
    opened.splice(0).forEach(function (details) { details.open = false; });
  });
})();
