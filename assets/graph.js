// graph.js: zoom, pan, neighbour highlighting, category filtering and
// find-to-focus on the graph page. The drawing itself is made at build
// time, so without this script the page is still a picture with links.
(function () {
  "use strict";
  var svg = document.getElementById("kg");
  if (!svg) return;
  var vp = svg.querySelector(".viewport");
  var nodes = svg.querySelectorAll(".node");
  var edges = svg.querySelectorAll(".edge");
  var byId = {}, adj = {}, edgesOf = {};
  for (var i = 0; i < nodes.length; i++) {
    var id = nodes[i].getAttribute("data-id");
    byId[id] = nodes[i];
    adj[id] = [];
    edgesOf[id] = [];
  }
  for (var j = 0; j < edges.length; j++) {
    var a = edges[j].getAttribute("data-a"), b = edges[j].getAttribute("data-b");
    if (!adj[a] || !adj[b]) continue;
    adj[a].push(b); adj[b].push(a);
    edgesOf[a].push(edges[j]); edgesOf[b].push(edges[j]);
  }

  // Zoom and pan: one transform on the viewport group.
  var vb = svg.viewBox.baseVal;
  var s = 1, tx = 0, ty = 0;
  function apply() {
    vp.setAttribute("transform", "translate(" + tx.toFixed(1) + " " + ty.toFixed(1) + ") scale(" + s.toFixed(3) + ")");
    svg.classList.toggle("zoomed", s >= 1.8);
  }
  function toSvg(clientX, clientY) {
    var r = svg.getBoundingClientRect();
    return { x: (clientX - r.left) / r.width * vb.width, y: (clientY - r.top) / r.height * vb.height };
  }
  function zoomAt(f, px, py) {
    var ns = Math.min(8, Math.max(0.5, s * f));
    f = ns / s;
    tx = px - (px - tx) * f;
    ty = py - (py - ty) * f;
    s = ns;
    apply();
  }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = toSvg(ev.clientX, ev.clientY);
    zoomAt(ev.deltaY < 0 ? 1.2 : 1 / 1.2, p.x, p.y);
  }, { passive: false });
  var drag = null, moved = false;
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, tx: tx, ty: ty };
    moved = false;
  });
  window.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    var r = svg.getBoundingClientRect();
    var dx = (ev.clientX - drag.x) / r.width * vb.width, dy = (ev.clientY - drag.y) / r.height * vb.height;
    if (Math.abs(dx) + Math.abs(dy) > 4) moved = true;
    if (moved) { tx = drag.tx + dx; ty = drag.ty + dy; apply(); }
  });
  window.addEventListener("pointerup", function () { drag = null; });
  // A drag that ends on a node must not open it.
  svg.addEventListener("click", function (ev) { if (moved) { ev.preventDefault(); moved = false; } }, true);

  var tools = document.querySelector(".graph-tools");
  if (tools) {
    tools.hidden = false;
    tools.addEventListener("click", function (ev) {
      var z = ev.target.closest ? ev.target.closest("[data-zoom]") : null;
      if (!z) return;
      var k = z.getAttribute("data-zoom");
      if (k === "reset") { s = 1; tx = 0; ty = 0; apply(); return; }
      zoomAt(k === "in" ? 1.4 : 1 / 1.4, vb.width / 2, vb.height / 2);
    });
  }

  // Hover or focus: the node, its neighbours and their edges stand out.
  function highlight(id) {
    svg.classList.add("dim");
    byId[id].classList.add("hl");
    adj[id].forEach(function (n) { byId[n].classList.add("hl"); });
    edgesOf[id].forEach(function (e) { e.classList.add("hl"); });
  }
  function clear() {
    svg.classList.remove("dim");
    var hs = svg.querySelectorAll(".hl");
    for (var i = 0; i < hs.length; i++) hs[i].classList.remove("hl");
  }
  function nodeOf(ev) { return ev.target.closest ? ev.target.closest(".node") : null; }
  svg.addEventListener("mouseover", function (ev) { var n = nodeOf(ev); if (n) { clear(); highlight(n.getAttribute("data-id")); } });
  svg.addEventListener("mouseout", function (ev) { var n = nodeOf(ev); if (n && !n.contains(ev.relatedTarget)) clear(); });
  svg.addEventListener("focusin", function (ev) { var n = nodeOf(ev); if (n) { clear(); highlight(n.getAttribute("data-id")); } });
  svg.addEventListener("focusout", clear);

  // Category filter: unticking a category hides its nodes and their edges.
  var boxes = document.querySelectorAll(".legend input[data-cat]");
  function filter() {
    var off = {};
    for (var i = 0; i < boxes.length; i++) if (!boxes[i].checked) off[boxes[i].getAttribute("data-cat")] = true;
    for (var id in byId) byId[id].classList.toggle("off", !!off[byId[id].getAttribute("data-cat")]);
    for (var j = 0; j < edges.length; j++) {
      var a = byId[edges[j].getAttribute("data-a")], b = byId[edges[j].getAttribute("data-b")];
      edges[j].classList.toggle("off", !a || !b || a.classList.contains("off") || b.classList.contains("off"));
    }
  }
  for (var k = 0; k < boxes.length; k++) {
    boxes[k].disabled = false;
    boxes[k].addEventListener("change", filter);
  }

  // Find: typing a name zooms to its node and lights its neighbourhood.
  var find = document.getElementById("kg-find");
  if (find) {
    find.addEventListener("change", focusName);
    find.addEventListener("keydown", function (ev) { if (ev.key === "Enter") { ev.preventDefault(); focusName(); } });
  }
  function focusName() {
    var q = find.value.trim().toLowerCase();
    if (!q) return;
    var hit = null;
    for (var id in byId) {
      var name = byId[id].querySelector("text").textContent.toLowerCase();
      if (name === q) { hit = byId[id]; break; }
      if (!hit && name.indexOf(q) >= 0) hit = byId[id];
    }
    if (!hit) return;
    var c = hit.querySelector("circle");
    var cx = +c.getAttribute("cx"), cy = +c.getAttribute("cy");
    s = 2.5;
    tx = vb.width / 2 - cx * s;
    ty = vb.height / 2 - cy * s;
    apply();
    clear();
    highlight(hit.getAttribute("data-id"));
    hit.classList.add("focus");
    hit.focus();
  }
})();
