// run.mjs drives Debian's chromium over a built gen site: every page kind at
// a phone and a desktop width (no console error, no sideways scrolling, no
// serious or critical axe-core violation, a screenshot), then the
// interactions: click-through from home to a source line, hover previews,
// the menu button, the theme toggle and the graph page's zoom, pan,
// highlighting, filter and find.
//
// Usage: node run.mjs config.json
// config: {"base": "http://127.0.0.1:1234/", "shots": "/tmp/shots",
//          "pages": [{"kind": "home", "path": "index.html"}, ...]}
// It prints a JSON report on the last line and exits 1 when a check failed.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";

const require = createRequire(import.meta.url);
const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
require.resolve("axe-core/axe.min.js"); // fail early when it is missing
fs.mkdirSync(cfg.shots, { recursive: true });

const failures = [];
const report = { pages: [], interactions: [], axe: {} };
function fail(where, msg) {
  failures.push(`${where}: ${msg}`);
  console.log(`FAIL ${where}: ${msg}`);
}
function ok(what) {
  report.interactions.push(what);
  console.log(`ok   ${what}`);
}

const browser = await chromium.launch({
  executablePath: cfg.chromium || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// watch collects console errors and uncaught exceptions of a page.
function watch(page, where) {
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("requestfailed", (r) => {
    // A navigation cancels the previous page's requests: not an error.
    if (!/ERR_ABORTED/.test(r.failure() && r.failure().errorText)) errors.push("request failed: " + r.url());
  });
  page.on("response", (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`); });
  return () => { for (const e of errors) fail(where, "console: " + e); errors.length = 0; };
}

async function axe(page, where) {
  // Served by the test server from node_modules: the site's CSP refuses
  // inline scripts, this one included.
  await page.addScriptTag({ url: cfg.base + "__test/axe.min.js" });
  const res = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length,
      first: v.nodes[0] && v.nodes[0].target.join(" ") }));
  });
  report.axe[where] = res;
  for (const v of res) {
    const line = `${v.id} (${v.impact}, ${v.nodes} nodes, e.g. ${v.first})`;
    if (v.impact === "serious" || v.impact === "critical") fail(where, "axe: " + line);
    else console.log(`note ${where}: axe ${line}`);
  }
}

// Every page kind at both widths, and dark at the desktop width.
for (const [width, scheme] of [[375, "light"], [1280, "light"], [1280, "dark"]]) {
  const ctx = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: scheme });
  for (const pg of cfg.pages) {
    const where = `${pg.kind} ${width}px ${scheme}`;
    const page = await ctx.newPage();
    const flush = watch(page, where);
    const t0 = Date.now();
    await page.goto(cfg.base + pg.path, { waitUntil: "load" });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 1) fail(where, `page is ${overflow}px wider than the screen`);
    const title = await page.title();
    if (!title) fail(where, "no title");
    await axe(page, where);
    const full = await page.evaluate(() => document.documentElement.scrollHeight);
    const file = path.join(cfg.shots, `${pg.kind}-${width}${scheme === "dark" ? "-dark" : ""}.png`);
    await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, width, height: Math.min(full, 2600) } });
    report.pages.push({ kind: pg.kind, width, scheme, path: pg.path, ms: Date.now() - t0, title });
    flush();
    await page.close();
  }
  await ctx.close();
}

async function step(name, fn) {
  try {
    await fn();
    ok(name);
  } catch (e) {
    fail(name, String(e && e.message ? e.message.split("\n")[0] : e));
  }
}
function expect(cond, msg) { if (!cond) throw new Error(msg); }

const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await ctx.newPage();
const flush = watch(page, "interactions");
page.setDefaultTimeout(5000);

await step("home → category → service → comparison → source line", async () => {
  await page.goto(cfg.base + "index.html");
  await page.click(".cat-card h3 a");
  expect(/\/categories\/[^/]+\.html$/.test(page.url()), "not on a category page: " + page.url());
  await page.click(`.members a.mlink[href$="/${cfg.service}.html"], .members a.mlink`);
  expect(/\/services\/[^/]+\.html$/.test(page.url()), "not on a service page: " + page.url());
  if (cfg.service) await page.goto(cfg.base + "services/" + cfg.service + ".html");
  await page.click("table.cmp caption a");
  expect(/\/comparisons\/[^/]+\.html$/.test(page.url()), "not on a comparison page: " + page.url());
  const badge = page.locator("table.cmp details.badge summary").first();
  await badge.click();
  const src = page.locator("table.cmp details.badge[open] .sources a").first();
  const href = await src.getAttribute("href");
  await src.click();
  await page.waitForLoadState("load"); // a long note is still arriving when the URL changes
  expect(/\/notes\/[^/]+\.html#L\d+$/.test(page.url()), "not on a note line: " + page.url());
  const id = href.split("#")[1];
  const lit = await page.evaluate((id) => {
    const el = document.getElementById(id);
    if (!el) return "no element #" + id;
    const r = el.getBoundingClientRect();
    if (r.top < -5 || r.top > window.innerHeight) return "line not scrolled into view: top " + r.top;
    return document.querySelector(".hit") ? "" : "no highlighted line";
  }, id);
  expect(lit === "", lit);
});

await step("hover preview on an entity link, then keyboard focus and Escape", async () => {
  await page.goto(cfg.base + "services/" + cfg.service + ".html");
  const link = page.locator("main a.chip[data-e]").first();
  const id = await link.getAttribute("data-e");
  // The previews come from data/previews.js, one deferred script for the
  // whole site, not from the page.
  await page.waitForFunction(() => window.genPreviews);
  const data = await page.evaluate(() => window.genPreviews);
  expect(data[id], "no preview data for " + id);
  await link.hover();
  await page.waitForSelector(".popover:not([hidden])");
  const text = await page.textContent(".popover");
  expect(text.includes(data[id].n), `popover says ${text}, want ${data[id].n}`);
  await page.mouse.move(0, 0);
  await page.waitForSelector(".popover[hidden]", { state: "attached" });
  await link.focus();
  await page.waitForSelector(".popover:not([hidden])");
  expect((await link.getAttribute("aria-describedby")) === "gen-popover", "focused link not described by the popover");
  await page.keyboard.press("Escape");
  await page.waitForSelector(".popover[hidden]", { state: "attached" });
});

await step("a fact's badge opens its sources without script", async () => {
  await page.goto(cfg.base + "services/" + cfg.service + ".html");
  const d = page.locator(".facts details.badge").first();
  expect(!(await d.evaluate((el) => el.open)), "badge open before a click");
  await d.locator("summary").click();
  expect(await d.evaluate((el) => el.open), "badge did not open");
  expect(await d.locator(".sources a").count() > 0, "no source links");
});

await step("theme toggle is remembered", async () => {
  await page.goto(cfg.base + "index.html");
  const before = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.click(".theme-toggle");
  const theme = await page.evaluate(() => document.documentElement.getAttribute("data-theme"));
  expect(theme === "dark" || theme === "light", "no data-theme after a click");
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.getAttribute("data-theme")) === theme, "theme not kept");
  const after = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(before !== after, "background did not change");
  await page.evaluate(() => localStorage.clear());
});

await step("graph: hover highlights neighbours", async () => {
  await page.goto(cfg.base + "graph.html");
  const n = await page.locator("#kg a.node").count();
  expect(n > 3, `${n} nodes`);
  // The best-connected node, so it has neighbours to light.
  const id = await page.evaluate(() => {
    let best = null, deg = -1;
    for (const a of document.querySelectorAll("#kg a.node")) {
      const d = document.querySelectorAll(`#kg .edge[data-a="${a.dataset.id}"], #kg .edge[data-b="${a.dataset.id}"]`).length;
      if (d > deg) { deg = d; best = a.dataset.id; }
    }
    return best;
  });
  // Nodes overlap in the middle: hover where the hub is drawn and check
  // the node that is on top there.
  const at = await page.evaluate((id) => {
    const r = document.querySelector(`#kg a.node[data-id="${id}"] circle`).getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const top = document.elementFromPoint(x, y);
    return { x, y, id: top && top.closest(".node") ? top.closest(".node").dataset.id : id };
  }, id);
  await page.mouse.move(at.x, at.y);
  const state = await page.evaluate((id) => ({
    dim: document.getElementById("kg").classList.contains("dim"),
    self: document.querySelector(`#kg a.node[data-id="${id}"]`).classList.contains("hl"),
    lit: document.querySelectorAll("#kg .node.hl").length,
    edges: document.querySelectorAll("#kg .edge.hl").length,
  }), at.id);
  expect(state.dim && state.self && state.lit > 1 && state.edges > 0, "highlight state " + JSON.stringify(state));
});

