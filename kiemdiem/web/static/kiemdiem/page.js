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
  // A wide table scrolls inside its frame on a phone; a keyboard user must be able to
  // reach and scroll it too (WCAG 2.1.1; axe "scrollable-region-focusable", issue 15 §7).
  document.querySelectorAll(".tablewrap").forEach(function (frame) {
    if (frame.scrollWidth > frame.clientWidth && !frame.hasAttribute("tabindex")) {
      frame.setAttribute("tabindex", "0");
      frame.setAttribute("role", "region");
      frame.setAttribute("aria-label", "Bảng (vuốt ngang để xem hết)");
    }
  });
})();
