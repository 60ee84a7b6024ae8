// Drafting a plan from the guide in a real browser: the wizard walked with the keyboard only (Tab, the
// arrow keys, Space, Enter), then axe-core (WCAG 2.1 AA + best practice) on the wizard's pages, the new
// draft's editor (with the 手引への適合 panel) and its gap report, at 1280 and 390 px wide.
//
//   node draft_flow.mjs '<json config>'
//
// config: {"chromium": "...", "base": "http://127.0.0.1:PORT", "username": "...", "password": "...",
//          "organisation": "ひなた村", "picks": 8}
// Prints one JSON document: {"walk": {...}, "pages": [{name, width, status, h1, scrollWidth, tables, cards, violations}]}.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { layoutFacts } from "./layout.mjs";
import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const config = JSON.parse(process.argv[2]);
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];

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
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }));
}

async function tabTo(page, predicate, arg = null, limit = 300) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate(predicate, arg)) return i + 1;
  }
  throw new Error("never reached by Tab");
}

const focusedId = (id) => document.activeElement && document.activeElement.id === id;
const focusedSubmit = () => {
  const el = document.activeElement;
  return el && el.tagName === "BUTTON" && el.type === "submit" && !!el.closest("main");
};

const browser = await chromium.launch({
  executablePath: config.chromium,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
});
const out = { walk: null, pages: [] };
try {
  const urls = [];
  for (const width of [1280, 390]) {
    const context = await browser.newContext({ locale: "ja-JP", viewport: { width, height: 900 }, bypassCSP: true });
    await logIn(context);
    if (width === 1280) {
      const page = await context.newPage();
      await page.goto(`${config.base}/manage/plans/new/`, { waitUntil: "load" });
      urls.push(["draft-start", page.url()]);
      // step 1: the organisation (arrow keys in the select), the period as offered, 兼 DX (Space), Enter
      await tabTo(page, focusedId, "id_organisation");
      for (let i = 0; i < 10; i++) {
        const chosen = await page.evaluate(() => { const s = document.activeElement; return s.options[s.selectedIndex].text; });
        if (chosen.includes(config.organisation)) break;
        await page.keyboard.press("ArrowDown");
      }
      const organisation = await page.evaluate(() => { const s = document.activeElement; return s.options[s.selectedIndex].text; });
      const dx = await page.evaluate(() => document.querySelector("input[name=also][value=dx]").id);
      await tabTo(page, focusedId, dx);
      await page.keyboard.press("Space");
      await tabTo(page, focusedSubmit);
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
      urls.push(["draft-measures", page.url()]);
      const offered = await page.evaluate(() => document.querySelectorAll("input[name=measures]").length);
      // step 2: Space on the first N example measures, then Enter on 下書きを作成する
      const boxes = await page.evaluate(() => [...document.querySelectorAll("input[name=measures]")].map((b) => b.id));
      const picked = [];
      for (const id of boxes.slice(0, config.picks)) {
        await tabTo(page, focusedId, id);
        await page.keyboard.press("Space");
        picked.push(await page.evaluate((i) => document.getElementById(i).value, id));
      }
      await tabTo(page, focusedSubmit);
      await Promise.all([page.waitForNavigation({ waitUntil: "load" }), page.keyboard.press("Enter")]);
      const editor = page.url();
      urls.push(["draft-editor", editor]);
      urls.push(["gap-report", editor.replace(/edit\/$/, "gaps/")]);
      out.walk = {
        organisation,
        offered,
        picked,
        editor,
        h1: await page.evaluate(() => document.querySelector("h1").innerText.trim()),
        status: await page.evaluate(() => (document.querySelector("[role=status]") || { innerText: "" }).innerText.trim()),
        rows: await page.evaluate(() => document.querySelectorAll("#measures-section tbody tr").length),
        panel: await page.evaluate(() => (document.querySelector("#h-compliance") || { innerText: "" }).innerText.trim()),
        lead: await page.evaluate(() => (document.querySelector("p.lead") || { innerText: "" }).innerText.trim()),
      };
      await page.close();
    }
    // one tab per context, taken from page to page: a new tab for each page cost a renderer process and axe's
    // compilation every time (about three times the CPU); each page is still a fresh document (page.goto)
    const tab = await context.newPage();
    for (const [name, url] of urls) {
      const page = tab;
      const response = await page.goto(url, { waitUntil: "load" });
      const h1 = await page.evaluate(() => (document.querySelector("h1") || { innerText: "" }).innerText.trim());
      out.pages.push({ name, width, status: response.status(), h1, ...(await layoutFacts(page)), violations: await axe(page) });
    }
    await tab.close();
    await context.close();
  }
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
