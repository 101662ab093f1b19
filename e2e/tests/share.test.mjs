// Links, export and import, and the cross-platform golden run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { clock, download, frames, open, shot, slide, start, stop, until } from './helpers.mjs';

let ctx;
before(async () => { ctx = await start(); });
after(async () => { await stop(ctx); });

const ROOT = resolve(import.meta.dirname, '../..');

/** The native command-line runner's CSV for the same scenario. */
function nativeCsv(args) {
  return execFileSync('cargo', ['run', '--release', '--quiet', '--locked', '--bin', 'simulate', '--', 'run', ...args],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
}

test('moving a slider writes the link; the link reopens the same run with the same numbers', async () => {
  const { page, errors } = await open(ctx.browser, `${ctx.url}index.html#v=2&preset=retry-storm`);
  await slide(page, 'ctl-clients-load_rps', 650);
  await page.selectOption('#speed', '5');
  await page.waitForFunction(() => location.hash.includes('load=650'), null, { timeout: 5_000 });
  const hash = await page.evaluate(() => location.hash);
  // Only what differs from the preset is written.
  assert.equal(hash, '#v=2&preset=retry-storm&speed=5&load=650');

  const link = `${ctx.url}index.html${hash}`;
  const a = await open(ctx.browser, link);
  const b = await open(ctx.browser, link);
  assert.equal(await a.page.locator('#ctl-clients-load_rps').inputValue(), '650');
  assert.equal(await a.page.locator('#speed').inputValue(), '5');
  await Promise.all([until(a.page, 12), until(b.page, 12)]);
  const [csvA, csvB] = await Promise.all([download(a.page, '#export-csv'), download(b.page, '#export-csv')]);
  const rows = (f) => f.bytes.toString().trim().split('\n').slice(0, 11);
  assert.ok(rows(csvA).length === 11);
  assert.deepEqual(rows(csvA), rows(csvB), 'two pages opened from one link produce the same windows');
  assert.deepEqual([...errors, ...a.errors, ...b.errors], []);
  await Promise.all([page.close(), a.page.close(), b.page.close()]);
});

test('Play pressed while a link catches up to its start time plays from that time', async () => {
  const { page, errors } = await open(ctx.browser, `${ctx.url}index.html#v=2&preset=retry-storm&t=900`);
  const at = await clock(page);
  assert.ok(at < 900, `still on the way at t = ${at} s`);
  await page.click('#play');
  await page.waitForFunction(() => document.querySelector('#play')?.getAttribute('aria-label') === 'Pause', null,
    { timeout: 60_000 });
  const playing = await clock(page);
  assert.ok(playing >= 900, `playing from t = ${playing} s`);
  assert.deepEqual(errors, []);
});

test('editing the link in the address bar loads the new scenario', async () => {
  const { page, errors } = await open(ctx.browser, `${ctx.url}index.html`);
  await page.evaluate(() => { location.hash = '#v=1&preset=overload&workers=12&bogus=1'; });
  await page.waitForFunction(() => document.querySelector('#preset').value === 'overload', null, { timeout: 5_000 });
  assert.equal(await page.locator('#ctl-clients-load_rps').inputValue(), '1200');
  assert.equal(await page.locator('#ctl-backend-workers').inputValue(), '12');
  assert.ok((await page.locator('.notices').textContent()).includes('"bogus"'));
  assert.ok(await clock(page) < 3, 'the run restarted');
  assert.deepEqual(errors, []);
  await page.close();
});

test('Copy link puts the page address with the scenario on the clipboard', async () => {
  const context = await ctx.browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  await page.goto(`${ctx.url}index.html#v=1&preset=lifo&load=700&hit=0&queue=2000&order=lifo&seed=9`, { timeout: 20_000 });
  await page.locator('.chart').first().waitFor({ timeout: 20_000 });
  await page.click('#copy-link');
  await page.locator('.share .status', { hasText: 'Link copied' }).waitFor({ timeout: 5_000 });
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(copied.startsWith(`${ctx.url}index.html#v=2&preset=lifo`), copied);
  assert.equal(copied, `${ctx.url}index.html#v=2&preset=lifo&seed=9`, 'fields equal to the preset are left out');
  await context.close();
});

test('a bad link names what it ignored, clamps what it can and keeps the rest', async () => {
  const { page, errors } = await open(ctx.browser,
    `${ctx.url}index.html#v=2&preset=healthy&load=900&retries=lots&warp=9&hit=1.7&trigger=5:meteor:1:1&seed=42`);
  const notices = page.locator('.notices');
  await notices.waitFor({ timeout: 5_000 });
  const text = await notices.textContent();
  for (const named of ['"retries"', '"warp"', 'hit=', '"trigger"']) assert.ok(text.includes(named), text);
  assert.equal(await page.locator('#ctl-clients-load_rps').inputValue(), '900');
  assert.equal(await page.locator('#ctl-cache-target_hit_rate').inputValue(), '0.99', 'clamped to the slider top');
  assert.equal(await page.locator('#seed').inputValue(), '42');
  await shot(page, 'bad-link');
  await page.click('.notices button');
  assert.equal(await notices.count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a link with many bad fields shows five notices and folds the rest under a count', async () => {
  const bad = Array.from({ length: 60 }, (_, i) => `bogus${i}=1`).join('&');
  const { page, errors } = await open(ctx.browser, `${ctx.url}index.html#v=2&preset=retry-storm&${bad}`,
    { viewport: { width: 1440, height: 900 } });
  const notices = page.locator('.notices');
  await notices.waitFor({ timeout: 5_000 });
  assert.equal(await page.locator('.notices > div > ul > li:not(.notices-more)').count(), 5);
  assert.equal(await page.locator('.notices summary').textContent(), 'and 55 more');
  const box = await notices.boundingBox();
  assert.ok(box.height < 300, `the notices are ${box.height} px tall`);
  await page.click('.notices summary');
  assert.equal(await page.locator('.notices details li').count(), 55);
  assert.deepEqual(errors, []);
  await page.close();
});

test('link text is shown as text, never run as HTML', async () => {
  const { page, errors } = await open(ctx.browser,
    `${ctx.url}index.html#v=1&%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E=1&preset=%3Cb%3Ebold%3C%2Fb%3E`);
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs += 1; d.dismiss(); });
  await page.locator('.notices').waitFor({ timeout: 5_000 });
  assert.ok((await page.locator('.notices').textContent()).includes('<img src=x onerror=alert(1)>'));
  assert.equal(await page.locator('.notices img, .notices b').count(), 0);
  await frames(page, 30);
  assert.equal(dialogs, 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the windows export as CSV and the scenario as JSON, which imports back with clear errors', async () => {
  const { page, errors } = await open(ctx.browser, `${ctx.url}index.html#v=1&preset=overload&load=1200&hit=0&queue=2000`);
  await until(page, 3);
  const csv = await download(page, '#export-csv');
  assert.equal(csv.name, 'overload-seed-1-windows.csv');
  const header = csv.bytes.toString().split('\n')[0];
  assert.equal(header, nativeCsv(['--preset', 'overload', '--duration', '1']).split('\n')[0]);

  const json = await download(page, '#export-json');
  const scenario = JSON.parse(json.bytes.toString());
  assert.equal(scenario.clients.load_rps, 1200);

  scenario.backend.workers = 20;
  await page.setInputFiles('#import-json', { name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(scenario)) });
  await page.locator('.share .status', { hasText: 'Scenario imported' }).waitFor({ timeout: 5_000 });
  assert.equal(await page.locator('#ctl-backend-workers').inputValue(), '20');
  await page.waitForFunction(() => location.hash.includes('workers=20'), null, { timeout: 5_000 });

  await page.setInputFiles('#import-json', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"backend": {"wrokers": 3}}') });
  await page.locator('.error', { hasText: 'unknown field `wrokers`' }).waitFor({ timeout: 5_000 });
  await page.setInputFiles('#import-json', { name: 'range.json', mimeType: 'application/json', buffer: Buffer.from('{"backend": {"workers": 0}}') });
  await page.locator('.error', { hasText: 'backend.workers: 0 is not between 1 and 100000' }).waitFor({ timeout: 5_000 });
  assert.equal(await page.locator('#ctl-backend-workers').inputValue(), '20', 'a rejected file changes nothing');
  assert.deepEqual(errors, []);
  await page.close();
});

