// Lessons in the browser, as a presenter runs them: a whole lesson walked by keyboard alone (a
// prediction answered, the trigger pressed, a slider moved, each step's check reached), a step
// comparing two runs side by side, the projector theme, and the list of lessons.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { open, shot, start, stop } from './helpers.mjs';

let ctx;
before(async () => { ctx = await start(); });
after(async () => { await stop(ctx); });

const LONG_MS = 90_000;

/** Presses Tab until the focused element matches `selector`. */
async function tabTo(page, selector, presses = 40) {
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
  }
  assert.fail(`Tab never reached ${selector}`);
}

const lesson = (page) => page.locator('.lesson');
const stepShown = (page, n) => page.locator(`.lesson[data-step="${n}"]`).waitFor({ timeout: 10_000 });
const checkReached = (page) => page.locator('.lesson[data-done="true"]').waitFor({ timeout: LONG_MS });

/** The rendered size in CSS pixels of the smallest text matched by `selector`. */
function smallestText(page, selector) {
  return page.evaluate((s) => Math.min(...[...document.querySelectorAll(s)].map((e) => {
    const size = parseFloat(getComputedStyle(e).fontSize);
    const svg = e.ownerSVGElement;
    return svg ? size * svg.getBoundingClientRect().width / svg.viewBox.baseVal.width : size;
  })), selector);
}

/** The smallest text once the charts have redrawn for a new window size: until they measure their
 * new width, the old drawing is scaled to it. Waits up to `timeoutMs` for it to reach `least`. */
async function smallestTextAfterResize(page, selector, least, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  let size = await smallestText(page, selector);
  while (size < least && Date.now() < deadline) {
    await page.waitForTimeout(100);
    size = await smallestText(page, selector);
  }
  return size;
}