await step("graph: wheel zoom and drag pan", async () => {
  const t0 = await page.getAttribute("#kg .viewport", "transform");
  const box = await page.locator("#kg").boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, -300);
  const t1 = await page.getAttribute("#kg .viewport", "transform");
  expect(t1 && t1 !== t0 && /scale\(1\.[2-9]/.test(t1), "zoom transform " + t1);
  await page.mouse.move(box.x + 20, box.y + 20);
  await page.mouse.down();
  await page.mouse.move(box.x + 140, box.y + 90, { steps: 5 });
  await page.mouse.up();
  const t2 = await page.getAttribute("#kg .viewport", "transform");
  expect(t2 !== t1, "pan did not move the drawing");
  await page.click(".graph-tools [data-zoom=reset]");
});

await step("graph: category filter hides a category's nodes", async () => {
  const box = page.locator(".legend input[data-cat]").first();
  const cat = await box.getAttribute("data-cat");
  const count = await page.locator(`#kg a.node[data-cat="${cat}"]`).count();
  await box.uncheck();
  const hidden = await page.evaluate((cat) => [...document.querySelectorAll(`#kg a.node[data-cat="${cat}"]`)]
    .every((n) => getComputedStyle(n).display === "none"), cat);
  expect(count > 0 && hidden, `${count} nodes of ${cat}, hidden ${hidden}`);
  await box.check();
});

