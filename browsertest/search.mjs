// search.mjs drives Debian's chromium over built gen sites to check search:
//
// 1. Parity: for each corpus, window.gen.search(q, {limit: 10}) in the page
//    gives Bleve's top 10 (the Go test's answers) for every query: the same
//    ids in the same order, scores within 1e-9 relative.
// 2. The interface, over HTTP (under the site's CSP) and from file://: the
//    index is not loaded before the box is used; "/" and Ctrl-K focus the
//    box; typing shows grouped results with the ARIA combobox state; arrows
//    move, Esc closes, Enter opens; a section result opens its section; the
//    search page answers ?q=; a query with no result offers known terms.
// 3. Hostile queries (empty, 10,000 characters, stop words only, <script>,
//    ", \): no console error, no script run, a sensible answer.
//
// Usage: node search.mjs config.json (written by TestSearchBrowser in
// generator/internal/search). It prints a JSON report on the last line and
// exits 1 when a check failed.
import { chromium } from "playwright-core";
import fs from "node:fs";

const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const failures = [];
const report = { parity: [], ui: [] };
function fail(where, msg) {
  failures.push(`${where}: ${msg}`);
  console.log(`FAIL ${where}: ${msg}`);
}
function ok(what) { console.log(`ok   ${what}`); }
function expect(cond, msg) { if (!cond) throw new Error(msg); }

