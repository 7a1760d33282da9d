// Behaviour the pages share, kept out of the HTML so the Content-Security-Policy can forbid
// inline script (issue 13 §3): print buttons and a field whose text is selected on focus.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  document.querySelectorAll("[data-select-on-focus]").forEach(function (field) {
    field.addEventListener("focus", function () { field.select(); });
  });
})();
