// The stability map in the browser: cells run in Web Workers and fill in while the live view keeps
// playing; the map's CSV is the command line's, byte for byte; a cell opens in the live view;
// Cancel stops the workers; a bad range is refused with a message naming it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { clock, download, open, shot, start, stop } from './helpers.mjs';

let ctx;
before(async () => { ctx = await start(); });
after(async () => { await stop(ctx); });

const ROOT = resolve(import.meta.dirname, '../..');
const MAP_MS = 180_000;

function nativeSweep(args) {
  return execFileSync('cargo', ['run', '--release', '--quiet', '--locked', '--bin', 'simulate', '--', 'sweep', ...args],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** Fills the map's form: [target, from, to, values] for each axis (y may be null) and the seeds. */
async function axes(page, x, y, seeds) {
  for (const [id, axis] of [['map-x', x], ['map-y', y]]) {
    if (!axis) { await page.selectOption(`#${id}`, ''); continue; }
    await page.selectOption(`#${id}`, axis[0]);
    await page.fill(`#${id}-from`, String(axis[1]));
    await page.fill(`#${id}-to`, String(axis[2]));
    await page.fill(`#${id}-steps`, String(axis[3]));
  }
  await page.fill('#map-seeds', String(seeds));
}

const finished = (page) => page.locator('.map-progress[data-finished="true"]').waitFor({ timeout: MAP_MS });

test('a map runs in workers, equals the native sweep, and opens a cell in the live view', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=1&preset=retry-storm');
  await axes(page, ['clients.load_rps', 400, 1000, 3], ['triggers[0].magnitude', 1, 3, 2], 2);
  const before = await clock(page);
  await page.click('#map-start');
  await page.locator('.map-progress[data-done="1"], .map-progress[data-finished="true"]').first().waitFor({ timeout: MAP_MS });
  await finished(page);
  // The live view kept playing while the workers ran (how far depends on how fast the map is).
  assert.ok(await clock(page) > before, 'the live run advanced during the map');
  assert.equal(await page.locator('.map .cell[data-outcome]').count(), 6);
  assert.match(await page.locator('.map-progress').textContent(), /12 runs in [\d.]+ s on \d+ workers/);

  const saved = await download(page, '#map-csv');
  assert.equal(saved.name, 'stability-map-clients-load_rps-triggers-0--magnitude.csv', 'named after both axes');
  const csv = saved.bytes.toString();
  const native = nativeSweep(['--preset', 'retry-storm', '--x', 'clients.load_rps=400..1000:3',
    '--y', 'triggers[0].magnitude=1..3:2', '--seeds', '2', '--format', 'csv']);
  assert.equal(csv, native, 'the map CSV is the native sweep, byte for byte');
  // The highest load with the biggest spike collapses on both seeds, as the native rows say.
  const top = native.trim().split('\n').slice(-2).map((r) => r.split(',')[3]);
  const cell = page.locator('.map .cell[data-cell="5"]');
  assert.equal(await cell.getAttribute('data-odds'), String(top.filter((o) => o === 'metastable').length / 2));
  await shot(page, 'map-finished');

  // The map is one Tab stop; the arrows move between its cells (up is the y axis's next value) and
  // the Tab stop follows.
  const focused = () => page.evaluate(() => document.activeElement?.dataset?.cell);
  assert.equal(await page.locator('.map .cell[tabindex="0"]').count(), 1);
  await page.locator('.map .cell[data-cell="0"]').focus();
  for (const [key, to] of [['ArrowRight', '1'], ['ArrowUp', '4'], ['ArrowUp', '4'], ['Home', '3'], ['End', '5']]) {
    await page.keyboard.press(key);
    assert.equal(await focused(), to, `${key} moves to cell ${to}`);
  }
  assert.match(await page.locator('.map-details').textContent(), /Load \(req\/s\) 1000/);
  assert.deepEqual(await page.$$eval('.map .cell[tabindex="0"]', (cells) => cells.map((c) => c.dataset.cell)), ['5']);

  // A mouse over a cell shows its numbers, as focus does; a click opens it in the live view with
  // its load, spike and seed.
  for (const [c, load] of [['1', '700'], ['5', '1000']]) {
    await page.locator(`.map .cell[data-cell="${c}"]`).hover();
    await page.waitForFunction((load) => document.querySelector('.map-details')?.textContent.includes(`Load (req/s) ${load}`),
      load, { timeout: 5_000 });
  }
  assert.match(await page.locator('.map-details').textContent(), /Load \(req\/s\) 1000/);
  // On a projector, with the map running past the foot of the window, a hovered cell's numbers
  // stay in sight.
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.locator('#map-start').evaluate((b) => b.scrollIntoView({ block: 'center' }));
  await page.locator('.map .cell[data-cell="3"]').hover();
  await page.waitForFunction(() => document.querySelector('.map-details')?.textContent.includes('Load (req/s) 400'),
    null, { timeout: 5_000 });
  const [mapBottom, details, height] = await page.evaluate(() => [document.querySelector('.map').getBoundingClientRect().bottom,
    document.querySelector('.map-details').getBoundingClientRect().toJSON(), innerHeight]);
  assert.ok(mapBottom > height, `the map runs past the window (${mapBottom} > ${height})`);
  assert.ok(details.top >= 0 && details.bottom <= height + 0.5, `the numbers are in sight (${details.top}–${details.bottom} of ${height})`);
  // Stuck over the map, the line hides no cell from the pointer: a cell under it takes the hover.
  const under = await page.evaluate(({ left, width, top, bottom }) =>
    document.elementFromPoint(left + width / 2, (top + bottom) / 2)?.closest('.cell, .map-details')?.className.baseVal ?? 'none', details);
  assert.match(under, /\bcell\b/, 'the pointer reaches the cell under the line');
  await page.setViewportSize({ width: 1400, height: 1000 });
  await cell.click();
  await page.waitForFunction(() => document.querySelector('#ctl-clients-load_rps')?.value === '1000', null, { timeout: 5_000 });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'playground', 'the focus goes to the live view');
  assert.equal(await page.locator('.seed input').inputValue(), '1');
  await page.waitForFunction(() => location.hash.includes('load=1000'), null, { timeout: 5_000 });
  assert.match(await page.evaluate(() => location.hash), /load_spike:3:/);
  // The ring marks the live settings on the map, and the map is not stale.
  assert.equal(await page.locator('.map .marker').count(), 1);
  // It sits on the cell opened and goes round its label, which is drawn over it.
  const [gap, radius] = await page.locator('.map .cell-labels text[data-cell-label="5"]').evaluate((label) => {
    const ring = label.ownerSVGElement.querySelector('.marker circle:not(.halo)');
    const box = label.getBBox();
    const [cx, cy, r] = ['cx', 'cy', 'r'].map((a) => Number(ring.getAttribute(a)));
    const corners = [[box.x, box.y], [box.x + box.width, box.y + box.height]];
    return [Math.max(...corners.map(([x, y]) => Math.hypot(x - cx, y - cy))), r];
  });
  assert.ok(gap < radius, `label corners ${gap.toFixed(1)} from the ring's centre, radius ${radius}`);
  assert.equal(await page.locator('.map-stale').count(), 0);
  // The cell opened as a page of its own: Back returns to the settings the map was drawn from,
  // the map still in the link and on show.
  await page.goBack({ timeout: 5_000 });
  await page.waitForFunction(() => document.querySelector('#ctl-clients-load_rps')?.value === '700', null, { timeout: 5_000 });
  assert.match(await page.evaluate(() => location.hash), /mapx=clients\.load_rps=400\.\.1000:3/);
  assert.equal(await page.locator('.map-stale').count(), 0);
  assert.equal(await page.locator('.map .cell[data-outcome]').count(), 6);

  // Opening the cell's second seed changes the scenario's seed, but the link keeps the map's own
  // first seed, so it still draws this map.
  const odds = await page.$$eval('.map .cell', (cells) => cells.map((c) => `${c.dataset.outcome}:${c.dataset.odds}`));
  await cell.focus();
  await page.locator('.map-runs button', { hasText: 'Open' }).nth(1).click();
  await page.waitForFunction(() => /[#&]seed=2(&|$)/.test(location.hash), null, { timeout: 5_000 });
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /&mapseed=1(&|$)/);
  const again = await open(ctx.browser, ctx.url + hash);
  await finished(again.page);
  assert.deepEqual(await again.page.$$eval('.map .cell', (cells) => cells.map((c) => `${c.dataset.outcome}:${c.dataset.odds}`)),
    odds, 'the link draws the same map');
  assert.deepEqual([...errors, ...again.errors], []);
});

test("a map follows the live settings: a change's value across it, a trigger taken away", async () => {
  // A scheduled change's value across: drawn from the settings on show, the map is not stale.
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=2&preset=retry-storm&at=60:load=500'
    + '&mapx=changes%5B0%5D.to=300..900:3&mapy=triggers%5B0%5D.magnitude=1..3:2&seeds=1');
  await finished(page);
  assert.equal(await page.locator('.map .cell[data-outcome]').count(), 6);
  assert.equal(await page.locator('.map-stale').count(), 0);
  // The spike the map moves up is removed: the map is stale and no longer marks the live
  // settings, which have no spike to place.
  await page.locator('button[aria-label^="Remove"]').first().click();
  await page.locator('.map-stale').waitFor({ timeout: 5_000 });
  assert.equal(await page.locator('.map .marker').count(), 0);
  assert.deepEqual(errors, []);
});

