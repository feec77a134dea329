// gen.js: the small progressive enhancements of every page. The site works
// without it.
(function () {
  "use strict";
  var root = document.documentElement;

  function currentTheme() {
    var t = root.getAttribute("data-theme");
    if (t) return t;
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  }

  var btn = document.querySelector(".theme-toggle");
  if (btn) {
    btn.hidden = false;
    var sync = function () {
      var dark = currentTheme() === "dark";
      btn.setAttribute("aria-pressed", dark ? "true" : "false");
      btn.title = dark ? "Switch to light theme" : "Switch to dark theme";
    };
    sync();
    btn.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("gen-theme", next); } catch (e) { /* ignore */ }
      sync();
    });
  }
})();
