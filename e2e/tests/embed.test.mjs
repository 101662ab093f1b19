// Embed mode, the example article, and the page's safety: own assets only, a strict CSP, no
// attention paid to incoming messages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { clock, frames, open, shot, start, stop, until, WAIT_MS } from './helpers.mjs';

let ctx;
before(async () => { ctx = await start(); });
after(async () => { await stop(ctx); });

const STORM = 'v=1&preset=retry-storm&embed=1&controls=load,retries,hit';

/** Simulated time on the clock inside `frame`. */
async function frameClock(frame) {
  const text = await frame.locator('.clock').textContent({ timeout: WAIT_MS });
  return Number(/t = ([\d.]+) s/.exec(text)[1]);
}

/** Waits until the clock inside the frame `selector` shows more than `seconds`. */
async function passes(page, selector, seconds) {
  await page.waitForFunction(([sel, s]) => {
    const text = document.querySelector(sel).contentDocument?.querySelector('.clock')?.textContent ?? '';
    const m = /t = ([\d.]+)/.exec(text);
    return m && Number(m[1]) > s;
  }, [selector, seconds], { timeout: 10_000 });
}

/** Makes `frame` see its tab hidden or shown, as a visibilitychange with that visibilityState. */
async function setVisibility(frame, state) {
  await frame.evaluate((v) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => v });
    document.dispatchEvent(new Event('visibilitychange'));
  }, state);
}

/** Reports every Content-Security-Policy violation in the page and its frames to `list`. */
async function recordViolations(page, list) {
  await page.exposeFunction('reportViolation', (v) => list.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
}

test('an embed shows only the listed controls in a 320 px column and waits for Play', async () => {
  const { page, errors } = await open(ctx.browser, `${ctx.url}index.html#${STORM}&theme=dark`,
    { viewport: { width: 320, height: 900 } });
  assert.equal(await page.locator('.app.embed').count(), 1);
  assert.deepEqual(await page.locator('.control input, .control select').evaluateAll((els) => els.map((e) => e.id)),
    ['ctl-clients-load_rps', 'ctl-retry-max_attempts', 'ctl-cache-target_hit_rate']);
  assert.equal(await page.locator('.share, .diagram, .triggers').count(), 0);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 320, `embed is ${width} px wide`);
  await frames(page, 48);
  assert.equal(await clock(page), 0, 'no autoplay unless asked');
  await page.click('#play');
  await page.waitForFunction(() => /t = [1-9]/.test(document.querySelector('.clock').textContent), null, { timeout: 10_000 });
  const full = await page.locator('.open-full').getAttribute('href');
  assert.equal(full, `${ctx.url}index.html#v=2&preset=retry-storm`);
  assert.equal(await page.locator('.open-full').getAttribute('target'), '_blank');
  await shot(page, 'embed-320-dark');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Embed dialog makes a snippet for the current scenario', async () => {
  const { page } = await open(ctx.browser, `${ctx.url}index.html#v=1&preset=token-bucket&seed=3`);
  await page.click('#embed');
  await page.locator('dialog[open] #embed-snippet').waitFor({ timeout: 5_000 });
  // It offers the controls that matter here: the token bucket's, and no hit rate for a cache
  // that holds nothing.
  assert.equal(await page.locator('#embed-controls').inputValue(), 'load,retries,admission');
  // It starts where the story has been told: half a minute after the spike (20–30 s) ends.
  assert.equal(await page.locator('#embed-start').inputValue(), '60');
  await page.fill('#embed-controls', 'load,admission');
  await page.fill('#embed-start', '');
  await page.check('#embed-autoplay');
  const snippet = await page.locator('#embed-snippet').inputValue();
  assert.match(snippet, /^<iframe src="[^"]+index\.html#v=2&amp;preset=token-bucket&amp;seed=3&amp;embed=1&amp;controls=load,admission&amp;autoplay=1"/);
  for (const part of ['title="Metastable Playground: ', 'loading="lazy"', 'aspect-ratio: 3 / 4', 'data-metastable-playground']) {
    assert.ok(snippet.includes(part), `${part} missing from ${snippet}`);
  }
  assert.match(await page.locator('#embed-script').inputValue(), /metastable-playground:height/);
  await shot(page, 'embed-dialog');
  await page.click('#embed-close');
  assert.equal(await page.locator('dialog[open]').count(), 0);
  await page.close();
});

