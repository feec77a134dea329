// theme.js runs before the page paints, so that a stored theme choice never
// flashes the other palette, and so that styles for scripted pages (the
// folded menu on phones) apply from the first paint. It is tiny and
// blocking on purpose.
(function () {
  var root = document.documentElement;
  root.classList.add("js");
  try {
    var t = localStorage.getItem("gen-theme");
    if (t === "light" || t === "dark") root.setAttribute("data-theme", t);
  } catch (e) { /* storage may be disabled, e.g. on file:// in some browsers */ }
})();
