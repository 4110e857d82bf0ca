// A refused form's error summary takes the focus as the page loads, so a screen reader starts
// with every problem listed. Its autofocus attribute does that too, except when the address
// carries a #fragment (a form posted after the skip link was used ends at ".../assess#main"):
// the fragment's target then wins, so the focus is moved back here once the page has loaded.
(function () {
  "use strict";
  var summary = document.getElementById("error-summary");
  if (!summary) { return; }

  function focusSummary() {
    var active = document.activeElement;
    var stolen = !active || active === document.body || active.matches(":target");
    if (stolen && !summary.contains(active)) { summary.focus(); }
  }

  focusSummary();
  window.addEventListener("load", focusSummary);
})();