test('an embed opened at t=90 shows the collapse before anything is pressed, with the chosen charts and the diagram', async () => {
  const { page, errors } = await open(ctx.browser,
    `${ctx.url}index.html#v=1&preset=cold-cache-lookaside&embed=1&t=90&charts=hit-rate,queue&diagram=1`,
    { viewport: { width: 480, height: 1000 } });
  // The run is advanced to 90 s over the first frames (the page never freezes), then waits there.
  await until(page, 90);
  assert.equal(await clock(page), 90);
  assert.equal(await page.locator('#play').getAttribute('aria-label'), 'Play', 'paused: the poster state');
  assert.equal(await page.locator('.banner .state').textContent(), 'Metastable');
  assert.deepEqual(await page.locator('.chart .chart-title').allTextContents(),
    ['Utilisation and cache hit rate (%)', 'Backend queue (requests)']);
  assert.equal(await page.locator('.diagram').count(), 1);
  assert.equal(await page.locator('#poster').count(), 0, 'the loading poster is gone');
  assert.equal(await clock(page), 90, 'still paused');
  await shot(page, 'embed-t90-charts-diagram-480');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the Embed dialog names unknown controls and charts, carries speed and start time, and previews live', async () => {
  const { page } = await open(ctx.browser, `${ctx.url}index.html#v=1&preset=retry-storm`, { viewport: { width: 1440, height: 900 } });
  await page.click('#embed');
  await page.locator('dialog[open] #embed-snippet').waitFor({ timeout: 5_000 });
  await page.fill('#embed-controls', 'load,nope');
  await page.locator('#embed-controls-error', { hasText: 'Not a control: nope' }).waitFor({ timeout: 5_000 });
  assert.equal(await page.locator('#embed-controls').getAttribute('aria-invalid'), 'true');
  await page.fill('#embed-charts', 'throughput,pie,amplification');
  await page.locator('#embed-charts-hint', { hasText: 'Not a chart: pie' }).waitFor({ timeout: 5_000 });
  await page.fill('#embed-start', 'soon');
  assert.equal(await page.locator('#embed-start').getAttribute('aria-invalid'), 'true');
  await page.fill('#embed-start', '60');
  await page.selectOption('#embed-speed', '2');
  await page.check('#embed-diagram');
  const snippet = await page.locator('#embed-snippet').inputValue();
  assert.match(snippet, /#v=2&amp;preset=retry-storm&amp;speed=2&amp;t=60&amp;embed=1&amp;controls=load&amp;charts=throughput,amplification&amp;diagram=1"/);
  const src = /src="([^"]+)"/.exec(snippet)[1].replaceAll('&amp;', '&');
  assert.equal(await page.locator('#embed-preview').getAttribute('src'), src);
  const preview = page.frameLocator('#embed-preview');
  await preview.locator('.clock', { hasText: 't = 60.0 s' }).waitFor({ timeout: WAIT_MS });
  assert.equal(await preview.locator('.chart').count(), 2);
  await shot(page, 'embed-dialog-preview-1440');
  await page.close();
});

