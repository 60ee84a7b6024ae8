// The editor in a real browser: axe-core (WCAG 2.1 AA + best practice) on every editor page at 1280 and
// 390 px wide, then a measure edited with the keyboard only (Tab to the field, type, Tab to the button,
// Enter).
//
//   node audit_editor.mjs '<json config>'
//
// config: {"chromium": "...", "base": "http://127.0.0.1:PORT", "username": "...", "password": "...",
//          "pages": [{"name": "...", "url": "...",
//                     "upload": {"input": "css selector", "file": "/path", "submit": "css selector"}}],  // upload optional
//          "keyboard": {"url": "...", "title": "..."}}
// Prints one JSON document: {"pages": [{name, width, status, h1, scrollWidth, tables, cards, violations}], "keyboard": {...}}.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { layoutFacts } from "./layout.mjs";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const config = JSON.parse(process.argv[2]);
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
const WIDTHS = [1280, 390];

async function logIn(context) {
  const page = await context.newPage();
  await page.goto(`${config.base}/accounts/login/?next=/manage/`, { waitUntil: "load" });
  await page.getByLabel(/ユーザー名|Username/).fill(config.username);
  await page.getByLabel(/パスワード|Password/).fill(config.password);
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.locator("main button[type=submit]").click()]);
  await page.close();
}

async function axe(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const result = await page.evaluate(
    async (tags) => await window.axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"] }),
    TAGS,
  );
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}

async function tabTo(page, predicate, limit = 400, arg = null) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(predicate, arg)) return i + 1;
  }
  throw new Error("never reached by Tab");
}

const browser = await chromium.launch({
  executablePath: config.chromium,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
});
const out = { pages: [], keyboard: null };
try {
  for (const width of WIDTHS) {
    // bypassCSP: axe is injected as an inline script; the pages themselves run under the site's CSP
    const context = await browser.newContext({ locale: "ja-JP", viewport: { width, height: 900 }, bypassCSP: true });
    await logIn(context);
    // one tab per context, taken from page to page: a new tab for each page cost a renderer process and axe's
    // compilation every time (about three times the CPU); each page is still a fresh document (page.goto)
    const page = await context.newPage();
    for (const spec of config.pages) {
      let response = await page.goto(spec.url, { waitUntil: "load" });
      if (spec.upload) {
        // the page after a file is sent that the server refuses (its problems listed in a table)
        await page.locator(spec.upload.input).setInputFiles(spec.upload.file);
        [response] = await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.locator(spec.upload.submit).first().click()]);
      }
      const h1 = await page.evaluate(() => (document.querySelector("h1") || { innerText: "" }).innerText.trim());
      out.pages.push({ name: spec.name, width, status: response.status(), h1, ...(await layoutFacts(page)), violations: await axe(page) });
    }
    await page.close();
    if (width === 1280 && config.keyboard) {
      const page = await context.newPage();
      await page.goto(config.keyboard.url, { waitUntil: "load" });
      const toField = await tabTo(page, () => document.activeElement && document.activeElement.id === "id_title");
      await page.keyboard.press("Control+A");
      await page.keyboard.type(config.keyboard.title);
      const toButton = await tabTo(page, () => {
        const el = document.activeElement;
        return el && el.tagName === "BUTTON" && el.closest("form") && el.closest("form").querySelector("#id_title");
      });
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
      const after = await page.evaluate(() => ({
        status: (document.querySelector("[role=status]") || { innerText: "" }).innerText.trim(),
        title: document.querySelector("#id_title") ? document.querySelector("#id_title").value : "",
      }));
      out.keyboard = { toField, toButton, ...after };
      await page.close();
      if (config.reorder) {
        // htmx: the list's Down button moves the first measure in place; focus stays on the button
        const list = await context.newPage();
        await list.goto(config.reorder.url, { waitUntil: "load" });
        const firstRow = () => document.querySelector("#measures-section tbody tr").id;
        const before = await list.evaluate(firstRow);
        const downId = "down-" + before.slice(2);
        await tabTo(list, (id) => document.activeElement && document.activeElement.id === id, 400, downId);
        await Promise.all([list.waitForResponse((r) => r.url().includes("/list/down/") || r.url().includes("/edit/")), list.keyboard.press("Enter")]);
        await list.waitForFunction((b) => document.querySelector("#measures-section tbody tr").id !== b, before);
        out.reorder = {
          before,
          after: await list.evaluate(firstRow),
          focused: await list.evaluate(() => document.activeElement && document.activeElement.id),
          downId,
          reloaded: await list.evaluate(() => performance.getEntriesByType("navigation").length),
          status: await list.evaluate(() => (document.querySelector("#notices") || { innerText: "" }).innerText.trim()),
        };
        await list.close();
      }
    }
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
