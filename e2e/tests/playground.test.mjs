// The playground in a real browser: loads cleanly, sliders and triggers act on the engine, the
// retry-storm preset reaches Metastable and recovers when the load is lowered, keyboard works.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { banner, clock, latest, open, shot, slide, start, step, stop, until } from './helpers.mjs';

let ctx;
before(async () => { ctx = await start(); });
after(async () => { await stop(ctx); });

test('the page loads with no console errors and draws every chart', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url);
  await until(page, 3);
  // Five charts over time and the state space.
  assert.equal(await page.locator('.chart').count(), 6);
  assert.ok((await banner(page)).length > 0);
  await shot(page, 'loaded');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the first screen tells the story within ten seconds at 1×', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url, { viewport: { width: 1440, height: 900 } });
  assert.equal(await page.locator('#speed').inputValue(), '1');
  await until(page, 9.5, 30_000);
  // The cache restarted at 5 s and came back at 8 s; the collapse outlasts it.
  assert.match(await banner(page), /Triggered|Metastable/);
  const goodput = await latest(page, 'Throughput', 'goodput');
  const offered = await latest(page, 'Throughput', 'offered');
  assert.ok(goodput < offered * 0.2, `goodput ${goodput} of ${offered} offered`);
  assert.equal(await latest(page, 'Utilisation and cache hit rate', 'hit rate'), 0);
  assert.ok(await page.locator('.chart svg[aria-label^="Throughput"] .mark.trigger').count() > 0, 'the restart is marked');
  // Banner, diagram, triggers and the two key charts on screen together, no scrolling.
  const boxes = await page.evaluate(() => Object.fromEntries([
    ['banner', '.banner'], ['diagram', '.diagram'], ['triggers', '.triggers'],
    ['throughput', '.chart:has(svg[aria-label^="Throughput"])'], ['latency', '.chart:has(svg[aria-label^="Latency"])'],
  ].map(([name, selector]) => {
    const r = document.querySelector(selector).getBoundingClientRect();
    return [name, { top: r.top, bottom: r.bottom, left: r.left, right: r.right }];
  })));
  for (const [name, box] of Object.entries(boxes)) {
    assert.ok(box.top >= 0 && box.bottom <= 900 && box.left >= 0 && box.right <= 1440, `${name} at ${JSON.stringify(box)}`);
  }
  await shot(page, 'first-screen-1440x900');
  assert.deepEqual(errors, []);
  await page.close();
});

