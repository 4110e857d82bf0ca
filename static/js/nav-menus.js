/* The menus of the main bar are <details> elements, which open and close without JavaScript.
   This adds what people expect of a menu: one open at a time, closed by Escape (focus back on
   its button) or by a click anywhere else. */
(function () {
  "use strict";
  var menus = Array.prototype.slice.call(document.querySelectorAll("details.nav-menu-details"));
  if (!menus.length) return;
  menus.forEach(function (menu) {
    menu.addEventListener("toggle", function () {
      if (!menu.open) return;
      menus.forEach(function (other) { if (other !== menu) other.open = false; });
    });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    menus.forEach(function (menu) {
      if (!menu.open) return;
      menu.open = false;
      if (menu.contains(document.activeElement)) menu.querySelector("summary").focus();
    });
  });
  document.addEventListener("click", function (event) {
    menus.forEach(function (menu) {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  });
})();
