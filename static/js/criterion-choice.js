// Once a level is chosen in a criterion the server marked in error, the criterion is no longer
// in error: its red border, message and aria-invalid go (the stylesheet's :has() rules do the
// same for the look where scripts do not run).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    var criterion = input.closest && input.closest("fieldset.criterion");
    if (!criterion || input.type !== "radio" || !input.checked) { return; }
    criterion.classList.remove("border-danger");
    criterion.removeAttribute("aria-describedby");
    criterion.querySelectorAll(".is-invalid").forEach(function (choice) {
      choice.classList.remove("is-invalid");
      choice.removeAttribute("aria-invalid");
    });
    criterion.querySelectorAll(".field-error").forEach(function (message) { message.hidden = true; });
  });
})();
