// bundle.mjs opens an offline bundle (unzipped) from file:// in Debian's
// chromium and reads it as a learner would: home → a service → a
// comparison → a note line, a search for "firehose" and for a typo of it
// through the search box, a result opened, the dark theme. It fails on any
// console error and on any request outside the bundle's folder.
//
// Usage: node bundle.mjs config.json
// config: {"dir": "/tmp/x/gen-site", "chromium": "/usr/bin/chromium"}
// It prints "ok ..." lines and exits 1 when a check failed.
import { chromium } from "playwright-core";
import fs from "node:fs";
import { pathToFileURL } from "node:url";

const cfg = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const root = pathToFileURL(cfg.dir).href.replace(/\/?$/, "/");
const failures = [];
const fail = (msg) => { failures.push(msg); console.log("FAIL " + msg); };
const ok = (msg) => console.log("ok   " + msg);

const browser = await chromium.launch({
  executablePath: cfg.chromium || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--allow-file-access-from-files"],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on("console", (m) => { if (m.type() === "error") fail("console: " + m.text()); });
page.on("pageerror", (e) => fail("page error: " + e));
page.on("request", (r) => {
  const u = r.url();
  if (!u.startsWith(root) && !u.startsWith("data:") && !u.startsWith("about:")) fail("request outside the bundle: " + u);
});
page.on("requestfailed", (r) => {
  if (!/ERR_ABORTED/.test(r.failure() && r.failure().errorText)) fail("request failed: " + r.url());
});

async function open(url, what) {
  await page.goto(url, { waitUntil: "load" });
  ok(what + ": " + url.slice(root.length));
}

try {
  await open(root + "index.html", "home");

  // A service page, reached by a link from home.
  const service = await page.$("main a[href*='services/']");
  if (!service) throw new Error("no link to a service on the home page");
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), service.click()]);
  if (!/services\/[^/]+\.html/.test(page.url())) fail("a service link led to " + page.url());
  else ok("service: " + page.url().slice(root.length));

  // A comparison, then a source line of a note.
  await open(root + "index.html", "home again");
  const cmp = await page.$("main a[href*='comparisons/']");
  if (!cmp) fail("no link to a comparison on the home page");
  else {
    await Promise.all([page.waitForNavigation({ waitUntil: "load" }), cmp.click()]);
    ok("comparison: " + page.url().slice(root.length));
  }
  await open(root + "services/kinesis-data-streams.html", "the Kinesis Data Streams page");
  const src = await page.$("a[href*='notes/'][href*='#L']");
  if (!src) fail("no source link to a note line");
  else {
    const href = await src.getAttribute("href");
    await page.goto(new URL(href, page.url()).href, { waitUntil: "load" });
    const id = decodeURIComponent(new URL(page.url()).hash.slice(1));
    const there = await page.$(`[id="${id}"]`);
    if (!there) fail("note line " + id + " is not on " + page.url());
    else ok("note line: " + page.url().slice(root.length));
  }

  // Search through the box, for the word and for a typo of it.
  for (const q of ["firehose", "fireshose"]) {
    await open(root + "index.html", "home for search");
    await page.click("input[name=q]");
    await page.keyboard.type(q, { delay: 20 });
    const first = await page.waitForSelector("[role=listbox] [role=option]", { timeout: 10000 }).catch(() => null);
    if (!first) { fail(`no results for "${q}" from file://`); continue; }
    const text = (await page.textContent("[role=listbox]")) || "";
    if (!/firehose/i.test(text)) fail(`results for "${q}" do not name Firehose: ${text.slice(0, 200)}`);
    else ok(`search "${q}": ${text.slice(0, 80).replace(/\s+/g, " ")}`);
    if (q === "firehose") {
      await page.keyboard.press("ArrowDown");
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
      if (page.url().startsWith(root + "index.html") || page.url().includes("search.html")) fail("Enter did not open a result: " + page.url());
      else ok("result opened: " + page.url().slice(root.length));
    }
  }

  // The dark theme, remembered across pages.
  await open(root + "index.html", "home for the theme");
  await page.click(".theme-toggle");
  const theme = await page.evaluate(() => document.documentElement.getAttribute("data-theme"));
  if (theme !== "dark" && theme !== "light") fail("the theme toggle set no theme");
  else ok("theme toggled to " + theme);
} catch (e) {
  fail(String(e && e.stack || e));
}
await browser.close();
if (failures.length) {
  console.log(`${failures.length} failed`);
  process.exit(1);
}
console.log("all bundle checks passed");