test('Cancel stops a map part way; a bad range is refused by name', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=1&preset=retry-storm');
  await axes(page, ['clients.load_rps', 300, 1200, 20], ['triggers[0].magnitude', 1, 3, 20], 1);
  // Started from the keyboard, the map leaves the focus on its button, now Cancel.
  await page.focus('#map-start');
  await page.keyboard.press('Enter');
  await page.locator('.map .cell[data-outcome]').first().waitFor({ timeout: MAP_MS });
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'map-cancel');
  await page.waitForFunction(() => location.hash.includes('mapx='), null, { timeout: 5_000 });
  await page.click('#map-cancel');
  await page.waitForFunction(() => /^Stopped after/.test(document.querySelector('.map-progress [role=status]')?.textContent),
    null, { timeout: 5_000 });
  const status = await page.locator('.map-progress [role=status]').textContent();
  assert.match(status, /^Stopped after \d+ of 400 runs$/);
  await page.locator('#map-start').waitFor({ timeout: 5_000 });
  // A cancelled map leaves the link: opening it does not start the work again.
  await page.waitForFunction(() => !location.hash.includes('mapx='), null, { timeout: 5_000 });

  // Another preset leaves the map stale; a cell opened from it is the map's preset again.
  await page.selectOption('#preset', 'healthy');
  await page.locator('.map-stale').waitFor({ timeout: 5_000 });
  await page.locator('.map .cell[data-outcome]').first().click();
  await page.waitForFunction(() => document.querySelector('#preset').value === 'retry-storm', null, { timeout: 5_000 });
  await page.waitForFunction(() => location.hash.includes('preset=retry-storm'), null, { timeout: 5_000 });

  // A map too big for the page is refused by the page's own limits, however big.
  await axes(page, ['clients.load_rps', 300, 1200, 200], ['triggers[0].magnitude', 1, 3, 200], 50);
  await page.click('#map-start');
  assert.match(await page.locator('.map-error').textContent(), /^40,000 cells × 50 seeds is too big to draw here: a map holds at most 2,500 cells and 10,000 runs/);

  // The map on show is the one drawn before, and says so while the form is refused.
  assert.match(await page.locator('.map-stale').first().textContent(), /^Not drawn: the map on show is the one drawn before\.$/);
  await axes(page, ['clients.load_rps', 'lots', 1200, 4], null, 1);
  await page.click('#map-start');
  assert.match(await page.locator('.map-error').textContent(), /^Across, Load \(req\/s\): "lots" is not a number$/);
  // The part of the form at fault is marked, tied to the message, and takes the focus.
  const marked = () => page.$$eval('[aria-invalid="true"]', (all) => all.map((e) => `${e.id}:${e.getAttribute('aria-describedby')}`));
  assert.deepEqual(await marked(), ['map-x:map-error', 'map-x-from:map-error', 'map-x-to:map-error', 'map-x-steps:map-error']);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'map-x-from');
  await axes(page, ['retry.max_attempts', 1.5, 4, 3], null, 1);
  await page.click('#map-start');
  assert.match(await page.locator('.map-error').textContent(), /^Across, Max attempts: 1\.5 is not a whole number$/);
  await axes(page, ['clients.load_rps', 300, 1200, 4], null, 1);
  await page.fill('#map-x-steps', '');
  await page.click('#map-start');
  assert.match(await page.locator('.map-error').textContent(), /^Across, Load \(req\/s\): give a number of values from 1 to 200$/);
  // The setting by its label.
  await axes(page, ['clients.load_rps', 300, 1200, 4], ['backend.workers', 6, 8, 6], 1);
  await page.click('#map-start');
  assert.match(await page.locator('.map-error').textContent(), /^Up, Workers: 6 values from 6 to 8 repeat a value once rounded to whole numbers$/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'map-y-from');
  await axes(page, ['clients.load_rps', 300, 1200, 4], ['backend.workers', 6, 8, 1], 1);
  await page.click('#map-start');
  assert.match(await page.locator('.map-error').textContent(), /^Up, Workers: one value is 6 alone, so to 8 would be left out: give 2 values or more$/);
  await axes(page, ['clients.load_rps', -500, 1200, 4], null, 1);
  await page.click('#map-start');
  assert.match(await page.locator('.map-error').textContent(), /^Across, Load \(req\/s\): -500 is not between 0 and \d+$/);
  await axes(page, ['clients.load_rps', 300, 1200, 4], ['clients.load_rps', 300, 1200, 4], 1);
  await page.click('#map-start');
  assert.match(await page.locator('.map-error').textContent(), /^Across and Up both move Load \(req\/s\)/);
  // Put right, nothing is marked any more.
  await axes(page, ['clients.load_rps', 300, 1200, 4], null, '');
  await page.click('#map-start');
  assert.match(await page.locator('.map-error').textContent(), /^seeds per cell: give a whole number from 1 to \d+$/);
  assert.deepEqual(await marked(), ['map-seeds:map-error']);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'map-seeds');
  await page.fill('#map-seeds', '1');
  assert.deepEqual(await marked(), []);
  // A map a link asks for and the form refuses is marked, but the focus stays where the page put it.
  const linked = await open(ctx.browser, ctx.url + '#v=2&preset=retry-storm&mapx=retry.max_attempts=1.5..4:3');
  await linked.page.locator('.map-error').waitFor({ timeout: 10_000 });
  assert.match(await linked.page.locator('.map-error').textContent(), /^Across, Max attempts: 1\.5 is not a whole number$/);
  assert.equal(await linked.page.locator('#map-x-from[aria-invalid="true"]').count(), 1);
  assert.notEqual(await linked.page.evaluate(() => document.activeElement?.id), 'map-x-from');
  await linked.page.close();
  assert.deepEqual([...errors, ...linked.errors], []);
});

