// Shared browser-test helpers: start the server and Chromium, read numbers off the page.
import { chromium } from 'playwright-core';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '../serve.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = resolve(here, '../../dist');
export const OUTPUT = resolve(here, '../../test-output');
export const WAIT_MS = 20_000;

export async function start() {
  const { server, url } = await serve(DIST);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  await mkdir(OUTPUT, { recursive: true });
  return { server, url, browser };
}

export async function stop({ server, browser }) {
  await browser.close();
  await new Promise((done) => server.close(done));
}

/** Opens the app; collects console errors and page errors into the returned list. */
export async function open(browser, url, options = {}) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, ...options });
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.setDefaultTimeout(WAIT_MS);
  await page.goto(url, { waitUntil: 'load', timeout: WAIT_MS });
  await page.locator('.chart').first().waitFor({ timeout: WAIT_MS });
  return { page, errors };
}

export const shot = (page, name) => page.screenshot({ path: join(OUTPUT, `${name}.png`), fullPage: false });

/** Waits for `count` animation frames of `target` (a page or frame): the app has had that many
 * chances to draw and advance, however slow the machine. Used to show that something does not
 * happen, where a fixed sleep would depend on the wall clock. */
export async function frames(target, count) {
  await target.evaluate((n) => new Promise((done) => {
    let left = n;
    const tick = () => { left -= 1; if (left <= 0) done(); else requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  }), count);
}

/** Simulated time shown on the clock, in seconds. */
export async function clock(page) {
  const text = await page.locator('.clock').textContent();
  return Number(/t = ([\d.]+) s/.exec(text)[1]);
}

/** Latest value of a series as read from a chart's accessible summary. */
export async function latest(page, chartTitle, series) {
  const label = await page.locator(`.chart svg[aria-label^="${chartTitle}"]`).getAttribute('aria-label');
  const match = new RegExp(`${series} ([\\d.]+k?|none)`).exec(label);
  if (!match || match[1] === 'none') return null;
  return match[1].endsWith('k') ? Number(match[1].slice(0, -1)) * 1000 : Number(match[1]);
}

export const banner = (page) => page.locator('.banner .state').textContent();

/** Waits until simulated time passes `seconds`. */
export async function until(page, seconds, timeout = WAIT_MS) {
  await page.waitForFunction((s) => {
    const m = /t = ([\d.]+) s/.exec(document.querySelector('.clock')?.textContent ?? '');
    return m && Number(m[1]) >= s;
  }, seconds, { timeout });
}

/** Pauses if playing, steps one window and waits until the engine has arrived there (paused, at
 * the play head); returns the simulated time reached, in seconds. */
export async function step(page) {
  const before = Number(await page.locator('.clock').getAttribute('data-t'));
  await page.click('#step');
  await page.waitForFunction((t) => {
    const c = document.querySelector('.clock');
    return c?.dataset.atRest === 'true' && Number(c.dataset.t) > t;
  }, before, { timeout: WAIT_MS });
  return Number(await page.locator('.clock').getAttribute('data-t'));
}

/** Sets a range input to `value` as a user would: moves it (input event) and lets go (change). */
export async function slide(page, id, value) {
  await page.locator(`#${id}`).evaluate((input, v) => {
    input.value = String(v);
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

/** Clicks `selector` and returns the downloaded file's name and bytes. */
export async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 10_000 }), page.click(selector)]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}