test('once the run outgrows the charts\' window, the whole run shows under them with the restart still marked', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=2&t=150', { viewport: { width: 1440, height: 900 } });
  await until(page, 150);
  // The sliding window (the last 120 s) no longer holds the restart at 5–8 s…
  assert.equal(await page.locator('.chart svg[aria-label^="Throughput"] .mark.trigger').count(), 0);
  // …the overview does, from time zero, with the window it shows shaded.
  const overview = page.locator('.overview svg[aria-label^="Whole run"]');
  assert.match(await overview.locator('.mark.trigger text').first().textContent(), /cache flush|cache outage/);
  // Read in one go, so the clock and the drawing are of the same frame.
  const { plot, marked, shaded, now } = await overview.evaluate((svg) => {
    const box = (selector) => { const b = svg.querySelector(selector).getBBox(); return { x: b.x, width: b.width }; };
    return { plot: box('.tick line'), marked: box('.mark.trigger rect'), shaded: box('.in-view'),
      now: Number(document.querySelector('.clock').dataset.t) };
  });
  const at = (t) => plot.x + plot.width * t / now;
  assert.ok(Math.abs(marked.x - at(5)) < 3, `the restart drawn at 5 s: ${marked.x} vs ${at(5)}`);
  assert.ok(Math.abs(shaded.x + shaded.width - (plot.x + plot.width)) < 6, 'the shaded window ends at now');
  assert.ok(shaded.width / plot.width > 0.7 && shaded.width / plot.width < 0.9, `120 s of about 150 s shaded: ${shaded.width / plot.width}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('moving the load slider changes offered load within a second of simulated time', async () => {
  const { page } = await open(ctx.browser, ctx.url + '#v=2&preset=retry-storm');
  await until(page, 3);
  const before = await latest(page, 'Throughput', 'offered');
  assert.ok(before > 500 && before < 900, `offered ${before}`);
  // Step to a window boundary (stepping pauses), move the slider, and step one window: one
  // simulated second later the newest window shows the new load.
  const t0 = await step(page);
  assert.ok(Number.isInteger(t0), `stepped to ${t0}`);
  await slide(page, 'ctl-clients-load_rps', 3000);
  assert.equal(await step(page), t0 + 1);
  assert.equal(await clock(page), t0 + 1);
  const afterSlide = await latest(page, 'Throughput', 'offered');
  assert.ok(afterSlide > 2700, `offered ${afterSlide} one simulated second after moving the slider to 3000`);
  await page.close();
});

test('retry-storm reaches Metastable after its spike and is Healthy after the load is lowered', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=2&preset=retry-storm');
  await page.selectOption('#speed', '20');
  await page.waitForFunction(() => document.querySelector('.banner .state')?.textContent === 'Metastable', null, { timeout: 60_000 });
  await shot(page, 'metastable');
  const goodput = await latest(page, 'Throughput', 'goodput');
  assert.ok(goodput < 100, `goodput ${goodput} while metastable`);
  await slide(page, 'ctl-clients-load_rps', 150);
  await page.waitForFunction(() => document.querySelector('.banner .state')?.textContent === 'Healthy', null, { timeout: 60_000 });
  await shot(page, 'recovered');
  assert.deepEqual(errors, []);
  await page.close();
});

test('each trigger button changes what it should', async () => {
  const { page } = await open(ctx.browser, ctx.url);
  await page.selectOption('#preset', 'healthy');
  const fresh = async () => { await page.click('#reset'); await until(page, 3); };
  const fire = async (slug, seconds) => {
    const t0 = await clock(page);
    await page.click(`#fire-${slug}`);
    await until(page, Math.ceil(t0) + seconds);
  };

  await fresh();
  const offered = await latest(page, 'Throughput', 'offered');
  await fire('load-spike', 2);
  assert.equal(await banner(page), 'Triggered');
  assert.ok(await latest(page, 'Throughput', 'offered') > offered * 1.6, 'load spike raises offered load');
  await shot(page, 'triggered');

  await fresh();
  const p99 = await latest(page, 'Latency', 'p99');
  await fire('backend-slowdown', 2);
  assert.ok(await latest(page, 'Latency', 'p99') > p99 * 1.5, 'slowdown raises p99');

  await fresh();
  await fire('capacity-loss', 1);
  assert.match(await page.locator('.diagram-scroll > svg').getAttribute('aria-label'), /of 5 workers busy/);

  await fresh();
  await fire('error-burst', 2);
  const attempts = await latest(page, 'Throughput', 'attempts');
  assert.ok(attempts > (await latest(page, 'Throughput', 'offered')) * 1.1, `errors cause retries (${attempts} attempts)`);

  await fresh();
  const cacheFull = async () => Number(/cache (\d+) % full/.exec(await page.locator('.diagram-scroll > svg').getAttribute('aria-label'))[1]);
  assert.equal(await cacheFull(), 100);
  await page.click('#play');
  await page.click('#fire-cache-flush');
  await page.click('#step');
  await page.waitForFunction(() => /cache (\d+) % full/.test(document.querySelector('.diagram-scroll > svg').getAttribute('aria-label'))
    && Number(/cache (\d+) % full/.exec(document.querySelector('.diagram-scroll > svg').getAttribute('aria-label'))[1]) < 80,
    null, { timeout: 5_000 });
  await page.click('#play');

  await fresh();
  await fire('cache-outage', 2);
  assert.equal(await latest(page, 'Utilisation and cache hit rate', 'hit rate'), 0);
  await page.close();
});

test('a slider works from the keyboard alone', async () => {
  const { page } = await open(ctx.browser, ctx.url);
  const workers = page.locator('#ctl-backend-workers');
  await workers.focus();
  const before = Number(await workers.inputValue());
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  assert.equal(Number(await workers.inputValue()), before + 2);
  await page.waitForFunction(() => document.querySelector('#ctl-backend-workers')?.getAttribute('aria-valuetext') === '12');
  await page.keyboard.press('Tab');
  assert.notEqual(await page.evaluate(() => document.activeElement?.id), 'ctl-backend-workers');
  await page.close();
});