test('a click on a cell whose seeds ended differently opens the seed that ended worst', async () => {
  // At 840 req/s with a spike of ×1.3, seed 2 of three collapses and the other two recover, as the
  // native sweep says.
  const native = nativeSweep(['--preset', 'retry-storm', '--trigger', '20:load_spike:1.3:10', '--x', 'clients.load_rps=820..840:2',
    '--seeds', '3', '--format', 'csv']);
  const rows = native.trim().split('\n').slice(1).map((r) => r.split(','));
  const at840 = rows.filter((r) => r[0] === '840.0').map((r) => [r[1], r[2]]);
  assert.deepEqual(at840, [['1', 'healthy'], ['2', 'metastable'], ['3', 'healthy']]);
  const { page, errors } = await open(ctx.browser,
    ctx.url + '#v=2&preset=retry-storm&trigger=20:load_spike:1.3:10&mapx=clients.load_rps=820..840:2&seeds=3');
  await finished(page);
  const cell = page.locator('.map .cell[data-cell="1"]');
  await cell.hover();
  await page.waitForFunction(() => /opening it runs seed 2/.test(document.querySelector('.map-details')?.textContent),
    null, { timeout: 5_000 });
  assert.match(await page.locator('.map-details').textContent(), /1 of 3 metastable, 2 healthy/);
  await cell.click();
  await page.waitForFunction(() => /[#&]load=840(&|$)/.test(location.hash), null, { timeout: 5_000 });
  assert.equal(await page.locator('.seed input').inputValue(), '2');
  assert.deepEqual(errors, []);
  await page.close();
});

test('on a phone a first tap shows a cell, the next opens it and shows the live view', async () => {
  const phone = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=1&preset=retry-storm', phone);
  await axes(page, ['clients.load_rps', 400, 1000, 3], null, 1);
  await page.locator('#map-start').tap();
  await finished(page);
  assert.match(await page.locator('.map-details').textContent(), /tap it again, to open it/);
  const load = () => page.locator('#ctl-clients-load_rps').inputValue();
  const cell = page.locator('.map .cell[data-cell="2"]');
  await cell.tap();
  await page.waitForFunction(() => /Load \(req\/s\) 1000/.test(document.querySelector('.map-details')?.textContent),
    null, { timeout: 5_000 });
  assert.equal(await load(), '700', 'one tap only shows the cell');
  await cell.tap();
  await page.waitForFunction(() => document.querySelector('#ctl-clients-load_rps')?.value === '1000', null, { timeout: 5_000 });
  // The diagram and charts come into view, not the settings at the top of the page.
  const top = await page.evaluate(() => document.querySelector('.stage .diagram').getBoundingClientRect().top);
  assert.ok(Math.abs(top) < 2, `the diagram starts ${top} px from the window's top`);
  await shot(page, 'map-phone-opened');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a drawn map goes into the link; the link and its embed draw the same map', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=1&preset=retry-storm');
  await axes(page, ['clients.load_rps', 500, 900, 3], ['triggers[0].magnitude', 1.5, 3, 2], 1);
  await page.click('#map-start');
  await finished(page);
  await page.waitForFunction(() => location.hash.includes('mapx='), null, { timeout: 5_000 });
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /mapx=clients\.load_rps=500\.\.900:3&mapy=triggers%5B0%5D\.magnitude=1\.5\.\.3:2&seeds=1/);
  const odds = (p) => p.$$eval('.map .cell', (cells) => cells.map((c) => `${c.dataset.outcome}:${c.dataset.odds}`));
  const drawn = await odds(page);

  const again = await open(ctx.browser, ctx.url + hash);
  await finished(again.page);
  assert.deepEqual(await odds(again.page), drawn, 'the link draws the same map');

  const embed = await open(ctx.browser, ctx.url + hash + '&embed=1', { viewport: { width: 720, height: 900 } });
  await finished(embed.page);
  assert.deepEqual(await odds(embed.page), drawn, 'the embed draws the same map');
  assert.equal(await embed.page.locator('#map-start').count(), 0, 'an embed shows the map without its form');
  await embed.page.locator('.map-panel').scrollIntoViewIfNeeded();
  await shot(embed.page, 'map-embed');
  assert.deepEqual([...errors, ...again.errors, ...embed.errors], []);
});