test('each chart saves as SVG and PNG', async () => {
  const { page } = await open(ctx.browser, `${ctx.url}index.html`);
  await until(page, 3);
  const svg = await download(page, '.chart:first-child button[aria-label$="as SVG"]');
  assert.equal(svg.name, 'throughput.svg');
  const text = svg.bytes.toString();
  assert.match(text, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(text, /stroke: ?rgb\(/, 'colours are inlined');
  assert.match(text, /goodput/);
  const png = await download(page, '.chart:first-child button[aria-label$="as PNG"]');
  assert.equal(png.name, 'throughput.png');
  assert.deepEqual([...png.bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
  // The chart is drawn in CSS pixels; the copies have 12 units of room on each side, and the PNG
  // is drawn at twice that.
  const width = await page.locator('.chart:first-child svg').evaluate((svg) => svg.viewBox.baseVal.width);
  assert.ok(Math.abs(width - await page.locator('.chart:first-child svg').evaluate((svg) => svg.getBoundingClientRect().width)) < 1);
  const box = /viewBox="([^"]+)"/.exec(text)[1].split(' ').map(Number);
  assert.deepEqual(box.slice(0, 2), [-12, -12]);
  assert.ok(Math.abs(box[2] - (width + 24)) < 0.01, `the copy's width ${box[2]} against ${width} and its margin`);
  assert.equal(png.bytes.readUInt32BE(16), Math.floor(box[2] * 2), 'drawn at twice the width with its margin');
  await page.close();
});

// The page's bundle leaves out the engine's shortcuts (answers, fills and arrivals that need no
// event); the native runner takes them. retry-storm's cache holds no keys; cache-restart's does,
// and empties and goes out at 5 s.
for (const [preset, seconds, collapse] of [['retry-storm', 60, 'metastable'], ['cache-restart', 30, 'metastable']]) {
  test(`golden run: the browser (wasm) and the native runner produce bit-identical windows (${preset})`, async () => {
    const { page, errors } = await open(ctx.browser, `${ctx.url}index.html#v=1&preset=${preset}&speed=20`);
    await until(page, seconds + 1, 30_000);
    const browser = (await download(page, '#export-csv')).bytes.toString().trim().split('\n').slice(0, seconds + 1);
    const native = nativeCsv(['--preset', preset, '--duration', String(seconds)]).trim().split('\n');
    assert.equal(native.length, seconds + 1);
    // Numbers are written as the shortest text that reads back as the same float, so equal text is equal bits.
    assert.deepEqual(browser, native);
    assert.ok(native.some((row) => row.includes(collapse)), 'the run covers the collapse');
    assert.deepEqual(errors, []);
    await page.close();
  });
}
