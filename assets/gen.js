// gen.js: the small progressive enhancements of every page. The site works
// without it: the theme follows the system, the categories are listed
// below the page, links go where they say.
(function () {
  "use strict";
  var root = document.documentElement;

  // Theme toggle, remembered across pages.
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

  // Menu button: on phones the categories fold away behind it.
  var menu = document.querySelector(".menu-toggle");
  var nav = document.getElementById("site-nav");
  if (menu && nav) {
    menu.hidden = false;
    menu.addEventListener("click", function () {
      var open = document.body.classList.toggle("nav-open");
      menu.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var first = nav.querySelector("summary");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.key === "Escape" && document.body.classList.contains("nav-open")) {
        document.body.classList.remove("nav-open");
        menu.setAttribute("aria-expanded", "false");
        menu.focus();
      }
    });
  }

  // "/" or Ctrl-K focuses the search box.
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
    if ((ev.key === "/" && !typing) || (ev.key === "k" && (ev.ctrlKey || ev.metaKey))) {
      var q = document.getElementById("q");
      if (q) { ev.preventDefault(); q.focus(); q.select(); }
    }
  });

  // The line a source link points to (#L123) is lit, with its block.
  function lightTarget() {
    var old = document.querySelectorAll(".hit");
    for (var i = 0; i < old.length; i++) old[i].classList.remove("hit");
    var h = decodeURIComponent(location.hash.slice(1));
    if (!/^L\d+$/.test(h)) return;
    var el = document.getElementById(h);
    if (!el) return;
    var block = el.parentElement;
    if (block && block.classList.contains("lines")) {
      block = block.nextElementSibling; // markers before a code block
    } else if (block) {
      block = block.closest("li, p, h1, h2, h3, h4, h5, h6, td, th, blockquote, pre") || block;
    }
    if (block) block.classList.add("hit");
  }
  window.addEventListener("hashchange", lightTarget);
  lightTarget();

  // Hover previews of entity links, from data/previews.js, which every
  // page loads (deferred, after this script) and the browser caches: no
  // request per hover, and it works offline.
  var pop = null, timer = 0, current = null;
  function text(tag, cls, s) {
    var el = document.createElement(tag);
    el.className = cls;
    el.textContent = s;
    return el;
  }
  function show(a) {
    var d = (window.genPreviews || {})[a.getAttribute("data-e")];
    if (!d) return;
    if (!pop) {
      pop = document.createElement("div");
      pop.className = "popover";
      pop.id = "gen-popover";
      pop.setAttribute("role", "tooltip");
      // Inside <main>, so that it is in a landmark like the rest of the
      // page; main is not positioned, so the coordinates stay the page's.
      (document.getElementById("main") || document.body).appendChild(pop);
    }
    pop.textContent = "";
    pop.className = "popover " + (d.cc || "");
    pop.appendChild(text("span", "pv-name", d.n));
    var meta = d.k + (d.c ? " · " + d.c : "") + " · " + d.f + (d.f === 1 ? " fact" : " facts") + " · " + d.m + (d.m === 1 ? " note" : " notes");
    pop.appendChild(text("span", "pv-meta", meta));
    if (d.s) pop.appendChild(text("p", "pv-sum", d.s));
    pop.hidden = false;
    var r = a.getBoundingClientRect();
    var w = pop.offsetWidth, h = pop.offsetHeight;
    var left = Math.min(Math.max(8, r.left + window.scrollX), window.scrollX + document.documentElement.clientWidth - w - 8);
    var top = r.bottom + window.scrollY + 6;
    if (r.bottom + h + 12 > window.innerHeight && r.top > h + 12) top = r.top + window.scrollY - h - 6;
    pop.style.left = left + "px";
    pop.style.top = top + "px";
    a.setAttribute("aria-describedby", "gen-popover");
    current = a;
  }
  function hide() {
    clearTimeout(timer);
    if (pop) pop.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }
  function target(ev) {
    var t = ev.target;
    return t && t.closest ? t.closest("a[data-e]") : null;
  }
  document.addEventListener("mouseover", function (ev) {
    var a = target(ev);
    if (!a || a === current) return;
    clearTimeout(timer);
    timer = setTimeout(function () { show(a); }, 250);
  });
  document.addEventListener("mouseout", function (ev) {
    var a = target(ev);
    if (a && (!ev.relatedTarget || !a.contains(ev.relatedTarget))) hide();
  });
  document.addEventListener("focusin", function (ev) {
    var a = target(ev);
    if (a) show(a); else hide();
  });
  document.addEventListener("focusout", function (ev) { if (target(ev)) hide(); });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") hide(); });
  window.addEventListener("scroll", function () { if (current && !current.matches(":focus")) hide(); }, { passive: true });

  // The table of contents marks the section in view.
  var tocLinks = document.querySelectorAll(".toc a[href^='#']");
  if (tocLinks.length && "IntersectionObserver" in window) {
    var byId = {};
    for (var i = 0; i < tocLinks.length; i++) byId[decodeURIComponent(tocLinks[i].getAttribute("href").slice(1))] = tocLinks[i];
    var obs = new IntersectionObserver(function (entries) {
      entries.forEach(function (en) {
        if (!en.isIntersecting) return;
        for (var k in byId) byId[k].removeAttribute("aria-current");
        var l = byId[en.target.id];
        if (l) l.setAttribute("aria-current", "true");
      });
    }, { rootMargin: "0px 0px -70% 0px" });
    for (var id in byId) {
      var h = document.getElementById(id);
      if (h) obs.observe(h);
    }
  }
})();