test("a preset chosen from the menu offers its own map axes and loop ramp, as its link does", async () => {
  const ids = ['map-x', 'map-x-from', 'map-x-to', 'map-x-steps', 'map-y', 'map-y-from', 'map-y-to', 'loop-from', 'loop-to'];
  const form = (page) => page.evaluate((ids) => ids.map((id) => document.getElementById(id)?.value ?? null), ids);
  const linked = await open(ctx.browser, ctx.url + '#v=1&preset=retry-storm');
  const expected = await form(linked.page);
  await linked.page.close();
  assert.ok(expected.every((v) => v !== null && v !== ''), `the link's form: ${expected}`);

  const { page, errors } = await open(ctx.browser, ctx.url);
  const before = await form(page);
  assert.notDeepEqual(before, expected, 'the first preset offers other axes');
  await page.selectOption('#preset', 'retry-storm');
  await page.waitForFunction((want) => document.getElementById('map-x-to')?.value === want, expected[2], { timeout: 5_000 });
  assert.deepEqual(await form(page), expected);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a map of changed settings is titled with its preset and "modified"; its time left waits for runs to time', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=1&preset=retry-storm&load=650');
  await axes(page, ['clients.load_rps', 300, 900, 8], null, 5);
  // Every status the map shows, as it shows it.
  await page.evaluate(() => {
    window.statuses = [];
    const panel = document.querySelector('section[aria-labelledby="map-title"]');
    new MutationObserver(() => {
      const text = panel.querySelector('.map-progress [role=status]')?.textContent;
      if (text && text !== window.statuses.at(-1)) window.statuses.push(text);
    }).observe(panel, { subtree: true, childList: true, characterData: true });
  });
  await page.click('#map-start');
  await finished(page);
  const statuses = await page.evaluate(() => window.statuses);
  // Until 13 runs are back (and two rounds of the workers) there is no estimate; after, one in
  // whole seconds.
  const workers = Number(await page.locator('.map-progress').getAttribute('data-workers'));
  const counted = statuses.filter((t) => /^\d+ of 40 runs/.test(t));
  for (const text of counted) {
    const done = Number(/^(\d+) of 40 runs/.exec(text)[1]);
    const timing = done <= Math.max(12, 2 * workers);
    assert.match(text, timing ? / · timing them…$/ : / · about \d+ s left$/, text);
  }
  assert.ok(counted.some((t) => / · timing them…$/.test(t)), statuses.join(' | '));
  assert.ok(counted.some((t) => / s left$/.test(t)), statuses.join(' | '));
  assert.match(statuses.at(-1), /^40 runs in [\d.]+ s on \d+ workers?$/);
  const title = await page.locator('.map').getAttribute('aria-label');
  assert.match(title, /^Stability map of retry-storm, modified, seeds 1–5: /);
  assert.deepEqual(errors, []);
  await page.close();
});
