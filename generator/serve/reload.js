// Live reload for gen serve; built sites never load this file.
// It listens to /_gen/events: "reload" says which pages and stylesheets a
// rebuild changed, "error" carries the build's errors, "ok" says they are
// fixed, "search" that the search index was made again.
(function () {
  "use strict";
  var key = "gen-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = +saved;
    var restore = function () { window.scrollTo(0, y); };
    restore();
    window.addEventListener("load", restore);
  }

  // The page's own file, as the server names it.
  function self() {
    var p = decodeURIComponent(location.pathname);
    if (p.endsWith("/")) return [p + "index.html"];
    return [p, p + ".html"];
  }

  function overlay(text) {
    var el = document.getElementById("gen-error-overlay");
    if (text === null) {
      if (el) el.remove();
      return;
    }
    if (!el) {
      el = document.createElement("div");
      el.id = "gen-error-overlay";
      el.setAttribute("role", "alert");
      el.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.92);" +
        "color:#fff;padding:2rem;overflow:auto;font:14px/1.5 ui-monospace,monospace";
      var h = document.createElement("p");
      h.textContent = "gen: the build failed; this is the last good version of the page.";
      h.style.cssText = "color:#ff9b9b;font-weight:bold;margin:0 0 1rem";
      var pre = document.createElement("pre");
      pre.style.cssText = "white-space:pre-wrap;margin:0";
      el.appendChild(h);
      el.appendChild(pre);
      document.body.appendChild(el);
    }
    el.querySelector("pre").textContent = text;
  }

  var es;
  function connect() {
  es = new EventSource("/_gen/events");
  es.addEventListener("builderror", function (e) {
    overlay(JSON.parse(e.data).message);
  });
  es.addEventListener("ok", function () { overlay(null); });
  es.addEventListener("reload", function (e) {
    var c = JSON.parse(e.data);
    var mine = self();
    for (var i = 0; i < c.pages.length; i++) {
      if (mine.indexOf(c.pages[i]) >= 0) {
        sessionStorage.setItem(key, String(window.scrollY));
        location.reload();
        return;
      }
    }
    if (!c.css) return;
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var j = 0; j < links.length; j++) {
      var u = new URL(links[j].href, location.href);
      var to = c.css[u.pathname];
      if (to) links[j].href = to;
    }
  });
  // "search": the search index was made, after the first build or again
  // after edits; the page's search drops what it loaded of the old one.
  es.addEventListener("search", function () {
    if (window.gen && window.gen._search && window.gen._search.reset) window.gen._search.reset();
    // A search asked before the first index was made asks again.
    try { window.dispatchEvent(new Event("gen:search-index")); } catch (e) { /* old browsers */ }
  });
  }
  connect();
  // An open connection would keep the page out of the back-forward cache.
  window.addEventListener("pagehide", function () { es.close(); });
  window.addEventListener("pageshow", function (e) { if (e.persisted) connect(); });
})();