await step("graph: find focuses a node", async () => {
  const name = await page.locator("#kg a.node text").first().textContent();
  await page.fill("#kg-find", name);
  await page.press("#kg-find", "Enter");
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.classList.contains("node"));
  const t = await page.getAttribute("#kg .viewport", "transform");
  expect(focused && /scale\(2\.5/.test(t), `focused ${focused}, transform ${t}`);
});

await page.setViewportSize({ width: 375, height: 800 });
await step("phone: the menu button shows the categories", async () => {
  await page.goto(cfg.base + "services/" + cfg.service + ".html");
  const nav = page.locator("#site-nav");
  expect(!(await nav.isVisible()), "navigation visible before the menu is opened");
  await page.click(".menu-toggle");
  expect(await nav.isVisible(), "navigation hidden after the menu is opened");
  expect((await page.getAttribute(".menu-toggle", "aria-expanded")) === "true", "aria-expanded not true");
  await page.screenshot({ path: path.join(cfg.shots, "menu-375.png") });
});

await step("keyboard: skip link and visible focus", async () => {
  await page.goto(cfg.base + "index.html");
  await page.keyboard.press("Tab");
  const skip = await page.evaluate(() => {
    const a = document.activeElement;
    const r = a.getBoundingClientRect();
    return { cls: a.className, visible: r.left >= 0 && r.width > 0, outline: getComputedStyle(a).outlineStyle };
  });
  expect(skip.cls === "skip" && skip.visible && skip.outline !== "none", "skip link " + JSON.stringify(skip));
  await page.keyboard.press("Enter");
  expect(await page.evaluate(() => location.hash === "#main"), "skip link did not go to #main");
});
flush();
await browser.close();

report.failures = failures;
console.log(`${report.pages.length} page loads, ${report.interactions.length} interactions passed; screenshots in ${cfg.shots}`);
console.log(JSON.stringify(report));
process.exit(failures.length ? 1 : 0);
