// The web import in a real browser: log in, upload a plan document, watch the job page until the review
// appears by itself (htmx with JavaScript; the <noscript> meta refresh without), axe on the job page and
// the review page, at 1280 and 390 px.
//
//   node import_flow.mjs '<json config>'
//
// config: {"chromium": "...", "base": "http://127.0.0.1:PORT", "username": "...", "password": "...",
//          "file": "/path/to/plan.docx", "slowFile": "/path/to/slow.pdf"}
// Prints one JSON document: {"runs": [{"js": true, "width": 1280, "job": {...}, "review": {...}}, ...]}.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { layoutFacts } from "./layout.mjs";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const config = JSON.parse(process.argv[2]);
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const cspViolations = [];

async function audit(page, js) {
  const status = page.locator("[role=status]:not(#notices)").first();
  const info = {
    path: new URL(page.url()).pathname,
    h1: (await page.locator("h1").innerText()).trim(),
    status: (await status.count()) ? (await status.innerText()).trim() : "",
    live: (await status.count()) ? await status.getAttribute("aria-live") : null,
    ...(await layoutFacts(page)),
  };
  if (!js) return { ...info, violations: [] }; // axe runs in the page: the JavaScript run audits the same HTML
  await page.evaluate(AXE_SOURCE); // through DevTools, not an inline <script>: the page keeps its CSP
  const result = await page.evaluate(
    async (tags) =>
      await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
  return {
    ...info,
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    })),
  };
}

async function run(browser, js, width, file) {
  const context = await browser.newContext({ locale: "ja-JP", javaScriptEnabled: js, viewport: { width, height: 900 } });
  const page = await context.newPage();
  page.on("console", (msg) => {
    if (msg.type() === "error" && msg.text().includes("Content Security Policy")) cspViolations.push(msg.text());
  });
  await page.goto(`${config.base}/accounts/login/?next=/manage/import/`, { waitUntil: "load" });
  await page.getByLabel(/ユーザー名|Username/).fill(config.username);
  await page.getByLabel(/パスワード|Password/).fill(config.password);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.locator("main button[type=submit]").click()]);
  await page.getByLabel("計画書のファイル").setInputFiles(file);
  const started = Date.now();
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.locator("main button[type=submit]").click()]);
  const answered = Date.now() - started; // the upload returns at once, before the document is read
  // hold the page's own refreshes (htmx polls, the meta refresh) while axe looks at the job page
  let release;
  const audited = new Promise((resolve) => (release = resolve));
  await page.route(`**${new URL(page.url()).pathname}`, async (route) => {
    await audited;
    await route.continue();
  });
  let job;
  try {
    job = await audit(page, js);
  } finally {
    release();
  }
  // no click, no reload: the page turns into the review by itself
  await page.locator("h1", { hasText: "取り込みの確認" }).waitFor({ timeout: config.waitMs || 90000 });
  await page.waitForLoadState("load");
  const review = await audit(page, js);
  await context.close();
  return { js, width, answered, job, review, seconds: (Date.now() - started) / 1000 };
}

const browser = await chromium.launch({
  executablePath: config.chromium,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
});
const out = { runs: [] };
try {
  out.runs.push(await run(browser, true, 1280, config.slowFile || config.file));
  out.runs.push(await run(browser, true, 390, config.file));
  out.runs.push(await run(browser, false, 1280, config.file));
} finally {
  await browser.close();
}
if (cspViolations.length) {
  process.stderr.write(`Content-Security-Policy violations:\n${cspViolations.join("\n")}\n`);
  process.exitCode = 1;
}
process.stdout.write(JSON.stringify(out));
