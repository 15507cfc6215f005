/* Presentation mode (/presentation): moves between the slides of .pres-deck without a server
   round trip. Right arrow, Page Down, space, Enter or a click: next; left arrow, Page Up,
   Backspace, Shift+space or a click on the left third: previous; Home/End: first/last;
   F: full screen; Escape: back to the chooser (out of full screen first); on a touch screen a
   swipe left/right moves too. Enter and space keep their usual meaning on the toolbar's links
   and buttons. The address keeps ?slide=N (replaceState: the Dash router is not
   re-run, and Back leaves the deck rather than stepping through it), so a copied link opens
   the deck at that slide. Loaded on every page: does nothing unless a .pres-deck is present. */
(function () {
  "use strict";

  function deck() {
    return document.querySelector(".pres-deck");
  }

  function slideFromUrl() {
    var match = /[?&]slide=(\d+)/.exec(window.location.search);
    return match ? parseInt(match[1], 10) : null;
  }

  function withSlide(search, n) {
    var parts = search.replace(/^\?/, "").split("&").filter(function (p) {
      return p && p.indexOf("slide=") !== 0;
    });
    parts.push("slide=" + n);
    return "?" + parts.join("&");
  }

  // Larger chart type on larger screens (the layout fixes 15 px for a 768 px high laptop).
  function fitChart(slide) {
    var gd = slide.querySelector(".js-plotly-plot");
    var stage = slide.parentElement;
    if (!gd || !window.Plotly || !gd.data || !stage) {
      return;
    }
    // by the height on a projector or a laptop, by the width on a phone (the slide reflows)
    var size = Math.max(11, Math.min(24, Math.round(Math.min(stage.clientHeight / 50, stage.clientWidth / 30))));
    if (gd.getAttribute("data-font") === String(size)) {
      window.Plotly.Plots.resize(gd);
      return;
    }
    gd.setAttribute("data-font", String(size));
    window.Plotly.relayout(gd, {"font.size": size, "yaxis.tickfont.size": size});
    window.Plotly.restyle(gd, {"textfont.size": size});
  }

  function show(d, n) {
    var slides = d.querySelectorAll(".pres-slide");
    if (!slides.length) {
      return;
    }
    n = Math.max(1, Math.min(slides.length, n || 1));
    slides.forEach(function (s, i) {
      var on = i + 1 === n;
      s.classList.toggle("is-active", on);
      s.setAttribute("aria-hidden", on ? "false" : "true");
    });
    d.setAttribute("data-active", String(n));
    var counter = d.querySelector(".pres-counter");
    if (counter) {
      counter.textContent = n + " / " + slides.length;
    }
    var url = window.location.pathname + withSlide(window.location.search, n) + window.location.hash;
    if (url !== window.location.pathname + window.location.search + window.location.hash) {
      window.history.replaceState(window.history.state, "", url);
    }
    fitChart(slides[n - 1]);
  }

  function step(delta) {
    var d = deck();
    if (d) {
      show(d, parseInt(d.getAttribute("data-active") || "1", 10) + delta);
    }
  }

  function toggleFullscreen() {
    var d = deck();
    if (!d) {
      return;
    }
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (d.requestFullscreen) {
      d.requestFullscreen().catch(function () {});
    }
  }

  function init(d) {
    if (d.getAttribute("data-ready") === "1") {
      return;
    }
    d.setAttribute("data-ready", "1");
    show(d, slideFromUrl() || parseInt(d.getAttribute("data-active") || "1", 10));
    d.focus({preventScroll: true});
  }

  function typing(target) {
    return target && target.closest && target.closest("input, textarea, select, [contenteditable], .Select, .dash-dropdown");
  }

  function control(target) {
    return target && target.closest && target.closest("a, button");
  }

  // Escape: back to the chooser through the deck's own « Modifier » link (a Dash link: no reload).
  function leave(d) {
    var edit = d.querySelector(".pres-edit");
    if (edit) {
      edit.click();
    }
  }

  document.addEventListener("keydown", function (e) {
    var d = deck();
    if (!d || e.ctrlKey || e.altKey || e.metaKey || typing(e.target)) {
      return;
    }
    var key = e.key;
    var handled = true;
    if ((key === "Enter" || key === " ") && control(e.target)) {
      return; // activate the focused link or button, do not turn the slide
    }
    if (key === "Escape" || key === "Esc") {
      if (document.fullscreenElement) {
        return; // the browser leaves full screen
      }
      leave(d);
    } else if (key === "ArrowRight" || key === "PageDown" || key === "Enter" || (key === " " && !e.shiftKey)) {
      step(1);
    } else if (key === "ArrowLeft" || key === "PageUp" || key === "Backspace" || (key === " " && e.shiftKey)) {
      step(-1);
    } else if (key === "Home") {
      show(d, 1);
    } else if (key === "End") {
      show(d, d.querySelectorAll(".pres-slide").length);
    } else if (key === "f" || key === "F") {
      toggleFullscreen();
    } else {
      handled = false;
    }
    if (handled) {
      e.preventDefault();
    }
  });

  document.addEventListener("click", function (e) {
    var d = deck();
    if (!d || !d.contains(e.target)) {
      return;
    }
    var button = e.target.closest("[data-pres]");
    if (button) {
      var action = button.getAttribute("data-pres");
      if (action === "next") { step(1); }
      if (action === "prev") { step(-1); }
      if (action === "fullscreen") { toggleFullscreen(); }
      return;
    }
    if (e.target.closest("a, button, .pres-toolbar") || !e.target.closest(".pres-stage")) {
      return;
    }
    var box = d.getBoundingClientRect();
    step(e.clientX - box.left < box.width / 3 ? -1 : 1);
  });

  // Touch: a horizontal swipe of 50 px or more moves one slide (a vertical one scrolls the slide).
  var touch = null;
  document.addEventListener("touchstart", function (e) {
    var d = deck();
    touch = d && d.contains(e.target) && e.touches.length === 1
      ? {x: e.touches[0].clientX, y: e.touches[0].clientY} : null;
  }, {passive: true});
  document.addEventListener("touchend", function (e) {
    if (!touch || !e.changedTouches.length) {
      return;
    }
    var dx = e.changedTouches[0].clientX - touch.x;
    var dy = e.changedTouches[0].clientY - touch.y;
    touch = null;
    if (Math.abs(dx) >= 50 && Math.abs(dx) > 1.5 * Math.abs(dy)) {
      step(dx < 0 ? 1 : -1);
    }
  }, {passive: true});

  document.addEventListener("fullscreenchange", function () {
    var d = deck();
    var active = d && d.querySelector(".pres-slide.is-active");
    if (active) {
      window.setTimeout(function () { fitChart(active); }, 100);
    }
  });

  window.addEventListener("resize", function () {
    var d = deck();
    var active = d && d.querySelector(".pres-slide.is-active");
    if (active) {
      fitChart(active);
    }
  });

  // Dash renders pages after load and on navigation: initialise each deck when it appears.
  // Also fits the active chart once plotly has drawn it (graphs render after the deck appears).
  new MutationObserver(function () {
    var d = deck();
    if (d) {
      init(d);
      var active = d.querySelector(".pres-slide.is-active");
      var gd = active && active.querySelector(".js-plotly-plot");
      if (gd && gd.data && !gd.hasAttribute("data-font")) {
        fitChart(active);
      }
    }
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