const browser = await chromium.launch({
  executablePath: cfg.chromium || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--allow-file-access-from-files",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

function watch(page, where) {
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("dialog", (d) => { errors.push("dialog opened: " + d.message()); d.dismiss().catch(() => {}); });
  page.on("requestfailed", (r) => {
    if (!/ERR_ABORTED/.test(r.failure() && r.failure().errorText)) errors.push("request failed: " + r.url());
  });
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  return () => { for (const e of errors) fail(where, "console: " + e); errors.length = 0; };
}

async function step(name, fn) {
  try {
    await fn();
    ok(name);
  } catch (e) {
    fail(name, String(e && e.message ? e.message.split("\n")[0] : e));
  }
}

// ---- 1. parity ----

for (const pc of cfg.parity) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const flush = watch(page, "parity " + pc.name);
  await page.goto(pc.url);
  if (pc.lazy) {
    // A site page: the engine comes with the first focus of the box.
    await page.focus("#q");
    await page.waitForFunction(() => window.gen && typeof window.gen.search === "function", null, { timeout: 10000 });
  }
  const t0 = Date.now();
  const got = await page.evaluate(async (qs) => {
    const out = [];
    for (const q of qs) {
      try {
        const hits = await window.gen.search(q, { limit: 10 });
        out.push(hits.map((h) => ({ id: h.id, url: h.url, score: h.score })));
      } catch (e) {
        out.push({ error: String(e) });
      }
    }
    return out;
  }, pc.queries);
  const ms = Date.now() - t0;
  let same = 0, nonEmpty = 0, maxRel = 0;
  const bad = [];
  for (let i = 0; i < pc.queries.length; i++) {
    const want = pc.want[i] || [], hits = got[i];
    if (want.length) nonEmpty++;
    let diff = "";
    if (!Array.isArray(hits)) diff = "error " + hits.error;
    else if (hits.length !== want.length) diff = `${hits.length} hits, want ${want.length}`;
    else {
      for (let k = 0; k < want.length && !diff; k++) {
        if (hits[k].id !== want[k].id) diff = `#${k + 1} is ${hits[k].id}, want ${want[k].id}`;
        else if (hits[k].url !== want[k].url) diff = `#${k + 1} url ${hits[k].url}, want ${want[k].url}`;
        else {
          const rel = Math.abs(hits[k].score - want[k].score) / Math.max(Math.abs(want[k].score), 1e-300);
          if (rel > maxRel) maxRel = rel;
          if (rel > 1e-9) diff = `#${k + 1} score ${hits[k].score}, want ${want[k].score}`;
        }
      }
    }
    if (diff) bad.push({ q: pc.queries[i].slice(0, 60), diff });
    else same++;
  }
  const r = { corpus: pc.name, queries: pc.queries.length, withHits: nonEmpty, identical: same, maxRelScoreDiff: maxRel, ms };
  report.parity.push(r);
  console.log(`parity ${pc.name}: ${same}/${pc.queries.length} queries identical (${nonEmpty} with hits), max relative score difference ${maxRel.toExponential(2)}, ${ms} ms in the browser`);
  for (const b of bad.slice(0, 10)) fail("parity " + pc.name, `${JSON.stringify(b.q)}: ${b.diff}`);
  if (pc.queries.length < 300) fail("parity " + pc.name, `only ${pc.queries.length} queries`);
  flush();
  await ctx.close();
}

// ---- 2 and 3. the interface ----

// settle waits until the box's latest query has been answered: the popup
// or the "no results" note shows, or the query is empty.
async function typeAndSettle(page, q) {
  await page.fill("#q", q);
  await page.waitForFunction(() => {
    const inp = document.getElementById("q");
    const panel = document.getElementById("q-panel");
    if (!/\S/.test(inp.value)) return panel.hidden;
    return !panel.hidden;
  }, null, { timeout: 8000 });
  // Answers of older keystrokes are dropped; give the last one a moment.
  await page.waitForTimeout(60);
}

for (const uc of cfg.ui) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  page.setDefaultTimeout(8000);
  const where = "ui " + uc.name;
  const flush = watch(page, where);
  const indexRequests = [];
  page.on("request", (r) => {
    const u = r.url();
    if (/\/search\/(index|[dlpmx]\d+)\.js$/.test(u) || /\/assets\/search\/search\.[0-9a-f]+\.js$/.test(u)) indexRequests.push(u);
  });

  await step(`${where}: nothing of the index loads before the box is used`, async () => {
    await page.goto(uc.base + cfg.note);
    await page.waitForLoadState("load");
    await page.waitForTimeout(200);
    expect(indexRequests.length === 0, "loaded before use: " + indexRequests.join(", "));
    const root = await page.getAttribute("form.search", "data-root");
    expect(root === "../", `data-root is ${JSON.stringify(root)} on a note page`);
  });

  await step(`${where}: "/" focuses the box, typing shows grouped results`, async () => {
    await page.click("main h1");
    await page.keyboard.press("/");
    expect(await page.evaluate(() => document.activeElement && document.activeElement.id === "q"), "the box is not focused");
    await page.keyboard.type("firehouse", { delay: 20 });
    await page.waitForSelector("#q-list [role=option]");
    await page.waitForTimeout(100);
    const st = await page.evaluate(() => {
      const q = document.getElementById("q");
      const opts = [...document.querySelectorAll("#q-list [role=option]")];
      return {
        role: q.getAttribute("role"), expanded: q.getAttribute("aria-expanded"), controls: q.getAttribute("aria-controls"),
        groups: document.querySelectorAll("#q-list [role=group]").length,
        first: opts[0] && opts[0].getAttribute("href"), marks: document.querySelectorAll("#q-list mark").length,
        chip: !!document.querySelector("#q-list .sr-page .chip"),
      };
    });
    expect(st.role === "combobox" && st.expanded === "true" && st.controls === "q-list", "combobox state " + JSON.stringify(st));
    expect(st.groups >= 1, "no groups");
    expect(st.first === "../" + cfg.firehouse, `first result ${st.first}, want ../${cfg.firehouse}`);
    expect(st.chip, "the entity's category chip is missing");
    await page.waitForFunction(() => /result/.test(document.getElementById("q-status").textContent));
    report.ui.push({ where, firehouse: st });
  });

  await step(`${where}: arrows move, Esc closes, Enter opens`, async () => {
    await page.keyboard.press("ArrowDown");
    const a = await page.evaluate(() => {
      const q = document.getElementById("q");
      const id = q.getAttribute("aria-activedescendant");
      const el = id && document.getElementById(id);
      return { id, selected: el && el.getAttribute("aria-selected"), index: [...document.querySelectorAll("#q-list [role=option]")].indexOf(el) };
    });
    expect(a.index === 0 && a.selected === "true", "ArrowDown: " + JSON.stringify(a));
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    const b = await page.evaluate(() => document.getElementById("q").getAttribute("aria-activedescendant"));
    expect(b === a.id, `ArrowDown, ArrowUp: active ${b}, want ${a.id}`);
    await page.keyboard.press("Escape");
    expect(await page.evaluate(() => document.getElementById("q-panel").hidden && document.getElementById("q").getAttribute("aria-expanded") === "false"), "Esc did not close");
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => !document.getElementById("q-panel").hidden), "ArrowDown did not reopen");
    await Promise.all([page.waitForURL("**/" + cfg.firehouse), page.keyboard.press("Enter")]);
  });

  if (uc.axe) {
    await step(`${where}: axe-core finds no serious problem with the results open`, async () => {
      await page.keyboard.press("Control+k");
      await typeAndSettle(page, "kinesis retention");
      await page.addScriptTag({ url: uc.axe });
      const res = await page.evaluate(async () => {
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { resultTypes: ["violations"] });
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, first: v.nodes[0] && v.nodes[0].target.join(" ") }));
      });
      const serious = res.filter((v) => v.impact === "serious" || v.impact === "critical");
      for (const v of res) if (!serious.includes(v)) console.log(`note ${where}: axe ${v.id} (${v.impact}) ${v.first}`);
      expect(serious.length === 0, "axe: " + serious.map((v) => `${v.id} ${v.first}`).join("; "));
    });
  }

  await step(`${where}: Ctrl-K on a page one level down, a section result opens its section`, async () => {
    await page.keyboard.press("Escape");
    await page.click("main h1");
    await page.keyboard.press("Control+k");
    expect(await page.evaluate(() => document.activeElement && document.activeElement.id === "q"), "Ctrl-K did not focus the box");
    await typeAndSettle(page, "kinesis retention");
    const href = await page.getAttribute("#q-list .sr-section", "href");
    expect(href && href.indexOf("#") > 0 && href.startsWith("../"), "no section result: " + href);
    await Promise.all([page.waitForURL((u) => u.hash.length > 1), page.click("#q-list .sr-section")]);
    const frag = decodeURIComponent(new URL(page.url()).hash.slice(1));
    expect(await page.evaluate((id) => !!document.getElementById(id), frag), "no element #" + frag);
  });

  await step(`${where}: the search page answers ?q= and shares its link`, async () => {
    await page.goto(uc.base + "search.html?q=kinesis+shards");
    await page.waitForSelector("#search-results .sr-result");
    const st = await page.evaluate(() => ({
      value: document.getElementById("q-page").value,
      results: document.querySelectorAll("#search-results .sr-result").length,
      status: document.getElementById("search-status").textContent,
      first: document.querySelector("#search-results .sr-result a").getAttribute("href"),
    }));
    expect(st.value === "kinesis shards", "the box holds " + JSON.stringify(st.value));
    expect(st.results > 0 && /result/.test(st.status), JSON.stringify(st));
    await page.fill("#q-page", "glacier");
    await page.waitForFunction(() => /glacier/.test(document.getElementById("search-status").textContent));
    if (uc.name === "http") {
      expect(/search\.html\?q=glacier$/.test(page.url()), "the address is not the query's: " + page.url());
    }
    report.ui.push({ where, searchPage: st });
  });

  await step(`${where}: a query with no result offers the nearest known terms`, async () => {
    await page.goto(uc.base + "index.html");
    await page.focus("#q");
    await typeAndSettle(page, "firehosexx");
    await page.waitForSelector("#q-list .sr-sugg");
    const s = await page.$$eval("#q-list .sr-sugg", (els) => els.map((e) => e.getAttribute("data-suggest")));
    expect(s.length > 0, "no suggestions");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForFunction((t) => document.getElementById("q").value === t, s[0]);
    await page.waitForSelector("#q-list .sr-page");
    report.ui.push({ where, suggestions: s });
  });

  const huge = "kinesis stream shard ".repeat(500).slice(0, 10000);
  const hostile = [
    ["empty", "", "none"],
    ["10,000 characters", huge, "any"],
    ["10,000 letters", "a".repeat(10000), "any"],
    ["only stop words", "the of and", "stop"],
    ["<script>", "<script>window.__pwned=1</script>", "any"],
    ["<img onerror>", "<img src=x onerror=window.__pwned=1>", "any"],
    ["a quote", "\"", "any"],
    ["a backslash", "\\", "any"],
    ["quotes and backslashes", "\"kinesis\\\" \\", "hits"],
  ];
  await step(`${where}: hostile queries in the box and on the search page`, async () => {
    await page.goto(uc.base + cfg.note);
    await page.focus("#q");
    for (const [name, q, want] of hostile) {
      const t0 = Date.now();
      await typeAndSettle(page, q);
      // A query whose index files are not loaded yet answers later than
      // the settling pause: wait for its results before reading them.
      if (want === "hits") await page.waitForSelector("#q-list .sr-page", { timeout: 8000 }).catch(() => {});
      const st = await page.evaluate(() => ({
        pwned: window.__pwned, open: !document.getElementById("q-panel").hidden,
        pages: document.querySelectorAll("#q-list .sr-page").length,
        none: (document.querySelector("#q-panel .sr-none") || {}).textContent || "",
        scripts: document.querySelectorAll("#q-panel script, #q-panel img").length,
      }));
      expect(st.pwned === undefined && st.scripts === 0, `${name}: script ran or markup was made`);
      if (want === "none") expect(!st.open, `${name}: the popup is open`);
      if (want === "stop") expect(/common words/.test(st.none), `${name}: says ${JSON.stringify(st.none)}`);
      if (want === "hits") expect(st.pages > 0, `${name}: no results`);
      if (want === "any") expect(st.pages > 0 || st.none.length > 0, `${name}: neither results nor a note`);
      report.ui.push({ where, hostile: name, ms: Date.now() - t0, pages: st.pages, note: st.none.slice(0, 80) });
    }
    for (const [name, q] of hostile) {
      await page.goto(uc.base + "search.html?q=" + encodeURIComponent(q));
      await page.waitForFunction(() => window.gen && typeof window.gen.search === "function" || !/\S/.test(document.getElementById("q-page").value));
      await page.waitForTimeout(150);
      const st = await page.evaluate(() => ({ pwned: window.__pwned, value: document.getElementById("q-page").value,
        markup: document.querySelectorAll("#search-results script, #search-results img").length }));
      expect(st.pwned === undefined && st.markup === 0, `search page, ${name}: script ran or markup was made`);
      expect(st.value === q, `search page, ${name}: the box holds ${JSON.stringify(st.value.slice(0, 40))}`);
    }
  });
  flush();
  await ctx.close();
}

await browser.close();
console.log(failures.length ? `${failures.length} search checks failed` : "all search checks passed");
console.log(JSON.stringify(report));
process.exit(failures.length ? 1 : 0);
