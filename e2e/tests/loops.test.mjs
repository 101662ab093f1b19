// Hysteresis loops and the live state space in the browser: each policy's ramp runs in a Web
// Worker and its CSV is the command line's, byte for byte; the state space follows the live run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { clock, download, open, shot, start, stop, until } from './helpers.mjs';

let ctx;
before(async () => { ctx = await start(); });
after(async () => { await stop(ctx); });

const ROOT = resolve(import.meta.dirname, '../..');

function nativeLoop(args) {
  return execFileSync('cargo', ['run', '--release', '--quiet', '--locked', '--bin', 'simulate', '--', 'hysteresis', ...args],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
}

test('loops of two policies equal the native ramps; the way down stays low without admission', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=1&preset=retry-storm');
  for (const [id, value] of [['loop-from', 300], ['loop-to', 1300], ['loop-steps', 5], ['loop-hold', 10]]) {
    await page.fill(`#${id}`, String(value));
  }
  for (const name of ['none', 'token_bucket', 'grpc_throttling', 'retry_budget', 'circuit_breaker']) {
    const box = page.locator(`#loop-${name}`);
    if (await box.count() && (await box.isChecked()) !== (name === 'none' || name === 'token_bucket')) await box.click();
  }
  await page.click('#loop-start');
  await page.locator('.loop-panel .map-progress[data-finished="true"]').waitFor({ timeout: 120_000 });
  const bar = page.locator('.loop-panel .map-progress progress');
  assert.equal(await bar.getAttribute('value'), await bar.getAttribute('max'), 'the bar is full');
  const csv = (await download(page, '#loop-csv')).bytes.toString().trim().split('\n');
  assert.equal(csv[0], 'policy,at_s,load_rps,offered_rps,goodput_rps,branch');
  for (const policy of ['none', 'token_bucket']) {
    const native = nativeLoop(['--preset', 'retry-storm', '--set', `retry.admission=${policy}`, '--from', '300', '--to', '1300',
      '--steps', '5', '--hold', '10']).trim().split('\n').slice(1);
    const mine = csv.filter((r) => r.startsWith(`${policy},`)).map((r) => r.slice(policy.length + 1));
    assert.deepEqual(mine, native, `${policy}: the browser's ramp is the native one`);
  }
  // Without admission the way down stays below 10 % of the way up at 300 req/s.
  const at300 = csv.filter((r) => r.startsWith('none,') && r.split(',')[2] === '300').map((r) => Number(r.split(',')[4]));
  assert.equal(at300.length, 2);
  assert.ok(at300[1] < 0.1 * at300[0], `none at 300 req/s: up ${at300[0]}, down ${at300[1]}`);
  const chart = page.locator('.loop-panel .chart.xy svg');
  assert.match(await chart.getAttribute('aria-label'), /None up .*None down .*Token bucket up .*Token bucket down/);
  // The first policy's lines are drawn wider than the second's, so where their ways up coincide
  // a band of the first shows 2 px on each side of the second (as drawn, not only as written).
  const drawn = await chart.locator('path.series[stroke-width]').evaluateAll((paths) =>
    paths.map((p) => parseFloat(getComputedStyle(p).strokeWidth)));
  assert.deepEqual([...new Set(drawn)].sort((a, b) => b - a), [6.5, 2.5], `line widths ${drawn}`);
  assert.doesNotMatch(await page.locator('.loop-panel .map-progress').textContent(), /the same/);
  await page.locator('.loop-panel').scrollIntoViewIfNeeded();
  await shot(page, 'loops');
  assert.deepEqual(errors, []);
});

test('a ramp that does not rise is refused with a sentence that names both ends', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=1&preset=retry-storm');
  await page.fill('#loop-from', '1300');
  await page.fill('#loop-to', '300');
  await page.click('#loop-start');
  const error = page.locator('.loop-panel .map-error');
  await error.waitFor({ timeout: 10_000 });
  assert.equal(await error.textContent(),
    'The load must rise: the highest load (to, 300 req/s) must be above the lowest (from, 1300 req/s)');
  assert.deepEqual(errors, []);
});

test('loops that admission cannot change (one attempt, so no retries) say they are all the same', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=2&preset=retry-storm&retries=1&loop=300..1300:3:4'
    + '&policies=none,token_bucket');
  const progress = page.locator('.loop-panel .map-progress[data-finished="true"]');
  await progress.waitFor({ timeout: 120_000 });
  assert.match(await progress.textContent(), /2 loops, 7 levels each, every one the same: admission changes nothing here/);
  assert.deepEqual(errors, []);
});

test("five policies' legend entries keep apart on a wide screen, whose charts are set larger", async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=2&preset=retry-storm&loop=300..1300:3:4'
    + '&policies=none,token_bucket,grpc_throttling,retry_budget,circuit_breaker', { viewport: { width: 1920, height: 1080 } });
  await page.locator('.loop-panel .map-progress[data-finished="true"]').waitFor({ timeout: 120_000 });
  const boxes = await page.locator('.loop-panel .chart.xy .legend > g').evaluateAll((entries) =>
    entries.map((g) => { const b = g.getBoundingClientRect(); return [g.textContent, b.left, b.right, b.top, b.bottom]; }));
  assert.equal(boxes.length, 11, 'ten ways and the diagonal');
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const apart = a[2] <= b[1] || b[2] <= a[1] || a[4] <= b[3] || b[4] <= a[3];
      assert.ok(apart, `"${a[0]}" and "${b[0]}" overlap: ${a.slice(1)} / ${b.slice(1)}`);
    }
  }
  assert.deepEqual(errors, []);
});

