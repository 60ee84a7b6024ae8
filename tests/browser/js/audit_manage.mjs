// axe-core (WCAG 2.1 AA) over the logged-in pages: log in through the real login form, then audit.
//
//   node audit_manage.mjs '<json config>'
//
// config: {"chromium": "/usr/bin/chromium", "base": "http://127.0.0.1:PORT",
//          "username": "...", "password": "...",
//          "extraTags": ["best-practice"],                          // optional
//          "pages": [{"name": "...", "url": "http://...", "locale": "ja-JP", "width": 390,
//                     "fill": {"label": "value"}, "files": {"css selector": "/path"},
//                     "submit": "css selector"}]}   // width/fill/files/submit optional
// Prints one JSON document on stdout: {"login": {locale: {...}}, "pages": [...]}; each page with its
// status, lang, h1, path, alert, scrollWidth, width, tables, cards and axe violations.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { layoutFacts } from "./layout.mjs";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
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
// WCAG 2.1 AA, plus whatever else the config asks for (e.g. "best-practice": heading order, landmarks)
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", ...(config.extraTags || [])];

async function axeHere(page, spec, response) {
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => (d.open = true)));
  await page.evaluate(AXE_SOURCE); // through DevTools, not an inline <script>: the page keeps its CSP
  const result = await page.evaluate(
    async (tags) =>
      await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
  const info = await page.evaluate(() => ({
    lang: document.documentElement.lang,
    h1: (document.querySelector("h1") || { innerText: "" }).innerText.trim(),
    path: location.pathname,
    alert: (document.querySelector("[role=alert]") || { innerText: "" }).innerText.trim(),
    width: window.innerWidth,
  }));
  return {
    name: spec.name,
    url: spec.url,
    status: response ? response.status() : null,
    ...info,
    ...(await layoutFacts(page)),
    violations: result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    })),
  };
}

async function logIn(context, locale) {
  const page = await context.newPage();
  watchCsp(page);
  const url = `${config.base}/accounts/login/?next=/manage/`;
  const response = await page.goto(url, { waitUntil: "load" });
  const audit = await axeHere(page, { name: `login-${locale}`, url }, response);
  await page.getByLabel(/ユーザー名|Username/).fill(config.username);
  await page.getByLabel(/パスワード|Password/).fill(config.password);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.locator("main button[type=submit]").click()]);
  const landed = new URL(page.url()).pathname;
  await page.close();
  return { audit, landed };
}

const browser = await chromium.launch({
  executablePath: config.chromium,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
});
const out = { login: {}, pages: [] };
try {
  const contexts = {};
  const tabs = {};
  for (const spec of config.pages) {
    const locale = spec.locale || "ja-JP";
    const width = spec.width || 1280; // optional: a phone (390)
    const key = `${locale} ${width}`;
    if (!contexts[key]) {
      contexts[key] = await browser.newContext({ locale, viewport: { width, height: 900 } });
      const login = await logIn(contexts[key], locale);
      if (!out.login[locale]) out.login[locale] = login;
    }
    // one tab per context, taken from page to page: a new tab for each page cost a renderer process and axe's
    // compilation every time (about three times the CPU); each page is still a fresh document (page.goto)
    if (!tabs[key]) {
      tabs[key] = await contexts[key].newPage();
      watchCsp(tabs[key]);
    }
    const page = tabs[key];
    let response = await page.goto(spec.url, { waitUntil: "load" });
    if (spec.fill) for (const [label, value] of Object.entries(spec.fill)) await page.getByLabel(label).fill(value);
    if (spec.files) for (const [selector, path] of Object.entries(spec.files)) await page.locator(selector).setInputFiles(path);
    if (spec.submit) {
      // the page after a form is sent (error states: messages, role=alert)
      [response] = await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.locator(spec.submit).first().click()]);
    }
    out.pages.push(await axeHere(page, spec, response));
  }
} finally {
  await browser.close();
}
if (cspViolations.length) {
  process.stderr.write(`Content-Security-Policy violations:\n${cspViolations.join("\n")}\n`);
  process.exitCode = 1;
}
process.stdout.write(JSON.stringify(out));
