/*
 * gen search interface: the search box of every page and the search page
 * (search.html?q=...), over the engine in search.js.
 *
 * - The engine and the index files are loaded only when the box is focused
 *   or typed into, with <script> tags (no fetch, workers or modules), from
 *   paths relative to the page (the form's data-root and data-engine), so it
 *   works at any depth, under a sub-path, from file:// and under a strict
 *   Content-Security-Policy (no inline script or style: classes and the
 *   hidden attribute only).
 * - The box is an ARIA combobox with a listbox popup: "/" or Ctrl-K focus it
 *   (gen.js), arrows move, Enter opens, Esc closes; a polite live region
 *   says how many results there are. Every option is a real link, grouped
 *   by page, with the matching section, a highlighted excerpt and the
 *   entity's category chip. A query that finds nothing offers the nearest
 *   known terms.
 * - Text from the index is only ever set as text (textContent and <mark>
 *   elements), never parsed as HTML.
 */
(function (window, document) {
  'use strict';

  var form = document.querySelector('form.search[data-engine]');
  if (!form) { return; }
  var input = form.querySelector('input[name="q"]');
  if (!input) { return; }
  var root = form.getAttribute('data-root') || '';
  var engineURL = form.getAttribute('data-engine');
  var searchPage = form.getAttribute('action') || root + 'search.html';
  var gen = window.gen = window.gen || {};
  // The index folder, relative to this page; search.js reads it before its
  // first query.
  gen.searchBase = root + 'search/';

  var PANEL_PAGES = 6;   // pages the popup shows
  var PANEL_SECTIONS = 3; // sections per page in the popup
  // Hits the popup asks for: enough to fill its pages and sections. Each
  // hit's metadata is a file to load, so that asking for more would slow
  // every keystroke.
  var PANEL_HITS = PANEL_PAGES * (PANEL_SECTIONS + 1);
  var PAGE_LIMIT = 100;  // hits the search page asks for

  // ---- the engine, loaded on demand ----

  var enginePromise = null;
  function engine() {
    if (enginePromise) { return enginePromise; }
    enginePromise = new Promise(function (resolve, reject) {
      if (typeof gen.search === 'function') { resolve(gen); return; }
      var el = document.createElement('script');
      el.src = engineURL;
      el.async = true;
      el.onload = function () {
        if (typeof gen.search === 'function') { resolve(gen); } else { reject(new Error('gen search: no engine in ' + engineURL)); }
      };
      el.onerror = function () { enginePromise = null; reject(new Error('gen search: cannot load ' + engineURL)); };
      (document.head || document.documentElement).appendChild(el);
    });
    return enginePromise;
  }

  // warm loads the engine and the index's entry file, so that the first
  // keystroke only waits for the shards its words need.
  function warm() {
    engine().then(function (g) { return g.search('', { limit: 1 }); }).then(null, function () {});
  }

  // ---- small DOM helpers ----

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text != null) { e.textContent = text; }
    return e;
  }

  // marked appends text to parent with <mark> around marks ([start, end)).
  function marked(parent, text, marks) {
    var pos = 0;
    for (var i = 0; marks && i < marks.length; i++) {
      if (marks[i][0] < pos) { continue; }
      if (marks[i][0] > pos) { parent.appendChild(document.createTextNode(text.substring(pos, marks[i][0]))); }
      parent.appendChild(el('mark', null, text.substring(marks[i][0], marks[i][1])));
      pos = marks[i][1];
    }
    if (pos < text.length) { parent.appendChild(document.createTextNode(text.substring(pos))); }
    return parent;
  }

  function highlighted(tag, cls, text, q) {
    var h = gen.highlight ? gen.highlight(text, q) : { text: text, marks: [] };
    return marked(el(tag, cls), h.text, h.marks);
  }

  function excerptNode(ex) {
    var p = el('span', 'sr-ex');
    if (!ex || !ex.text) { return null; }
    if (ex.before) { p.appendChild(document.createTextNode('\u2026')); }
    marked(p, ex.text, ex.marks);
    if (ex.after) { p.appendChild(document.createTextNode('\u2026')); }
    return p;
  }

  // chip is the category chip of a hit ("cat-3 Analytics"), or a plain
  // label of the kind of page for pages without a category.
  function chip(hit) {
    var c = hit.category || '';
    var sp = c.indexOf(' ');
    if (/^cat-\d+ /.test(c)) { return el('span', 'chip ' + c.substring(0, sp), c.substring(sp + 1)); }
    var kind = /^notes\//.test(hit.url) ? 'Note' : /^comparisons\//.test(hit.url) ? 'Comparison' :
      /^categories\//.test(hit.url) ? 'Category' : '';
    return kind ? el('span', 'sr-kind', kind) : null;
  }

  function pageURL(url) { var i = url.indexOf('#'); return i < 0 ? url : url.substring(0, i); }

  function queryURL(q) { return searchPage + '?q=' + encodeURIComponent(q).replace(/%20/g, '+'); }

  // group orders hits by page, best page first, each page's own hit (if
  // any) apart from its sections.
  function group(hits) {
    var pages = [], byURL = Object.create(null);
    for (var i = 0; i < hits.length; i++) {
      var h = hits[i], u = pageURL(h.url), g = byURL[u];
      if (!g) {
        g = byURL[u] = { url: u, title: h.title, category: h.category, page: null, sections: [], first: h };
        pages.push(g);
      }
      if (h.url === u) { g.page = h; } else { g.sections.push(h); }
      if (!g.category && h.category) { g.category = h.category; }
    }
    return pages;
  }

  // withExcerpts resolves the groups with an excerpt for each hit shown.
  function withExcerpts(g, pages, q, sections) {
    var jobs = [];
    function add(h) {
      jobs.push(g.excerpt(h, q, { length: 150 }).then(function (ex) { h.excerpt = ex; }, function () { h.excerpt = null; }));
    }
    for (var i = 0; i < pages.length; i++) {
      if (pages[i].page) { add(pages[i].page); }
      for (var k = 0; k < pages[i].sections.length && k < sections; k++) { add(pages[i].sections[k]); }
    }
    return Promise.all(jobs).then(function () { return pages; });
  }

  // surfaces turns suggested terms (index stems such as "firehos") into
  // words as the notes write them, from the best hit of each: only a query
  // that found nothing pays for it.
  function surfaces(g, terms) {
    return Promise.all(terms.map(function (t) {
      return g.search(t, { limit: 1 }).then(function (hits) {
        if (!hits.length) { return t; }
        var h = g.highlight(hits[0].title + ' ' + (hits[0].section || ''), t);
        if (h.marks.length) { return h.text.substring(h.marks[0][0], h.marks[0][1]); }
        return g.excerpt(hits[0], t, { length: 400 }).then(function (ex) {
          return ex.marks.length ? ex.text.substring(ex.marks[0][0], ex.marks[0][1]) : t;
        });
      }).then(null, function () { return t; });
    })).then(function (words) {
      var out = [], seen = Object.create(null);
      for (var i = 0; i < words.length; i++) {
        var k = words[i].toLowerCase();
        if (!seen[k]) { seen[k] = true; out.push(words[i]); }
      }
      return out;
    });
  }

  // onlyStopWords says whether every word of q is a stop word, which Bleve
  // does not index.
  function onlyStopWords(q) {
    var a = gen._search;
    if (!a || !a.analyze) { return false; }
    return /\S/.test(q) && a.analyze(q).length === 0 && a.tokenize(q).length > 0;
  }

  function countText(n, pages, q, capped) {
    if (n === 0) { return 'No results for \u201c' + clip(q) + '\u201d.'; }
    return (capped ? 'At least ' : '') + n + (n === 1 ? ' result' : ' results') + ' on ' + pages + (pages === 1 ? ' page' : ' pages') + ' for \u201c' + clip(q) + '\u201d.';
  }

  // unavailable says why a search failed: an index gen serve is still
  // making, or an error.
  function unavailable(err) {
    return err && err.pending ? 'Search is being prepared: it is ready in a moment.' : 'Search is not available: ' + (err && err.message || err);
  }

  function clip(q) { q = q.replace(/\s+/g, ' ').replace(/^ | $/g, ''); return q.length > 60 ? q.substring(0, 60) + '\u2026' : q; }

  // ---- the combobox ----

  var listId = 'q-list';
  var panel = el('div', 'sr-panel');
  panel.id = 'q-panel';
  panel.hidden = true;
  var list = el('div', 'sr-list');
  list.id = listId;
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Search results');
  panel.appendChild(list);
  var status = el('p', 'vh');
  status.id = 'q-status';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  form.appendChild(panel);
  form.appendChild(status);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listId);
  input.setAttribute('aria-describedby', 'q-status');

  var seq = 0, options = [], active = -1, statusTimer = 0;

  function say(text, now) {
    clearTimeout(statusTimer);
    // Announced once typing pauses, not at every keystroke.
    if (now) { status.textContent = text; return; }
    statusTimer = setTimeout(function () { status.textContent = text; }, 450);
  }

  function open() {
    if (!options.length) { return; }
    panel.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function close() {
    panel.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  }

  function setActive(i) {
    if (active >= 0 && options[active]) { options[active].setAttribute('aria-selected', 'false'); }
    active = i;
    if (i < 0 || !options[i]) {
      active = -1;
      input.removeAttribute('aria-activedescendant');
      return;
    }
    options[i].setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', options[i].id);
    if (options[i].scrollIntoView) { options[i].scrollIntoView({ block: 'nearest' }); }
  }

  function option(href, cls) {
    var a = el('a', 'sr-opt' + (cls ? ' ' + cls : ''));
    a.setAttribute('role', 'option');
    a.setAttribute('aria-selected', 'false');
    a.setAttribute('tabindex', '-1');
    a.href = href;
    a.id = 'q-opt-' + options.length;
    options.push(a);
    return a;
  }

  function render(pages, q, total, suggestions) {
    list.textContent = '';
    options = [];
    active = -1;
    input.removeAttribute('aria-activedescendant');
    var shown = pages.slice(0, PANEL_PAGES);
    for (var i = 0; i < shown.length; i++) {
      var p = shown[i];
      var g = el('div', 'sr-group');
      g.setAttribute('role', 'group');
      g.setAttribute('aria-label', p.title);
      var a = option(root + p.url, 'sr-page');
      var head = el('span', 'sr-head');
      head.appendChild(highlighted('span', 'sr-title', p.title, q));
      var c = chip(p.first);
      if (c) { head.appendChild(document.createTextNode(' ')); head.appendChild(c); }
      a.appendChild(head);
      var ex = p.page && excerptNode(p.page.excerpt);
      if (ex) { a.appendChild(ex); }
      if (p.page) { p.page.opt = a; }
      g.appendChild(a);
      for (var k = 0; k < p.sections.length && k < PANEL_SECTIONS; k++) {
        var s = p.sections[k];
        var o = option(root + s.url, 'sr-section');
        o.appendChild(highlighted('span', 'sr-sec', s.section || s.title, q));
        var sx = excerptNode(s.excerpt);
        if (sx) { o.appendChild(sx); }
        s.opt = o;
        g.appendChild(o);
      }
      list.appendChild(g);
    }
    if (!pages.length && suggestions && suggestions.length) {
      var sg = el('div', 'sr-group sr-suggest');
      sg.setAttribute('role', 'group');
      sg.setAttribute('aria-label', 'Did you mean');
      for (var j = 0; j < suggestions.length; j++) {
        var so = option(queryURL(suggestions[j]), 'sr-sugg');
        so.setAttribute('data-suggest', suggestions[j]);
        so.appendChild(el('span', 'sr-sugg-pre', 'Search for '));
        so.appendChild(el('span', 'sr-title', suggestions[j]));
        sg.appendChild(so);
      }
      list.appendChild(sg);
    }
    if (pages.length) {
      var all = option(queryURL(q), 'sr-all');
      all.textContent = total > shown.length ? 'All results for \u201c' + clip(q) + '\u201d' : 'Open these results as a page';
      var ag = el('div', 'sr-group');
      ag.setAttribute('role', 'group');
      ag.setAttribute('aria-label', 'More');
      ag.appendChild(all);
      list.appendChild(ag);
    }
    var note = panel.querySelector('.sr-none');
    if (note) { panel.removeChild(note); }
    if (!pages.length) {
      var msg = onlyStopWords(q) ? 'Only common words such as \u201cthe\u201d: type a more specific word.' :
        'No results for \u201c' + clip(q) + '\u201d.' + (suggestions && suggestions.length ? ' Nearest known terms:' : '');
      note = el('p', 'sr-none', msg);
      panel.insertBefore(note, list);
      panel.hidden = false;
      input.setAttribute('aria-expanded', options.length ? 'true' : 'false');
      return;
    }
    open();
  }

  // addExcerpts puts the excerpts that came after the results were drawn
  // into their options.
  function addExcerpts(pages) {
    function add(h) {
      if (!h || !h.opt || h.opt.querySelector('.sr-ex')) { return; }
      var ex = excerptNode(h.excerpt);
      if (ex) { h.opt.appendChild(ex); }
    }
    for (var i = 0; i < pages.length; i++) {
      add(pages[i].page);
      for (var k = 0; k < pages[i].sections.length; k++) { add(pages[i].sections[k]); }
    }
  }

  // run answers the box's query; a newer keystroke makes older answers moot.
  // The results are drawn as soon as they are known, and their excerpts,
  // which need files of their own, are added when they come.
  function run() {
    var q = input.value, my = ++seq;
    if (!/\S/.test(q)) {
      list.textContent = '';
      options = [];
      close();
      say('', true);
      return;
    }
    engine().then(function (g) {
      return g.search(q, { limit: PANEL_HITS }).then(function (hits) {
        if (my !== seq) { return null; }
        var pages = group(hits);
        if (!pages.length) {
          return (onlyStopWords(q) ? Promise.resolve([]) : g.suggest(q, { limit: 5 }).then(function (ts) { return surfaces(g, ts); })).then(function (sugg) {
            return { pages: pages, hits: hits, sugg: sugg };
          });
        }
        return { pages: pages, hits: hits, sugg: null, g: g };
      });
    }).then(function (r) {
      if (!r || my !== seq) { return; }
      render(r.pages, q, r.pages.length, r.sugg);
      if (r.g) {
        var shown = r.pages.slice(0, PANEL_PAGES);
        withExcerpts(r.g, shown, q, PANEL_SECTIONS).then(function () {
          if (my === seq) { addExcerpts(shown); }
        });
      }
      say(r.pages.length ? countText(r.hits.length, r.pages.length, q, r.hits.length >= PANEL_HITS) + ' Use the arrow keys to choose one.' : (onlyStopWords(q) ? 'Only common words: type a more specific word.' :
        countText(0, 0, q) + (r.sugg && r.sugg.length ? ' Suggestions: ' + r.sugg.join(', ') + '.' : '')));
    }, function (err) {
      if (my !== seq) { return; }
      list.textContent = '';
      options = [];
      boxPending = !!(err && err.pending);
      var msg = unavailable(err);
      // Shown in the panel, as "no results" is, and said.
      var note = panel.querySelector('.sr-none');
      if (!note) { note = el('p', 'sr-none'); panel.insertBefore(note, list); }
      note.textContent = msg;
      panel.hidden = false;
      input.setAttribute('aria-expanded', 'false');
      say(msg, true);
    });
  }
  // A query asked while gen serve was still making the index is asked again
  // once the index is there (the preview's reload script says so).
  var boxPending = false;
  window.addEventListener('gen:search-index', function () {
    if (boxPending && /\S/.test(input.value)) { boxPending = false; run(); }
  });

  function choose(a) {
    var s = a.getAttribute('data-suggest');
    if (s) {
      input.value = s;
      run();
      return;
    }
    close();
    window.location.href = a.href;
  }

  input.addEventListener('focus', warm);
  input.addEventListener('input', run);
  input.addEventListener('keydown', function (ev) {
    var key = ev.key;
    if (key === 'ArrowDown' || key === 'Down') {
      ev.preventDefault();
      if (panel.hidden) { open(); if (!panel.hidden && active < 0) { setActive(0); } return; }
      setActive(options.length ? (active + 1) % options.length : -1);
    } else if (key === 'ArrowUp' || key === 'Up') {
      ev.preventDefault();
      if (panel.hidden) { open(); }
      setActive(options.length ? (active <= 0 ? options.length - 1 : active - 1) : -1);
    } else if (key === 'Enter') {
      if (!panel.hidden && active >= 0 && options[active]) {
        ev.preventDefault();
        choose(options[active]);
      }
      // Otherwise the form goes to the search page.
    } else if (key === 'Escape' || key === 'Esc') {
      if (!panel.hidden) {
        ev.preventDefault();
        close();
      } else if (input.value) {
        ev.preventDefault();
        input.value = '';
        run();
      }
    }
  });
  // A click on an option must not blur the box first (the popup would
  // close under the pointer); the link's own click navigates.
  panel.addEventListener('mousedown', function (ev) { ev.preventDefault(); });
  panel.addEventListener('click', function (ev) {
    var a = ev.target && ev.target.closest ? ev.target.closest('a.sr-opt') : null;
    if (!a) { return; }
    if (a.getAttribute('data-suggest') || !(ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.button === 1)) {
      ev.preventDefault();
      choose(a);
    }
  });
  input.addEventListener('blur', function () {
    // Leave the results open while focus moves within the form.
    setTimeout(function () {
      if (!form.contains(document.activeElement)) { close(); }
    }, 0);
  });
  input.addEventListener('click', function () { if (options.length) { open(); } });

  // ---- the search page ----

  var results = document.getElementById('search-results');
  if (!results) { return; }
  var pageInput = document.getElementById('q-page');
  var pageStatus = document.getElementById('search-status');
  var pageForm = pageInput && pageInput.form;
  var pageSeq = 0, pageTimer = 0;

  function queryOf(search) {
    var m = /[?&]q=([^&#]*)/.exec(search || '');
    if (!m) { return ''; }
    try { return decodeURIComponent(m[1].replace(/\+/g, ' ')); } catch (e) { return m[1]; }
  }

  function renderPage(pages, q, hits, sugg) {
    results.textContent = '';
    if (!pages.length) {
      var p = el('p', 'sr-none', onlyStopWords(q) ? 'Only common words such as \u201cthe\u201d: type a more specific word.' :
        'No results for \u201c' + clip(q) + '\u201d.');
      results.appendChild(p);
      if (sugg && sugg.length) {
        var sp = el('p', 'sr-suggest', 'Nearest known terms: ');
        for (var s = 0; s < sugg.length; s++) {
          if (s > 0) { sp.appendChild(document.createTextNode(' \u00b7 ')); }
          var a = el('a', null, sugg[s]);
          a.href = queryURL(sugg[s]);
          sp.appendChild(a);
        }
        results.appendChild(sp);
      }
      return;
    }
    var ol = el('ol', 'sr-results');
    for (var i = 0; i < pages.length; i++) {
      var pg = pages[i];
      var li = el('li', 'sr-result');
      var h = el('h2', 'sr-h');
      var link = el('a');
      link.href = root + pg.url;
      link.appendChild(highlighted('span', 'sr-title', pg.title, q));
      h.appendChild(link);
      var c = chip(pg.first);
      if (c) { h.appendChild(document.createTextNode(' ')); h.appendChild(c); }
      li.appendChild(h);
      var ex = pg.page && excerptNode(pg.page.excerpt);
      if (ex) { var pp = el('p', 'sr-p'); pp.appendChild(ex); li.appendChild(pp); }
      if (pg.sections.length) {
        var ul = el('ul', 'sr-secs');
        for (var k = 0; k < pg.sections.length; k++) {
          var sec = pg.sections[k];
          var sl = el('li');
          var sa = el('a');
          sa.href = root + sec.url;
          sa.appendChild(highlighted('span', 'sr-sec', sec.section || sec.title, q));
          sl.appendChild(sa);
          var sx = excerptNode(sec.excerpt);
          if (sx) { sl.appendChild(document.createTextNode(' ')); sl.appendChild(sx); }
          ul.appendChild(sl);
        }
        li.appendChild(ul);
      }
      ol.appendChild(li);
    }
    results.appendChild(ol);
  }

  function runPage(q, push) {
    var my = ++pageSeq;
    if (push) {
      try { window.history.replaceState(null, '', q ? queryURL(q).replace(/^.*\//, '') : window.location.pathname.replace(/^.*\//, '')); } catch (e) { /* file:// may refuse */ }
    }
    document.title = (q ? clip(q) + ' \u2013 ' : '') + document.title.replace(/^.* \u2013 /, '');
    if (!/\S/.test(q)) {
      results.textContent = '';
      pageStatus.textContent = '';
      return;
    }
    engine().then(function (g) {
      return g.search(q, { limit: PAGE_LIMIT }).then(function (hits) {
        if (my !== pageSeq) { return null; }
        var pages = group(hits);
        if (!pages.length) {
          return (onlyStopWords(q) ? Promise.resolve([]) : g.suggest(q, { limit: 8 }).then(function (ts) { return surfaces(g, ts); })).then(function (sugg) {
            return { pages: pages, hits: hits, sugg: sugg };
          });
        }
        return withExcerpts(g, pages, q, 1000).then(function () { return { pages: pages, hits: hits, sugg: null }; });
      });
    }).then(function (r) {
      if (!r || my !== pageSeq) { return; }
      renderPage(r.pages, q, r.hits, r.sugg);
      pageStatus.textContent = r.pages.length ? countText(r.hits.length, r.pages.length, q, r.hits.length >= PAGE_LIMIT) :
        (onlyStopWords(q) ? 'Only common words: type a more specific word.' : countText(0, 0, q));
    }, function (err) {
      if (my !== pageSeq) { return; }
      pagePending = !!(err && err.pending);
      pageStatus.textContent = unavailable(err);
    });
  }
  var pagePending = false;
  window.addEventListener('gen:search-index', function () {
    if (pagePending) { pagePending = false; runPage(pageInput ? pageInput.value : initial, false); }
  });

  var initial = queryOf(window.location.search);
  if (pageInput) {
    pageInput.value = initial;
    pageInput.addEventListener('input', function () {
      clearTimeout(pageTimer);
      var q = pageInput.value;
      pageTimer = setTimeout(function () { runPage(q, true); }, 120);
    });
  }
  if (pageForm) {
    pageForm.addEventListener('submit', function (ev) {
      ev.preventDefault();
      clearTimeout(pageTimer);
      runPage(pageInput.value, true);
    });
  }
  runPage(initial, false);
})(window, document);