test('a lesson step embeds: its start drawn at once, the two runs side by side, no presenter buttons', async () => {
  const { page, errors } = await open(ctx.browser, `${ctx.url}index.html#v=1&lesson=cache-modes&step=2&embed=1`,
    { viewport: { width: 640, height: 1000 } });
  await page.locator('.lesson.embedded[data-step="2"]').waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('#lesson-full, #lesson-projector, .lesson-keys').count(), 0);
  assert.deepEqual(await page.locator('.lesson-side .side-label').allTextContents(), ['write-back', 'look-aside']);
  assert.equal(await page.locator('.lesson').getAttribute('data-t'), '15.0');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 640, `the lesson embed is ${width} px wide`);
  await shot(page, 'embed-lesson-640');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the example article: both embeds load, fit their content, run independently and open in full', async () => {
  const violations = [];
  const page = await ctx.browser.newPage({ viewport: { width: 1300, height: 1000 } });
  await recordViolations(page, violations);
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${ctx.url}article.html`, { timeout: WAIT_MS });
  const left = page.frameLocator('#without');
  const right = page.frameLocator('#with');
  await left.locator('.chart').first().waitFor({ timeout: WAIT_MS });
  await right.locator('.chart').first().waitFor({ timeout: WAIT_MS });

  // Each frame is sized to the height its content reports, not the 3:4 fallback.
  for (const id of ['#without', '#with']) {
    await page.waitForFunction((sel) => {
      const frame = document.querySelector(sel);
      const inner = frame.contentDocument?.body?.getBoundingClientRect().height;
      return inner && Math.abs(frame.getBoundingClientRect().height - inner) <= 3;
    }, id, { timeout: 10_000 });
  }
  const styles = await page.evaluate(() => [...document.querySelectorAll('iframe')].map((f) => [f.style.height, f.style.aspectRatio]));
  for (const [height, ratio] of styles) {
    assert.match(height, /^\d+px$/, 'the resize script set the height');
    assert.equal(ratio, 'auto');
  }

  // Pausing one leaves the other running.
  await left.locator('#play').click();
  const paused = await frameClock(left);
  const other = await frameClock(right);
  await passes(page, '#with', other + 1);
  assert.equal(await frameClock(left), paused);
  assert.equal(await left.locator('#ctl-retry-admission').count(), 0);
  assert.equal(await right.locator('#ctl-retry-admission').inputValue(), 'token_bucket');
  await page.screenshot({ path: new URL('../../test-output/article.png', import.meta.url).pathname, fullPage: true });

  // "Open in playground" opens the full playground with the same scenario.
  const [full] = await Promise.all([page.waitForEvent('popup', { timeout: WAIT_MS }), right.locator('.open-full').click()]);
  await full.locator('.share').waitFor({ timeout: WAIT_MS });
  assert.equal(await full.locator('.app.embed').count(), 0);
  assert.equal(await full.locator('#ctl-retry-admission').inputValue(), 'token_bucket');
  assert.equal(await full.locator('#ctl-clients-load_rps').inputValue(), '700');
  assert.equal(await full.locator('#preset').inputValue(), 'token-bucket');
  assert.deepEqual(violations, []);
  assert.deepEqual(errors, []);
  await full.close();
  await page.close();
});

test('an embed pauses while scrolled out of view or while its tab is hidden', async () => {
  const page = await ctx.browser.newPage({ viewport: { width: 400, height: 600 } });
  await page.goto(`${ctx.url}article.html`, { timeout: WAIT_MS });
  const left = page.frameLocator('#without');
  await left.locator('.chart').first().waitFor({ timeout: WAIT_MS });
  await passes(page, '#without', 1);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForFunction(() => document.querySelector('#without').getBoundingClientRect().bottom < 0, null, { timeout: 5_000 });
  await frames(page, 24);
  const hidden = await frameClock(left);
  await frames(page, 90);
  assert.equal(await frameClock(left), hidden, 'no progress while out of view');
  await page.evaluate(() => window.scrollTo(0, 0));
  await passes(page, '#without', hidden + 0.5);

  // A hidden tab: the frame hears visibilitychange with visibilityState "hidden".
  const frame = page.frames().find((f) => f.url().includes('preset=retry-storm'));
  await setVisibility(frame, 'hidden');
  await frames(page, 18);
  const atHide = await frameClock(left);
  await frames(page, 90);
  assert.equal(await frameClock(left), atHide, 'no progress while the tab is hidden');
  await setVisibility(frame, 'visible');
  await passes(page, '#without', atHide + 0.5);
  await page.close();
});

test('an embed posts only its height, and ignores messages sent to it', async () => {
  const page = await ctx.browser.newPage({ viewport: { width: 1300, height: 1000 } });
  await page.addInitScript(() => {
    window.received = [];
    addEventListener('message', (e) => window.received.push(e.data));
  });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${ctx.url}article.html`, { timeout: WAIT_MS });
  const left = page.frameLocator('#without');
  await left.locator('.chart').first().waitFor({ timeout: WAIT_MS });
  const frame = page.frames().find((f) => f.url().includes('preset=retry-storm'));
  const hashBefore = await frame.evaluate(() => location.hash);
  await page.evaluate(() => {
    const target = document.querySelector('#without').contentWindow;
    for (const message of [{ type: 'metastable-playground:height', height: 5 }, 'load=9999', { set: 'clients.load_rps', value: 1 },
      '<img src=x onerror=alert(1)>', null, 42]) {
      target.postMessage(message, '*');
    }
  });
  await frames(page, 60);
  assert.equal(await frame.evaluate(() => location.hash), hashBefore);
  assert.equal(await left.locator('#ctl-clients-load_rps').inputValue(), '700');
  assert.equal(await left.locator('.error, .notices').count(), 0);
  const received = await page.evaluate(() => window.received);
  assert.ok(received.length > 0, 'heights were posted');
  for (const data of received) {
    assert.deepEqual(Object.keys(data).sort(), ['height', 'type']);
    assert.equal(data.type, 'metastable-playground:height');
    assert.ok(Number.isFinite(data.height) && data.height > 200);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('the pages request nothing but their own assets and break no CSP rule', async () => {
  const violations = [];
  const page = await ctx.browser.newPage({ viewport: { width: 1300, height: 1000 } });
  await recordViolations(page, violations);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  const console = [];
  page.on('console', (m) => console.push(m.text()));
  await page.goto(`${ctx.url}index.html`, { timeout: WAIT_MS });
  await page.locator('.chart').first().waitFor({ timeout: WAIT_MS });
  await until(page, 2);
  await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.click('#export-csv')]);
  await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.click('.chart:first-child button[aria-label$="as PNG"]')]);
  await page.goto(`${ctx.url}article.html`, { timeout: WAIT_MS });
  await page.frameLocator('#with').locator('.chart').first().waitFor({ timeout: WAIT_MS });
  await passes(page, '#with', 1);
  const foreign = requests.filter((u) => !u.startsWith(ctx.url) && !u.startsWith('blob:') && !u.startsWith('data:'));
  assert.deepEqual(foreign, []);
  const files = new Set(requests.filter((u) => u.startsWith(ctx.url)).map((u) => new URL(u).pathname));
  for (const f of files) assert.ok(['/index.html', '/style.css', '/boot.js', '/playground.js', '/playground_bg.wasm',
    '/article.html', '/article.css', '/embed-resize.js'].includes(f), `unexpected request ${f}`);
  assert.deepEqual(violations, []);
  assert.deepEqual(console.filter((t) => /Content.Security.Policy/i.test(t)), []);
  await page.close();
});
