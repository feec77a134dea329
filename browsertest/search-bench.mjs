// search-bench.mjs prints the browser figures of a built gen site's search
// (scripts/search-bench.sh runs it):
//
// - bytes the browser downloads for a first one-word query, raw and gzipped
//   (gzip -6 of each file, as a host would send it), for a rare word (in one
//   document) and for the word in the most pages: the search box's scripts
//   (ui.js, loaded with the page, and search.js, loaded on focus) and every
//   index file the query and its results need; once for the query alone
//   (window.gen.search) and once typing the word into the box letter by
//   letter (every prefix is a query) until the results are drawn;
// - query latency of window.gen.search in headless Chromium over 200
//   fixed-seed queries (words, prefixes, typos, two words): median and p95,
//   the first time (index files loading) and again (warm);
// - keystroke to results drawn in the search box, warm.
//
// Usage: node search-bench.mjs SITE_DIR [chromium]
import { chromium } from "playwright-core";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import vm from "node:vm";
import zlib from "node:zlib";

const site = path.resolve(process.argv[2]);
const chromePath = process.argv[3] || "/usr/bin/chromium";

// ---- what the index holds: terms, their documents and pages ----

function loadIndex() {
  const got = { post: [], meta: [], full: [] };
  const stub = {
    entry: (e) => { got.entry = e; },
    dict: () => {}, text: () => {},
    imp: () => {},
    full: (k, lists) => { got.full[k] = lists; },
    post: (k, terms, lists) => { got.post.push([terms, lists]); },
    meta: (k, rows) => { got.meta[k] = rows; },
  };
  const ctx = vm.createContext({ window: { __genSearch: stub } });
  for (const f of fs.readdirSync(path.join(site, "search"))) {
    if (/^(index|[pmb]\d+)\.js$/.test(f)) vm.runInContext(fs.readFileSync(path.join(site, "search", f), "utf8"), ctx);
  }
  const pageOf = [];
  for (const rows of got.meta) for (const r of rows) pageOf.push(r[1].split("#")[0]);
  const terms = [];
  for (const [ts, lists] of got.post) {
    for (let i = 0; i < ts.length; i++) {
      const docs = new Set();
      // A term in many documents: its full list is in a file of its own.
      for (const ps of lists[i].c ? got.full[lists[i].b] : lists[i]) {
        if (!ps) continue;
        let doc = 0;
        for (let j = 0; j < ps.length; j++) {
          doc += ps[j] >> 1;
          if (ps[j] & 1) j++;
          j++; // the field length
          docs.add(doc);
        }
      }
      const pages = new Set([...docs].map((d) => pageOf[d]));
      terms.push({ term: ts[i], docs: docs.size, pages: pages.size });
    }
  }
  return { entry: got.entry, terms, nPages: new Set(pageOf).size, nDocs: pageOf.length };
}

// The engine in Node, to keep only terms that a word analyses to.
globalThis.window = globalThis;
vm.runInThisContext(fs.readFileSync(new URL("../assets/search/search.js", import.meta.url), "utf8"));
const analyze = globalThis.gen._search.analyze;

const ix = loadIndex();
const words = ix.terms.filter((t) => /^[a-z]{4,}$/.test(t.term) && analyze(t.term).join() === t.term);
// BENCH_RARE and BENCH_COMMON pick the words (to compare index formats).
const byName = (w) => w && ix.terms.find((t) => t.term === w);
const rare = byName(process.env.BENCH_RARE) || words.find((t) => t.docs === 1 && t.term.length >= 6) || words.find((t) => t.docs === 1);
const common = byName(process.env.BENCH_COMMON) || words.reduce((a, b) => (b.pages > a.pages ? b : a));
console.log(`site ${site}: ${ix.nPages} pages, ${ix.nDocs} documents (pages and sections), ${ix.terms.length} terms`);

// A fixed-seed query mix (mulberry32).
let seed = 20240601;
function rand() {
  seed |= 0; seed = (seed + 0x6D2B79F5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rand() * a.length)];
const long = words.filter((t) => t.term.length >= 5);
const queries = [];
for (let i = 0; i < 100; i++) queries.push(pick(words).term + " ");
for (let i = 0; i < 40; i++) { const w = pick(long).term; queries.push(w.slice(0, 3 + Math.floor(rand() * 3))); }
for (let i = 0; i < 30; i++) {
  const w = pick(long).term.split(""), p = Math.floor(rand() * w.length);
  w[p] = String.fromCharCode(97 + Math.floor(rand() * 26));
  queries.push(w.join("") + " ");
}
for (let i = 0; i < 30; i++) queries.push(pick(words).term + " " + pick(words).term + " ");

// ---- a plain static server that notes what each page load fetched ----

