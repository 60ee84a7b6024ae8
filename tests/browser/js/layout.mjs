// What a page's layout shows at its width, for every audit script: the page's scroll width (wider than the
// window: the page scrolls sideways — a table not turned into cards, a chart outside its region), the tables
// in <main> and how many of them are shown as cards (table.stack at ≤600 px: display block).
export async function layoutFacts(page) {
  return await page.evaluate(() => {
    const tables = [...document.querySelectorAll("main table")];
    return {
      scrollWidth: document.documentElement.scrollWidth,
      tables: tables.length,
      cards: tables.filter((t) => getComputedStyle(t).display === "block").length,
    };
  });
}
