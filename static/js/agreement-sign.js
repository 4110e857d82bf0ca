// Signing page: keep the sign button disabled until the signer has scrolled to the end of the
// agreement, and tell the server (once) when they got there, for the audit trail. Without
// JavaScript the button stays enabled; the server still requires consent and the typed name.
(function () {
  "use strict";
  var form = document.getElementById("sign-form");
  var end = document.getElementById("agreement-end");
  var box = document.getElementById("agreement-scroll");
  var button = document.getElementById("sign-button");
  var hint = document.getElementById("sign-hint");
  if (!form || !end || !box || !button) { return; }
  var reported = false;
  button.setAttribute("aria-describedby", "sign-hint");
  if (hint) { hint.hidden = false; }
  // After a refused submit the server says the signer already read to the end: no re-reading.
  if (form.getAttribute("data-already-read") === "true") {
    reported = true;
    canSign();
    return;
  }
  button.disabled = true;

  function canSign() {
    button.disabled = false;
    // #sign-hint sits in a role=status live region, so the change is announced.
    if (hint) { hint.textContent = "You have reached the end of the agreement. You can sign now."; }
  }

  function reachedEnd() {
    if (reported) { return; }
    reported = true;
    canSign();
    var token = form.querySelector("input[name=csrf_token]");
    var headers = { "X-Requested-With": "fetch" };
    if (token) { headers["X-CSRFToken"] = token.value; }
    fetch(form.getAttribute("data-read-url"), {
      method: "POST", credentials: "same-origin", headers: headers
    }).catch(function () { /* the signature still records when the page was opened */ });
  }

  function check() {
    if (box.scrollTop + box.clientHeight >= box.scrollHeight - 8) { reachedEnd(); }
  }

  if ("IntersectionObserver" in window) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { if (entry.isIntersecting) { reachedEnd(); observer.disconnect(); } });
    }, { root: box, threshold: 1.0 });
    observer.observe(end);
  }
  box.addEventListener("scroll", check, { passive: true });
  check();
})();