test('the ramp offered follows the settings until edited; loops drawn say when the settings move on', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=1&preset=retry-storm');
  const ramp = async () => [await page.inputValue('#loop-from'), await page.inputValue('#loop-to')];
  assert.deepEqual(await ramp(), ['300', '1300'], 'retry-storm: 30 % to 130 % of its 1000 req/s');
  // The form is drawn again after a preset is chosen: its ends are read once both have changed.
  const rampIs = (ends) => page.waitForFunction(([from, to]) => document.querySelector('#loop-from')?.value === from
    && document.querySelector('#loop-to')?.value === to, ends, { timeout: 5_000 });
  await page.selectOption('#preset', 'cache-restart');
  await page.waitForFunction(() => document.querySelector('#loop-from')?.value !== '300'
    && document.querySelector('#loop-to')?.value !== '1300', null, { timeout: 5_000 });
  const restart = await ramp();
  await page.selectOption('#preset', 'retry-storm');
  await rampIs(['300', '1300']);
  // A run started from the keyboard leaves the focus on the button: Cancel while it runs, Draw
  // loops again after.
  await page.focus('#loop-start');
  await page.keyboard.press('Enter');
  const focused = () => page.evaluate(() => document.activeElement?.id ?? '');
  assert.match(await focused(), /^loop-(cancel|start)$/);
  await page.locator('.loop-panel .map-progress[data-finished="true"]').waitFor({ timeout: 120_000 });
  assert.equal(await focused(), 'loop-start');
  assert.equal(await page.locator('.loop-panel .map-stale').count(), 0, 'nothing has changed yet');
  // Other settings: the loops drawn say so, and the form, not edited, offers the new ramp.
  await page.selectOption('#preset', 'cache-restart');
  await page.locator('.loop-panel .map-stale').waitFor({ timeout: 5_000 });
  await rampIs(restart);
  // Edited, the form stays as it is.
  await page.fill('#loop-steps', '2');
  await page.selectOption('#preset', 'retry-storm');
  assert.deepEqual(await ramp(), restart);
  assert.equal(await page.inputValue('#loop-steps'), '2');
  assert.deepEqual(errors, []);
});

test('the state space follows the live run from the healthy corner to the stuck one', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=1&preset=retry-storm&speed=10');
  const state = page.locator('.chart.xy svg').first();
  await until(page, 15, 60_000);
  const before = await state.getAttribute('aria-label');
  assert.match(before, /now at [\d.]+ → 1\.0/, before);
  await until(page, 60, 60_000);
  const after = await state.getAttribute('aria-label');
  const [, queue, amplification] = /now at ([\d.]+) → ([\d.]+)/.exec(after);
  assert.ok(Number(queue) > 500 && Number(amplification) > 2, after);

  // Its points save as CSV under the axes' titles, each at its window's end: the last minute,
  // ending stuck.
  if (await page.locator('#play').getAttribute('aria-label') === 'Pause') await page.click('#play');
  const csv = await download(page, 'button[aria-label="Save State space of retry-storm, seed 1, last minute as CSV"]');
  assert.equal(csv.name, 'state-space-of-retry-storm-seed-1-last-minute.csv');
  const rows = csv.bytes.toString().trim().split('\n');
  assert.equal(rows[0], 't_s,"Backend queue (mean, requests)",Retry amplification (×)');
  assert.ok(rows.length > 10, `${rows.length} rows`);
  const points = rows.slice(1).map((r) => r.split(',').map(Number));
  const [lastT, lastQueue, lastAmplification] = points.at(-1);
  assert.ok(lastQueue > 500 && lastAmplification > 2, rows.at(-1));
  assert.ok(points.every(([t], k) => k === 0 || t > points[k - 1][0]), 'times rise');
  assert.ok(Math.abs(lastT - await clock(page)) <= 1, `last point at ${lastT} s`);
  // The amplification axis reaches every point: a window after the spike counts more attempts
  // than the most a call makes, and the axis grows to show it rather than cutting it off.
  const top = Math.max(...await state.locator('.tick text[text-anchor="end"]').allTextContents().then((t) => t.map(Number)));
  const highest = Math.max(...points.map(([, , a]) => a));
  assert.ok(top >= highest, `the axis ends at ${top}, a point is at ${highest}`);
  assert.deepEqual(errors, []);
});

test('an embed draws the state space when its link names it', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=2&preset=retry-storm&embed=1&charts=state-space,throughput&t=60',
    { viewport: { width: 720, height: 900 } });
  const state = page.locator('.chart.xy svg');
  await state.waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => /now at/.test(document.querySelector('.chart.xy svg')?.getAttribute('aria-label')),
    null, { timeout: 60_000 });
  assert.equal(await page.locator('.chart').count(), 2, 'throughput and the state space');
  assert.ok(await page.locator('.chart').first().evaluate((c) => c.classList.contains('xy')), 'in the order the link gives');
  assert.equal(await page.locator('.notice, .notices').count(), 0, 'no notice about an unknown chart');
  await shot(page, 'embed-state-space');
  assert.deepEqual(errors, []);
});
