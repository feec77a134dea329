// theme.js runs before the page paints, so that a stored theme choice never
// flashes the other palette. It is tiny and blocking on purpose.
(function () {
  try {
    var t = localStorage.getItem("gen-theme");
    if (t === "light" || t === "dark") document.documentElement.setAttribute("data-theme", t);
  } catch (e) { /* storage may be disabled, e.g. on file:// in some browsers */ }
})();
