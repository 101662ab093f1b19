// The first screen at the sizes people use it, light and dark: ten seconds into the landing
// scenario (after the cache restart), written to test-output for a person to look at, with no text
// on it smaller than 12 px; and chart text between 12 and 16 px at every width, embeds included.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { open, shot, start, stop, until } from './helpers.mjs';

const SIZES = [[360, 740], [1280, 720], [1440, 900], [1920, 1080]];
const SMALLEST_PX = 12;

let ctx;
before(async () => { ctx = await start(); });
after(async () => { await stop(ctx); });

/** Every run of text drawn inside the viewport, with the size it is drawn at in CSS pixels: an
 * SVG's text scaled by the SVG's own scale. */
function textSizes(within) {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest('title, script, style') || (within && !el.closest(within))) continue;
    if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1) continue;
    if (r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth) continue;
    let px = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) {
      const m = el.getScreenCTM();
      px *= Math.hypot(m.a, m.b);
    }
    found.push({ text: text.slice(0, 40), px: Math.round(px * 10) / 10, where: el.closest('[class]')?.className?.baseVal ?? el.closest('[class]')?.className });
  }
  return found;
}

for (const [width, height] of SIZES) {
  for (const scheme of ['light', 'dark']) {
    test(`the first screen at ${width}×${height}, ${scheme}: no text under ${SMALLEST_PX} px`, async () => {
      const { page, errors } = await open(ctx.browser, ctx.url, { viewport: { width, height }, colorScheme: scheme });
      await until(page, 9.5, 30_000);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), scheme);
      await shot(page, `first-screen-${width}x${height}-${scheme}`);
      const sizes = await page.evaluate(textSizes, null);
      assert.ok(sizes.length >= 10, `${sizes.length} runs of text found`);
      const small = sizes.filter((s) => s.px < SMALLEST_PX - 0.05);
      assert.deepEqual(small, [], `text under ${SMALLEST_PX} px`);
      assert.deepEqual(errors, []);
      await page.close();
    });
  }
}

const CHART_SIZES = [
  ['an embed in a 320 px column', 320, 800, '#v=2&preset=retry-storm&embed=1&t=30'],
  ['an embed 720 px wide', 720, 800, '#v=2&preset=retry-storm&embed=1&t=30'],
  ['the playground at 1280', 1280, 720, '#v=2&preset=retry-storm&t=30'],
  ['the playground at 1920', 1920, 1080, '#v=2&preset=retry-storm&t=30'],
];
for (const [where, width, height, fragment] of CHART_SIZES) {
  test(`chart text is 12 to 16 px in ${where}`, async () => {
    const { page, errors } = await open(ctx.browser, ctx.url + fragment, { viewport: { width, height } });
    await until(page, 30);
    await page.locator('.chart').first().scrollIntoViewIfNeeded();
    const sizes = await page.evaluate(textSizes, '.chart');
    assert.ok(sizes.length >= 10, `${sizes.length} runs of chart text found`);
    const wrong = sizes.filter((s) => s.px < 11.95 || s.px > 16.05);
    assert.deepEqual(wrong, [], 'chart text outside 12–16 px');
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test('the charts over time share their time axis: their plots end at the same place in each column', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=2&preset=retry-storm&t=30', { viewport: { width: 1440, height: 900 } });
  await until(page, 30);
  const plots = await page.locator('.charts > .chart:not(.xy) svg').evaluateAll((svgs) => svgs.map((svg) => {
    const figure = svg.closest('.chart').getBoundingClientRect();
    const plot = svg.querySelector('.tick line').getBoundingClientRect();
    return { left: plot.left - figure.left, right: figure.right - plot.right };
  }));
  assert.equal(plots.length, 5);
  for (const side of ['left', 'right']) {
    const values = plots.map((p) => p[side]);
    assert.ok(Math.max(...values) - Math.min(...values) < 1, `${side} margins ${values}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});
