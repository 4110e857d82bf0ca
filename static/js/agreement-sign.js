// Signing page: keep the sign button disabled until the signer has scrolled to the end of the
// agreement, and tell the server (once) when they got there, for the audit trail. Without
// JavaScript the button stays enabled; the server still requires consent and the typed name.
//
// On a wide screen the agreement sits in a scroll box; on a phone (app.css) it flows in the
// page. Which one applies is read from the box's computed style at each scroll, so turning a
// tablet keeps it right: the end is reached when the "End of the agreement" line is inside
// whichever area scrolls, the box or the window. A resize alone does not count: a browser that
// lays the page out taller (a full-page screenshot, a zoom) has not been read any further.
(function () {
  "use strict";
  var form = document.getElementById("sign-form");
  var end = document.getElementById("agreement-end");
  var box = document.getElementById("agreement-scroll");
  var button = document.getElementById("sign-button");
  var hint = document.getElementById("sign-hint");
  if (!form || !end || !box || !button) { return; }
  var reported = false;
  var SLACK = 8; // pixels: rounding of fractional layouts must not keep the end out of reach
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
    stopListening();
    var token = form.querySelector("input[name=csrf_token]");
    var headers = { "X-Requested-With": "fetch" };
    if (token) { headers["X-CSRFToken"] = token.value; }
    fetch(form.getAttribute("data-read-url"), {
      method: "POST", credentials: "same-origin", headers: headers
    }).catch(function () { /* the signature still records when the page was opened */ });
  }

  function scrollsInBox() {
    return window.getComputedStyle(box).overflowY !== "visible";
  }

  function endIsVisible() {
    var bottom = end.getBoundingClientRect().bottom;
    if (scrollsInBox()) {
      var area = box.getBoundingClientRect();
      // The box's own end, and the box itself on screen (not scrolled off above or below).
      var boxAtEnd = box.scrollTop + box.clientHeight >= box.scrollHeight - SLACK;
      return boxAtEnd && bottom <= area.bottom + SLACK && area.top < window.innerHeight;
    }
    return bottom <= window.innerHeight + SLACK;
  }

  function check() {
    if (endIsVisible()) { reachedEnd(); }
  }

  function stopListening() {
    box.removeEventListener("scroll", check);
    window.removeEventListener("scroll", check);
  }

  box.addEventListener("scroll", check, { passive: true });
  window.addEventListener("scroll", check, { passive: true });
  check();
})();