const gzCache = new Map();
function gzSize(file) {
  if (!gzCache.has(file)) gzCache.set(file, zlib.gzipSync(fs.readFileSync(file), { level: 6 }).length);
  return gzCache.get(file);
}
const types = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };
const server = http.createServer((req, res) => {
  let p = decodeURIComponent(new URL(req.url, "http://x").pathname);
  if (p.endsWith("/")) p += "index.html";
  const file = path.join(site, path.normalize(p));
  if (!file.startsWith(site) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { "Content-Type": types[path.extname(file)] || "application/octet-stream", "Cache-Control": "no-store" });
  fs.createReadStream(file).pipe(res);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const base = `http://127.0.0.1:${server.address().port}/`;
const fileOf = (u) => path.join(site, decodeURIComponent(new URL(u).pathname));

const browser = await chromium.launch({ executablePath: chromePath, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
const notePage = "notes/" + fs.readdirSync(path.join(site, "notes")).filter((f) => f.endsWith(".html")).sort()[0];

// firstQuery opens a fresh browser context on a note page and returns what
// the search needed beyond the page itself.
async function firstQuery(word, typed) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const seen = [];
  page.on("requestfinished", (r) => seen.push(r.url()));
  await page.goto(base + notePage, { waitUntil: "load" });
  await page.waitForTimeout(100);
  const pageFiles = seen.splice(0);
  // ui.js comes with every page but is the search box's own script.
  const ui = pageFiles.filter((u) => /\/assets\/search\//.test(u));
  const t0 = Date.now();
  if (typed) {
    await page.focus("#q");
    await page.keyboard.type(word, { delay: 60 });
    await page.waitForFunction((w) => {
      const st = document.getElementById("q-status");
      return !document.getElementById("q-panel").hidden && document.querySelectorAll("#q-list [role=option]").length > 0 &&
        document.getElementById("q").value === w;
    }, word, { timeout: 30000 });
    await page.waitForTimeout(600);
  } else {
    await page.focus("#q");
    await page.waitForFunction(() => window.gen && typeof window.gen.search === "function");
    await page.evaluate((w) => window.gen.search(w + " ", { limit: 10 }), word);
  }
  const ms = Date.now() - t0;
  const files = ui.concat(seen.filter((u) => u.startsWith(base)));
  let raw = 0, gz = 0, jsGz = 0;
  for (const u of files) {
    const f = fileOf(u);
    raw += fs.statSync(f).size;
    gz += gzSize(f);
    if (/\/assets\/search\//.test(u)) jsGz += gzSize(f);
  }
  await ctx.close();
  return { files: files.map((u) => u.slice(base.length)), raw, gz, jsGz, ms };
}

const kb = (n) => (n / 1024).toFixed(1) + " KB";
for (const [label, t] of [["rare word", rare], [`word in ${common.pages} of ${ix.nPages} pages`, common]]) {
  for (const typed of [false, true]) {
    const r = await firstQuery(t.term, typed);
    const idx = r.files.filter((f) => !/^assets\//.test(f));
    console.log(`first query, ${label} "${t.term}"${typed ? " typed into the box" : " (gen.search only)"}: ${kb(r.gz)} gzipped ` +
      `(${kb(r.raw)} raw) = client JS ${kb(r.jsGz)} + ${idx.length} index files ${kb(r.gz - r.jsGz)}; ${r.ms} ms` +
      `\n    ${idx.join(" ")}`);
  }
}

// ---- latency ----

{
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(base + notePage, { waitUntil: "load" });
  await page.focus("#q");
  await page.waitForFunction(() => window.gen && typeof window.gen.search === "function");
  const passes = await page.evaluate(async (qs) => {
    const out = [];
    for (let pass = 0; pass < 3; pass++) {
      const ts = [];
      for (const q of qs) {
        const t0 = performance.now();
        await window.gen.search(q, { limit: 10 });
        ts.push(performance.now() - t0);
      }
      out.push(ts);
    }
    return out;
  }, queries);
  const stats = (ts) => {
    const s = ts.slice().sort((a, b) => a - b);
    return `median ${s[Math.floor(s.length / 2)].toFixed(2)} ms, p95 ${s[Math.floor(s.length * 0.95)].toFixed(2)} ms, max ${s[s.length - 1].toFixed(1)} ms`;
  };
  console.log(`query latency in headless Chromium, ${queries.length} queries (100 words, 40 prefixes, 30 typos, 30 two-word), limit 10:`);
  console.log(`    first run (index files loading): ${stats(passes[0])}`);
  console.log(`    warm (third run):                ${stats(passes[2])}`);

  // Keystroke to results drawn, warm: the popup's options change after an
  // input event.
  const draw = await page.evaluate(async (ws) => {
    const q = document.getElementById("q"), list = document.getElementById("q-list");
    const ts = [];
    for (const w of ws) {
      q.value = "";
      q.dispatchEvent(new Event("input"));
      await new Promise((r) => setTimeout(r, 20));
      const t0 = performance.now();
      const done = new Promise((resolve) => {
        const mo = new MutationObserver(() => {
          if (list.querySelector("[role=option]") || document.querySelector("#q-panel .sr-none")) { mo.disconnect(); resolve(); }
        });
        mo.observe(document.getElementById("q-panel"), { childList: true, subtree: true });
      });
      q.value = w;
      q.dispatchEvent(new Event("input"));
      await done;
      await new Promise((r) => requestAnimationFrame(() => r()));
      ts.push(performance.now() - t0);
    }
    return ts;
  }, queries.slice(0, 50));
  const s = draw.slice().sort((a, b) => a - b);
  console.log(`keystroke to results drawn in the box (warm, 50 queries; excerpts are added as their files come): median ${s[25].toFixed(1)} ms, p95 ${s[Math.floor(s.length * 0.95)].toFixed(1)} ms`);
  await ctx.close();
}

await browser.close();
server.close();
