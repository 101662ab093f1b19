// The timeline in the browser: Record and replay, scheduling ahead, the preset's "modified" state,
// and controls that show only what matters.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clock, download, frames, latest, open, shot, slide, start, step, stop, until } from './helpers.mjs';

let ctx;
before(async () => { ctx = await start(); });
after(async () => { await stop(ctx); });

const rows = (file) => file.bytes.toString().trim().split('\n');

/** Runs to just before `t` seconds and steps onto it; the page is then paused at `t`. */
async function pauseAt(page, t) {
  await until(page, t - 0.8);
  assert.equal(await step(page), t);
}

test('Record writes live changes and triggers into the timeline; Reset and the link replay the same numbers', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url);
  await page.selectOption('#preset', 'healthy');
  await page.click('#record');
  assert.equal(await page.locator('#record').getAttribute('aria-pressed'), 'true');
  await until(page, 2.3);
  await slide(page, 'ctl-clients-load_rps', 3200);
  await until(page, 4.6);
  await page.click('#fire-load-spike');
  await pauseAt(page, 9);
  const live = rows(await download(page, '#export-csv'));
  assert.equal(live.length, 10);
  assert.equal(await page.locator('.timeline .items li').count(), 2);
  await page.waitForFunction(() => location.hash.includes('at='), null, { timeout: 5_000 });
  const hash = await page.evaluate(() => location.hash);
  assert.match(hash, /at=2\.\d+:load=3200/);
  assert.match(hash, /trigger=4\.\d+:load_spike:2:10/);
  await shot(page, 'timeline-recorded');

  await page.click('#reset');
  await pauseAt(page, 9);
  assert.deepEqual(rows(await download(page, '#export-csv')), live, 'Reset replays the recorded session');

  const other = await open(ctx.browser, `${ctx.url}index.html${hash}`);
  await pauseAt(other.page, 9);
  assert.deepEqual(rows(await download(other.page, '#export-csv')), live, 'the link replays it too');
  assert.deepEqual([...errors, ...other.errors], []);
  await Promise.all([page.close(), other.page.close()]);
});

test('a change scheduled ahead is announced on the charts and happens at its time', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=2&preset=retry-storm');
  await until(page, 2);
  const at = Math.ceil(await clock(page)) + 6;
  await page.selectOption('#schedule-field', 'clients.load_rps');
  await page.fill('#schedule-value', '300');
  await page.fill('#schedule-at', String(at));
  await page.click('#schedule-add');
  await page.waitForFunction(() => [...document.querySelectorAll('.chart text.upcoming')]
    .some((t) => /Load → 300 req\/s in \d+ s/.test(t.textContent)), null, { timeout: 5_000 });
  assert.match(await page.locator('.timeline .items li.upcoming').first().textContent(), /Load → 300 req\/s/);
  await shot(page, 'timeline-upcoming');
  await until(page, at + 2);
  const offered = await latest(page, 'Throughput', 'offered');
  assert.ok(offered > 200 && offered < 400, `offered ${offered} after the scheduled change to 300`);
  assert.equal(await page.locator('#ctl-clients-load_rps').inputValue(), '300', 'the slider follows');
  assert.match(await page.locator('.timeline .items li.done').first().textContent(), /Load → 300 req\/s.*done/);
  // A time already past, no time, a value the setting cannot take: each refused beside the form.
  const refused = async (value, at, says) => {
    await page.fill('#schedule-value', value);
    await page.fill('#schedule-at', at);
    await page.click('#schedule-add');
    await page.waitForFunction((says) => new RegExp(says).test(document.querySelector('#schedule-error')?.textContent ?? ''),
      says, { timeout: 5_000 });
  };
  await refused('300', '1', 'not later than now');
  await refused('300', '', 'give the time it happens at');
  await refused('99999999', String(at + 60), 'load_rps: 99999999 is not between 0 and 1000000');
  await refused('lots', String(at + 60), 'lots');
  // A change that holds clears the message.
  await page.fill('#schedule-value', '400');
  await page.click('#schedule-add');
  await page.locator('#schedule-error').waitFor({ state: 'detached', timeout: 5_000 });
  assert.deepEqual(errors, []);
  await page.close();
});

test('an edited preset reads modified until Restore', async () => {
  const { page } = await open(ctx.browser, ctx.url + '#v=2&preset=retry-storm');
  assert.equal(await page.locator('.presets .modified').count(), 0);
  await slide(page, 'ctl-clients-load_rps', 900);
  await page.locator('.presets .modified').waitFor({ timeout: 5_000 });
  await page.click('#restore');
  await page.waitForFunction(() => !document.querySelector('.presets .modified'), null, { timeout: 5_000 });
  assert.equal(await page.locator('#ctl-clients-load_rps').inputValue(), '700');
  await page.close();
});

test('only the chosen admission policy shows its parameters', async () => {
  const { page } = await open(ctx.browser, ctx.url);
  const bucket = page.locator('#ctl-retry-token_bucket-capacity');
  const budget = page.locator('#ctl-retry-budget-ratio');
  assert.equal(await bucket.count() + await budget.count(), 0);
  await page.selectOption('#ctl-retry-admission', 'token_bucket');
  await bucket.waitFor({ state: 'attached', timeout: 5_000 });
  assert.equal(await budget.count(), 0);
  await page.close();
});

test('a slider dragged by the pointer leaves one change mark, labelled with the value let go at', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=2&preset=healthy');
  await until(page, 2);
  const slider = page.locator('#ctl-clients-load_rps');
  await slider.scrollIntoViewIfNeeded({ timeout: 5_000 });
  const box = await slider.boundingBox();
  const [min, max, value] = await slider.evaluate((s) => [s.min, s.max, s.value].map(Number));
  const at = (v) => box.x + 8 + ((v - min) / (max - min)) * (box.width - 16);
  const y = box.y + box.height / 2;
  await page.mouse.move(at(value), y);
  await page.mouse.down();
  for (let i = 1; i <= 12; i += 1) {
    await page.mouse.move(at(value) + (i * box.width) / 30, y);
    await frames(page, 2);
  }
  await page.mouse.up();
  const final = await slider.inputValue();
  assert.notEqual(Number(final), value, 'the drag moved the slider');
  await frames(page, 3);
  const marks = await page.locator('.chart').first().locator('.mark.change line title').allTextContents();
  assert.equal(marks.length, 1, `one mark for one drag: ${marks.join(' | ')}`);
  assert.equal(marks[0], `Load → ${final} req/s`, 'labelled with the value let go at');
  assert.deepEqual(errors, []);
  await page.close();
});
