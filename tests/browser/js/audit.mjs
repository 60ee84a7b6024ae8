// Drive Debian's headless Chromium over keikaku pages: axe-core (WCAG 2.1 AA) and keyboard checks.
//
//   node audit.mjs '<json config>'
//
// config: {"chromium": "/usr/bin/chromium", "mode": "axe" | "keyboard",
//          "pages": [{"name": "...", "url": "http://...", "locale": "ja-JP", "width": 390,
//                     "waitFor": "css selector"}]}   (width and waitFor optional)
// Prints one JSON document on stdout: {"mode": ..., "pages": [{name, url, status, lang, width, scrollWidth,
// tables, cards, violations, passes}]} (axe) or the keyboard walk of each page. Nothing is downloaded: playwright-core only drives the given
// executable, and axe-core is read from node_modules and injected into each page.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { layoutFacts } from "./layout.mjs";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

const config = JSON.parse(process.argv[2]);
// Content-Security-Policy stays on: a page whose own scripts, styles or images it blocks fails the run
const cspViolations = [];
function watchCsp(page) {
  page.on("console", (msg) => {
    if (msg.type() === "error" && msg.text().includes("Content Security Policy")) {
      cspViolations.push(`${page.url()}: ${msg.text()}`);
    }
  });
}

async function axePage(page, spec) {
  const response = await page.goto(spec.url, { waitUntil: "load" });
  // content a page's own script adds (the static site's search results): wait for it, fail without it
  if (spec.waitFor) await page.waitForSelector(spec.waitFor, { timeout: 10000 });
  // closed <details> hide content from axe: open them so everything is checked
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
  await page.evaluate(AXE_SOURCE); // through DevTools, not an inline <script>: the page keeps its CSP
  const result = await page.evaluate(
    async (tags) =>
      await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
  const lang = await page.evaluate(() => document.documentElement.lang);
  return {
    name: spec.name,
    url: spec.url,
    status: response ? response.status() : null,
    lang,
    width: spec.width || 1280,
    ...(await layoutFacts(page)),
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    })),
    passes: result.passes ? result.passes.length : null,
  };
}

// a description of the focused element and whether its focus is visible
const FOCUSED = () => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  let inMain = false;
  for (let p = el; p; p = p.parentElement) if (p.tagName === "MAIN") inMain = true;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id || null,
    cls: el.className || null,
    href: el.getAttribute("href"),
    text: (el.innerText || el.value || "").trim().slice(0, 60),
    inMain,
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0 && box.left < innerWidth,
  };
};

async function keyboardPage(context, spec) {
  const page = await context.newPage();
  watchCsp(page);
  await page.goto(spec.url, { waitUntil: "load" });
  // 1. the first Tab lands on the skip link, which is then visible
  await page.keyboard.press("Tab");
  const first = await page.evaluate(FOCUSED);
  // 2. Enter follows it: focus moves to <main>
  await page.keyboard.press("Enter");
  await page.waitForTimeout(100);
  const afterSkip = await page.evaluate(FOCUSED);
  // 3. the next Tab reaches the first control inside main
  await page.keyboard.press("Tab");
  const next = await page.evaluate(FOCUSED);
  // 4. focus order from the top of a fresh page follows the document order
  await page.goto(spec.url, { waitUntil: "load" });
  await page.evaluate(() => {
    window.__order = [];
    document.addEventListener("focusin", (e) => window.__order.push(e.target));
  });
  const stops = [];
  for (let i = 0; i < (spec.tabs || 25); i++) {
    await page.keyboard.press("Tab");
    const here = await page.evaluate(FOCUSED);
    if (!here) break; // focus left the page after its last control
    stops.push(here);
  }
  const inDocumentOrder = await page.evaluate(() => {
    const seq = window.__order;
    for (let i = 1; i < seq.length; i++) {
      if (seq[i] === seq[i - 1]) continue;
      if (!(seq[i - 1].compareDocumentPosition(seq[i]) & Node.DOCUMENT_POSITION_FOLLOWING)) return { ok: false, at: i };
    }
    return { ok: true, count: seq.length };
  });
  await page.close();
  return { name: spec.name, url: spec.url, first, afterSkip, next, stops, inDocumentOrder };
}

const browser = await chromium.launch({
  executablePath: config.chromium,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
});
const out = { mode: config.mode, pages: [] };
try {
  const contexts = {};
  const tabs = {};
  for (const spec of config.pages) {
    const locale = spec.locale || "ja-JP";
    const width = spec.width || 1280; // optional: a narrow screen (390)
    const key = `${locale} ${width}`;
    if (!contexts[key]) contexts[key] = await browser.newContext({ locale, viewport: { width, height: 900 } });
    const ctx = contexts[key];
    if (config.mode === "keyboard") {
      out.pages.push(await keyboardPage(ctx, spec));
      continue;
    }
    // one tab per context, taken from page to page: a new tab for each page cost a renderer process and axe's
    // compilation every time (about three times the CPU); each page is still a fresh document (page.goto)
    if (!tabs[key]) {
      tabs[key] = await ctx.newPage();
      watchCsp(tabs[key]);
    }
    out.pages.push(await axePage(tabs[key], spec));
  }
} finally {
  await browser.close();
}
if (cspViolations.length) {
  process.stderr.write(`Content-Security-Policy violations:\n${cspViolations.join("\n")}\n`);
  process.exitCode = 1;
}
process.stdout.write(JSON.stringify(out));
