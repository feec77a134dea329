// parity.js runs assets/search/search.js the way a browser does: in its own
// global context with a document whose <script> tags load index files from
// disk, then prints JSON answers for the Go tests and the benchmark.
//
//   node parity.js search CLIENT INDEXDIR QUERIES.json LIMIT   -> [[{id, score}]...]
//   node parity.js analyze CLIENT INPUT.json                  -> {terms, stems}
//   node parity.js bytes CLIENT INDEXDIR QUERIES.json         -> [{query, files, raw, gz, excerptFiles, excerptGz}]
//   node parity.js latency CLIENT INDEXDIR QUERIES.json       -> {n, median, p95, max} (ms, warm)
//   node parity.js excerpt CLIENT INDEXDIR QUERY              -> {hits, excerpt}
'use strict';
const vm = require('vm');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

// browser returns a fresh page: a context with window, document and the
// client loaded. Loaded files are recorded in page.loaded.
function browser(client, indexDir) {
  const page = { loaded: [] };
  const head = {
    appendChild(el) {
      const file = el.src;
      setImmediate(() => {
        let code;
        try {
          code = fs.readFileSync(file);
        } catch (e) {
          if (el.onerror) el.onerror(new Error('404 ' + file));
          return;
        }
        page.loaded.push({ file: path.relative(indexDir, file), raw: code.length, gz: zlib.gzipSync(code, { level: 9 }).length });
        vm.runInContext(code.toString('utf8'), ctx, { filename: file });
        if (el.onload) el.onload();
      });
    },
  };
  const document = {
    head,
    currentScript: { getAttribute: (k) => (k === 'data-index' ? indexDir + '/' : null) },
    createElement: () => ({}),
  };
  const sandbox = { document, console };
  sandbox.window = sandbox;
  const ctx = vm.createContext(sandbox);
  vm.runInContext(fs.readFileSync(client, 'utf8'), ctx, { filename: client });
  // Only the script's own load sees document.currentScript.
  document.currentScript = null;
  page.gen = sandbox.gen;
  page.window = sandbox;
  return page;
}

async function main() {
  const [mode, client, a, b, c] = process.argv.slice(2);
  if (mode === 'search') {
    const queries = JSON.parse(fs.readFileSync(b, 'utf8'));
    const limit = Number(c || 10);
    const page = browser(client, a);
    const out = [];
    for (const q of queries) {
      try {
        const hits = await page.gen.search(q, { limit });
        out.push(hits.map((h) => ({ id: h.id, url: h.url, title: h.title, section: h.section, score: h.score })));
      } catch (e) {
        out.push({ error: String(e && e.stack || e) });
      }
    }
    process.stdout.write(JSON.stringify(out));
  } else if (mode === 'analyze') {
    const input = JSON.parse(fs.readFileSync(a, 'utf8'));
    const page = browser(client, '.');
    const s = page.gen._search;
    process.stdout.write(JSON.stringify({
      terms: input.texts.map((t) => s.analyze(t)),
      stems: input.words.map((w) => s.stem(w)),
      stop: s.stopWords,
      segmenter: typeof Intl !== 'undefined' && !!Intl.Segmenter,
    }));
  } else if (mode === 'bytes') {
    const queries = JSON.parse(fs.readFileSync(b, 'utf8'));
    const out = [];
    for (const q of queries) {
      const page = browser(client, a);
      const t0 = process.hrtime.bigint();
      const hits = await page.gen.search(q, { limit: 10 });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      const raw = page.loaded.reduce((s, f) => s + f.raw, 0);
      const gz = page.loaded.reduce((s, f) => s + f.gz, 0);
      const files = page.loaded.map((f) => f.file);
      // Then what showing the hits adds: each one's excerpt.
      const before = page.loaded.length;
      for (const h of hits) await page.gen.excerpt(h, q, {});
      const shown = page.loaded.slice(before);
      out.push({ query: q, hits: hits.length, files, raw, gz, ms,
        excerptFiles: shown.length, excerptGz: shown.reduce((s, f) => s + f.gz, 0) });
    }
    process.stdout.write(JSON.stringify(out));
  } else if (mode === 'latency') {
    // Warm: every file the queries need is loaded; then time each query.
    const queries = JSON.parse(fs.readFileSync(b, 'utf8'));
    const page = browser(client, a);
    for (const q of queries) await page.gen.search(q, { limit: 10 });
    const ms = [];
    for (const q of queries) {
      const t0 = process.hrtime.bigint();
      await page.gen.search(q, { limit: 10 });
      ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    ms.sort((x, y) => x - y);
    process.stdout.write(JSON.stringify({ n: ms.length, median: ms[ms.length >> 1], p95: ms[Math.floor(ms.length * 0.95)], max: ms[ms.length - 1] }));
  } else if (mode === 'excerpt') {
    const page = browser(client, a);
    const hits = await page.gen.search(b, { limit: 3 });
    const ex = hits.length ? await page.gen.excerpt(hits[0], b, {}) : null;
    process.stdout.write(JSON.stringify({ hits, excerpt: ex }));
  } else {
    throw new Error('unknown mode ' + mode);
  }
}

main().catch((e) => {
  process.stderr.write(String(e && e.stack || e) + '\n');
  process.exit(1);
});
