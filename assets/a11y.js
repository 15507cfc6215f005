/* Accessibility patches for Dash's own components (issue #10), loaded on every page.
 *
 * Dash 4's dcc.Dropdown puts its Tab stop on a hidden, aria-hidden <input> that forwards focus to
 * the real (named) button: axe flags it ("aria-hidden-focus") and a screen reader lands on an
 * unnamed field. The button becomes the Tab stop itself and the hidden input is taken out of the
 * focus order. dcc.Upload's hidden file <input> gets the name of its drop zone (its visible text).
 * Runs again whenever Dash renders new components.
 */
(function () {
  "use strict";

  function fixDropdowns(root) {
    root.querySelectorAll("input.dash-dropdown-focus-target:not([data-a11y])").forEach(function (input) {
      var button = input.nextElementSibling;
      if (!button || button.tagName !== "BUTTON") { return; }
      input.setAttribute("data-a11y", "1");
      input.disabled = true;
      input.tabIndex = -1;
      button.tabIndex = 0;
    });
  }

  function nameUploads(root) {
    root.querySelectorAll("input[type=file]:not([aria-label]):not([id])").forEach(function (input) {
      var zone = input.parentElement;
      var text = zone ? (zone.innerText || zone.textContent || "").trim() : "";
      if (text) { input.setAttribute("aria-label", text); }
    });
  }

  var scheduled = false;
  function schedule() {
    if (scheduled) { return; }
    scheduled = true;
    window.requestAnimationFrame(function () {
      scheduled = false;
      fixDropdowns(document);
      nameUploads(document);
    });
  }

  function start() {
    fixDropdowns(document);
    nameUploads(document);
    new MutationObserver(schedule).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