test('a whole lesson by keyboard alone: predict, press the spike, watch, move the load, reach each check', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=1&speed=10&lesson=retry-storm&step=1',
    { viewport: { width: 1280, height: 720 } });
  await stepShown(page, 1);
  const start = await lesson(page).getAttribute('data-t');
  // Space before answering: the run waits for the prediction.
  await page.keyboard.press('Space');
  await page.locator('.lesson-hint', { hasText: 'Answer the question first' }).waitFor({ timeout: 5_000 });
  assert.equal(await lesson(page).getAttribute('data-t'), start);
  // The step's check unlocks the next step.
  await page.keyboard.press('ArrowRight');
  await page.locator('.lesson-hint', { hasText: 'Reach the goal first' }).waitFor({ timeout: 5_000 });
  assert.equal(await lesson(page).getAttribute('data-step'), '1');
  await tabTo(page, 'input[name="predict"]');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('.choice.picked').textContent(), 'Stay near zero');
  await tabTo(page, '#lesson-answer');
  await page.keyboard.press('Enter');
  await tabTo(page, '#lesson-fire');
  await page.keyboard.press('Enter');
  await checkReached(page);
  await page.locator('.reveal.right').waitFor({ timeout: 5_000 });
  assert.match(await page.locator('.lesson .banner .state').textContent(), /Metastable/);
  await shot(page, 'lesson-storm-step1-1280x720');

  await page.keyboard.press('ArrowRight');
  await stepShown(page, 2);
  assert.match(page.url(), /lesson=retry-storm&step=2/);
  // Back returns to the step before, and Forward to this one.
  await page.goBack({ timeout: 5_000 });
  await stepShown(page, 1);
  assert.match(page.url(), /lesson=retry-storm&step=1/);
  await page.goForward({ timeout: 5_000 });
  await stepShown(page, 2);
  // The step's heading has the focus (it is read out), and Space still plays.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'lesson-step');
  assert.equal(await lesson(page).getAttribute('data-done'), 'false');
  // A step that only watches offers its one action: play.
  await page.locator('#lesson-watch').waitFor({ timeout: 5_000 });
  await page.keyboard.press('Space');
  await page.locator('#lesson-watch').waitFor({ state: 'detached', timeout: 5_000 });
  await checkReached(page);

  await page.keyboard.press('ArrowRight');
  await stepShown(page, 3);
  await tabTo(page, '#ctl-clients-load_rps');
  await page.keyboard.press('Home');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  assert.equal(await page.locator('#ctl-clients-load_rps').inputValue(), '200');
  await checkReached(page);
  assert.match(await page.locator('#lesson-goal .goal-next').textContent(), /end of the lesson\. Press → for the next: A healthy system and its capacity/);
  assert.match(await page.locator('.lesson .banner .state').textContent(), /Healthy/);
  await shot(page, 'lesson-storm-step3-1280x720');

  // R restarts the step at its start; a digit jumps to a step.
  await tabTo(page, '#lesson-restart');
  await page.keyboard.press('r');
  await page.locator('.lesson[data-done="false"][data-t="40.0"]').waitFor({ timeout: 10_000 });
  await page.keyboard.press('1');
  await stepShown(page, 1);
  assert.match(page.url(), /step=1/);

  // → on the last step, its goal reached, opens the next lesson.
  await page.keyboard.press('3');
  await stepShown(page, 3);
  await tabTo(page, '#ctl-clients-load_rps');
  await page.keyboard.press('Home');
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await checkReached(page);
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => /lesson=capacity&step=1/.test(location.hash), null, { timeout: 10_000 });
  await stepShown(page, 1);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a step compares two runs side by side on shared axes, readable from the back of the room', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=1&speed=20&lesson=breaking-the-loop&step=1',
    { viewport: { width: 1920, height: 1080 } });
  await stepShown(page, 1);
  assert.deepEqual(await page.locator('.lesson-side .side-label').allTextContents(), ['retry quota', 'no admission']);
  // A step that watches after a prediction plays from the prediction's own button, not a second one.
  assert.equal(await page.locator('#lesson-watch').count(), 0);
  // What each side is to show would give the answer away: it shows once the answer is in.
  assert.equal(await page.locator('.side-goal').count(), 0);
  await page.click('.choice >> text=Recover');
  await page.click('#lesson-answer');
  await checkReached(page);
  // The variant's own check (it stays Metastable) is reached too, and each side says what it shows.
  await page.locator('.lesson-side:nth-child(2) .side-goal.done').waitFor({ timeout: LONG_MS });
  assert.match(await page.locator('.lesson-side:nth-child(2) .side-goal').textContent(), /^Shown at t = \d+ s: the banner shows Metastable/);
  assert.match(await page.locator('#lesson-goal').textContent(), /^Goal \(retry quota\): the banner shows Healthy/);
  const states = await page.locator('.side-banner .banner .state').allTextContents();
  assert.deepEqual(states, ['Healthy', 'Metastable']);
  // Shared axes: each chart's top tick is the same on both sides.
  const tops = await page.locator('.lesson-side').evaluateAll((sides) => sides.map((side) =>
    [...side.querySelectorAll('.chart')].map((c) => [...c.querySelectorAll('.tick:not(.time) text')].at(-1)?.textContent)));
  assert.ok(tops[0].length > 0 && tops[0].every((t) => /^\d/.test(t ?? '')), `top ticks ${JSON.stringify(tops)}`);
  assert.deepEqual(tops[0], tops[1]);
  assert.ok(await smallestText(page, '.lesson-text p.step-text') >= 24, 'body text ≥ 24 px at 1920');
  assert.ok(await smallestText(page, '.lesson .chart text') >= 18, 'chart text ≥ 18 px at 1920');
  await shot(page, 'lesson-side-by-side-1920x1080');
  // The projector theme: high contrast, the banners still on screen.
  await page.keyboard.press('p');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.contrast), 'high');
  await page.locator('#lesson-projector[aria-pressed="true"]').waitFor({ timeout: 5_000 });
  await shot(page, 'lesson-projector-1920x1080');
  await page.setViewportSize({ width: 1280, height: 720 });
  assert.ok(await smallestTextAfterResize(page, '.lesson .chart text', 12) >= 12, 'chart text ≥ 12 px at 1280');
  const banner = await page.locator('.lesson-banners').boundingBox();
  assert.ok(banner.y >= 0 && banner.y + banner.height <= 720, 'the banners are in view');
  await shot(page, 'lesson-side-by-side-1280x720');
  // 1280 × 720 at 150 % zoom: 853 × 480 CSS pixels. Nothing scrolls sideways, the banners stay in
  // view, and chart text stays at least 11.5 CSS pixels (17 on the screen).
  await page.setViewportSize({ width: 853, height: 480 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 853, 'no sideways scrolling at 150 %');
  const zoomed = await page.locator('.lesson-banners').boundingBox();
  assert.ok(zoomed.y >= 0 && zoomed.y + zoomed.height <= 480, 'the banners are in view at 150 %');
  assert.ok(await smallestTextAfterResize(page, '.lesson .chart text', 11.5) >= 11.5, 'chart text ≥ 11.5 CSS px at 150 %');
  await page.locator('.lesson .chart').first().scrollIntoViewIfNeeded();
  const inView = await page.locator('.lesson-banners').boundingBox();
  assert.ok(inView.y >= 0 && inView.y + inView.height <= 480, 'the banners stay in view while the charts are read');
  await shot(page, 'lesson-side-by-side-150-percent');
  // On a phone the sides stack, each still named as the step's words name it; a touch goes on to the
  // next step, as → does.
  await page.setViewportSize({ width: 360, height: 800 });
  const named = await page.locator('.lesson-side .side-label').evaluateAll((labels) =>
    labels.map((l) => getComputedStyle(l, '::before').content));
  assert.deepEqual(named, ['"Left: "', '"Right: "']);
  await page.locator('#lesson-next').click({ timeout: 5_000 });
  await stepShown(page, 2);
  // The new step's heading comes into view below the banners, however far down the touch was.
  await page.waitForFunction(() => document.activeElement?.id === 'lesson-step', null, { timeout: 5_000 });
  const [heading, banners] = await Promise.all(['#lesson-step', '.lesson-banners'].map((s) => page.locator(s).boundingBox()));
  assert.ok(heading.y >= banners.y + banners.height - 1 && heading.y + heading.height <= 800, `${JSON.stringify({ heading, banners })}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the list of lessons opens each one, and a bad lesson link says so', async () => {
  const { page, errors } = await open(ctx.browser, ctx.url + '#v=1&preset=healthy');
  // Space plays and pauses the playground too.
  await page.locator('#play[aria-label="Pause"]').waitFor({ timeout: 5_000 });
  await page.keyboard.press('Space');
  await page.locator('#play[aria-label="Play"]').waitFor({ timeout: 5_000 });
  await page.click('.lessons-link');
  await page.locator('.lesson-index li').first().waitFor({ timeout: 10_000 });
  assert.equal(await page.locator('.lesson-index li').count(), 7);
  await page.click('.lesson-index li >> nth=3 >> a');
  await stepShown(page, 1);
  assert.match(await page.locator('.lesson-title').textContent(), /cache/);
  await page.goto(ctx.url + '#v=1&lesson=retry-storm&step=9');
  await stepShown(page, 1);
  const notices = page.locator('.notices li');
  assert.match(await notices.first().textContent({ timeout: 5_000 }), /step="9": .* has steps 1 to \d+; showing step 1/);
  await page.goto(ctx.url + '#v=1&lesson=nope');
  await page.locator('.lesson-index li').first().waitFor({ timeout: 10_000 });
  assert.match(await notices.first().textContent({ timeout: 5_000 }), /"nope": no such lesson; showing the list of lessons/);
  assert.deepEqual(errors, []);
  await page.close();
});
