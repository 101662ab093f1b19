// Service tiers in the browser: the diagram draws the chain with a rate on every arrow, tiers are
// added and removed, and a later tier's controls, triggers, link and export reach that tier.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { download, open, shot, slide, start, stop, until } from './helpers.mjs';

let ctx;
before(async () => { ctx = await start(); });
after(async () => { await stop(ctx); });

const hash = (page) => page.evaluate(() => decodeURIComponent(location.hash));

test('a chain is drawn, edited and shared tier by tier', async () => {
  const { page, errors } = await open(ctx.browser, `${ctx.url}index.html#v=1&preset=pool-exhaustion`);
  assert.equal(await page.locator('.diagram .later-tier').count(), 1);
  assert.equal(await page.locator('.chain .tier-tabs button').count(), 2);
  await until(page, 3);
  const rates = await page.locator('.diagram .rate').allTextContents();
  assert.equal(rates.length, 5, 'clients → cache, cache → front, hits and responses back, front → db');
  assert.equal(rates.filter((r) => /^hits \d+\/s$/.test(r)).length, 1, `${rates}`);
  assert.equal(rates.filter((r) => /^responses \d+\/s$/.test(r)).length, 1, `${rates}`);
  assert.equal(rates.filter((r) => /^\d+\/s$/.test(r)).length, 3, `${rates}`);
  const toDb = await page.locator('.diagram .later-tier .rate').textContent();
  assert.ok(Number(toDb.slice(0, -2)) > 500, `the front calls the database about 1000 times a second: ${toDb}`);
  // The chain's second row makes the drawing taller, not its text smaller (at 1440 × 900).
  await page.setViewportSize({ width: 1440, height: 900 });
  const smallest = Math.min(...await page.$$eval('.diagram svg text', (texts) => texts
    .filter((t) => t.getBBox().width > 0)
    .map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)));
  assert.ok(smallest >= 11.9, `diagram text drawn at ${smallest.toFixed(1)} px`);

  // The charts show every tier at once, or one.
  await page.locator('.chart-title', { hasText: 'Busy workers per tier' }).waitFor({ timeout: 5_000 });
  await page.selectOption('#chart-tier', '1');
  await page.locator('.chart-title', { hasText: 'Tier throughput' }).waitFor({ timeout: 5_000 });
  await page.selectOption('#chart-tier', 'all');

  // The database's settings, under its own name.
  await page.click('#show-tier-2');
  await page.locator('legend', { hasText: 'Backend of db' }).waitFor({ timeout: 5_000 });
  await slide(page, 'ctl-tier2-backend-workers', 80);
  await page.waitForFunction(() => decodeURIComponent(location.hash).includes('tier2.workers=80'), null, { timeout: 5_000 });

  // A trigger strikes the chosen tier.
  await page.selectOption('#fire-tier', '2');
  await page.click('#fire-capacity-loss');
  await page.locator('.banner', { hasText: 'at tier 2' }).waitFor({ timeout: 10_000 });
  await shot(page, 'tiers-pool-exhaustion');

  // A change of the database's workers is scheduled from the Timeline panel.
  await page.selectOption('#schedule-field', 'tier2.backend.workers');
  await page.fill('#schedule-value', '90');
  await page.fill('#schedule-at', '500');
  await page.click('#schedule-add');
  await page.locator('.timeline .items li', { hasText: 'Workers (tier 2) → 90' }).waitFor({ timeout: 5_000 });

  const csv = (await download(page, '#export-csv')).bytes.toString().split('\n')[0];
  assert.ok(csv.includes('front.busy_mean') && csv.includes('db.attempts_rps'), csv);

  // Add a tier, then go back to one.
  await page.click('#tiers-3');
  await page.locator('.diagram .later-tier').nth(1).waitFor({ timeout: 5_000 });
  await page.waitForFunction(() => location.hash.includes('tiers=3'), null, { timeout: 5_000 });
  assert.ok((await hash(page)).includes('tier2.workers=80'), 'the database keeps its workers');
  await page.click('#tiers-1');
  await page.waitForFunction(() => document.querySelectorAll('.diagram .later-tier').length === 0, null, { timeout: 5_000 });
  assert.equal(await page.locator('.chain .tier-tabs').count(), 0);
  assert.equal(await page.locator('#fire-tier').count(), 0);
  await page.waitForFunction(() => location.hash.includes('tiers=1'), null, { timeout: 5_000 });
  assert.ok(!(await hash(page)).includes('tier2.'), await hash(page));
  assert.deepEqual(errors, []);
  await page.close();
});
