// Reach: reduced motion, narrow screens, themes, errors shown instead of a broken page.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { latest, open, shot, start, stop, until } from './helpers.mjs';

let ctx;
before(async () => { ctx = await start(); });
after(async () => { await stop(ctx); });

test('reduced motion draws no moving dots but the charts still update', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url, { reducedMotion: 'reduce' });
  await until(page, 2);
  const first = await page.locator('.chart svg[aria-label^="Throughput"]').getAttribute('aria-label');
  await until(page, 4);
  assert.equal(await page.locator('.dot').count(), 0);
  assert.notEqual(await page.locator('.chart svg[aria-label^="Throughput"]').getAttribute('aria-label'), first);
  // What the dots would show, in numbers: each outcome's rate where its dots would gather, in the
  // legend too, and each flow's on its arrow.
  assert.deepEqual((await page.locator('.diagram .tally text').allTextContents()).map((t) => t.replace(/\d+/, 'N')),
    ['in flight N', 'success N/s', 'retry N/s', 'timeout N/s', 'error N/s', 'N/s', 'wasted N/s']);
  const values = await page.locator('.diagram .legend .value').allTextContents();
  assert.equal(values.length, 7, `${values}`);
  values.forEach((v) => assert.match(v, /^\d+(\/s)?$/));
  assert.ok(Number(values[1].slice(0, -2)) > 1000, `cache hits ${values[1]} of 6000 req/s at 95 %`);
  assert.deepEqual((await page.locator('.diagram .rate').allTextContents()).map((r) => r.replace(/\d+/, 'N')),
    ['N/s', 'N/s', 'hits N/s', 'responses N/s']);
  assert.deepEqual(errors, []);
  await page.close();
});

test('moving dots are drawn when motion is allowed', async () => {
  const { page } = await open(ctx.browser, ctx.url);
  await until(page, 2);
  await page.waitForFunction(() => document.querySelectorAll('.dot').length > 0, null, { timeout: 10_000 });
  await page.close();
});

test('the first Tab reaches a skip link that moves focus to the playground and keeps the link', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=2&preset=retry-storm&load=650');
  await until(page, 1);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Skip to the playground');
  const skip = await page.locator('.skip').boundingBox();
  assert.ok(skip.y >= 0, 'shown when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'playground');
  assert.equal(await page.evaluate(() => location.hash), '#v=2&preset=retry-storm&load=650');
  assert.equal(await page.locator('#ctl-clients-load_rps').inputValue(), '650');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a 360 px wide screen needs no horizontal scrolling', async () => {
  const { page } = await open(ctx.browser, ctx.url, { viewport: { width: 360, height: 780 } });
  await until(page, 2);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `page is ${width} px wide`);
  // In one column what the system does comes first: the diagram and the first chart above the
  // controls, the map after them.
  const top = (selector) => page.locator(selector).first().evaluate((e) => e.getBoundingClientRect().top);
  const [diagram, chart, triggers, map] = await Promise.all(['.diagram', '.chart', '.triggers', '.map-panel'].map(top));
  assert.ok(diagram < chart && chart < triggers && triggers < map, `diagram ${diagram}, chart ${chart}, triggers ${triggers}, map ${map}`);
  await shot(page, 'narrow-360');
  await page.close();
});

test('the theme toggle switches between light and dark', async () => {
  const { page } = await open(ctx.browser, ctx.url, { colorScheme: 'light' });
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const light = await background();
  await page.click('button.theme');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  assert.notEqual(await background(), light);
  await shot(page, 'dark');
  await page.close();
  const dark = await open(ctx.browser, ctx.url, { colorScheme: 'dark' });
  assert.equal(await dark.page.evaluate(() => document.documentElement.dataset.theme), 'dark', 'follows the system');
  await dark.page.close();
});

test('a bad seed shows a dismissable message and the run goes on', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url);
  await until(page, 1);
  await page.fill('#seed', '-3');
  await page.press('#seed', 'Enter');
  await page.locator('.error[role="alert"]').waitFor({ timeout: 5_000 });
  assert.match(await page.locator('.error').textContent(), /seed/);
  await page.click('.error button');
  assert.equal(await page.locator('.error').count(), 0);
  // A message about an earlier try goes once a later one is taken: it no longer says what the run does.
  await page.fill('#seed', '3.5');
  await page.press('#seed', 'Enter');
  await page.locator('.error', { hasText: '"3.5"' }).waitFor({ timeout: 5_000 });
  await page.fill('#seed', '5000000000');
  await page.press('#seed', 'Enter');
  await page.locator('.error').waitFor({ state: 'detached', timeout: 5_000 });
  await page.fill('[aria-label="load spike magnitude"]', '');
  await page.click('#fire-load-spike');
  await page.locator('.error', { hasText: 'load spike: magnitude: not a number; give one between' }).waitFor({ timeout: 5_000 });
  await page.fill('[aria-label="load spike magnitude"]', '2');
  // Each field is named as the form shows it, not by its path.
  await page.fill('[aria-label="load spike duration in seconds"]', '-5');
  await page.click('#fire-load-spike');
  await page.locator('.error', { hasText: 'load spike: duration: -5 is not between 0 and 86400' }).waitFor({ timeout: 5_000 });
  await page.fill('[aria-label="load spike duration in seconds"]', '5');
  await page.click('#fire-load-spike');
  await page.locator('.error').waitFor({ state: 'detached', timeout: 5_000 });
  const t = Number(/t = ([\d.]+)/.exec(await page.locator('.clock').textContent())[1]);
  await until(page, t + 1);
  assert.ok((await latest(page, 'Throughput', 'offered')) > 0);
  assert.deepEqual(errors, []);
  await page.close();
});
