// Browser benchmark (run by hand, figures go in the README): transfer size, time to first chart,
// and frame-time percentiles while simulating 10 000 req/s at 1× with every chart visible.
//   node e2e/bench.mjs [seconds]
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, slide, start, stop } from './tests/helpers.mjs';

const seconds = Number(process.argv[2] ?? 15);
const ctx = await start();

// What the playground page loads (the example article's files are not part of it).
let transfer = 0;
for (const name of ['index.html', 'style.css', 'boot.js', 'playground.js', 'playground_bg.wasm']) {
  transfer += gzipSync(await readFile(join(DIST, name)), { level: 9 }).length;
}

const page = await ctx.browser.newPage({ viewport: { width: 1600, height: 1000 } });
// Time from navigation start to the first chart line in the DOM, recorded by the page itself.
await page.addInitScript(() => {
  const seen = new MutationObserver(() => {
    if (window.firstChartMs === undefined && document.querySelector('.chart path')) window.firstChartMs = performance.now();
  });
  document.addEventListener('DOMContentLoaded', () => seen.observe(document.body, { childList: true, subtree: true }));
});
// Main-thread work per animation frame: from the start of each requestAnimationFrame callback to the
// end of the microtasks it queued (where Yew renders), measured with a message-channel task.
await page.addInitScript(() => {
  window.frameWork = [];
  const original = window.requestAnimationFrame.bind(window);
  const channel = new MessageChannel();
  let started = 0;
  channel.port1.onmessage = () => { if (window.measureWork) window.frameWork.push(performance.now() - started); };
  window.requestAnimationFrame = (callback) => original((t) => {
    started = performance.now();
    callback(t);
    channel.port2.postMessage(0);
  });
});
await page.goto(ctx.url, { waitUntil: 'commit', timeout: 20_000 });
await page.waitForFunction(() => window.firstChartMs !== undefined, null, { timeout: 20_000 });
const firstChartMs = await page.evaluate(() => window.firstChartMs);

await page.selectOption('#preset', 'healthy');
await slide(page, 'ctl-backend-workers', 40);
await slide(page, 'ctl-clients-load_rps', 10000);
await page.waitForTimeout(3000);
await page.evaluate(() => { window.frameWork = []; window.measureWork = true; });
const frames = await page.evaluate((ms) => new Promise((done) => {
  const gaps = [];
  let last = performance.now();
  const end = last + ms;
  const tick = (t) => {
    gaps.push(t - last);
    last = t;
    if (t < end) requestAnimationFrame(tick); else done(gaps);
  };
  requestAnimationFrame(tick);
}), seconds * 1000);
const work = (await page.evaluate(() => window.frameWork)).sort((a, b) => a - b);
const workPct = (p) => +work[Math.min(work.length - 1, Math.floor(p * work.length))].toFixed(2);
const offered = await page.locator('.chart svg[aria-label^="Throughput"]').getAttribute('aria-label');
frames.sort((a, b) => a - b);
const pct = (p) => frames[Math.min(frames.length - 1, Math.floor(p * frames.length))];
console.log(JSON.stringify({
  transfer_gzip_bytes: transfer,
  first_chart_ms: Math.round(firstChartMs),
  frames: frames.length,
  frame_p50_ms: +pct(0.5).toFixed(2),
  frame_p95_ms: +pct(0.95).toFixed(2),
  frame_p99_ms: +pct(0.99).toFixed(2),
  frame_max_ms: +frames[frames.length - 1].toFixed(2),
  frames_over_20_ms: frames.filter((f) => f > 20).length,
  work_per_frame_p50_ms: workPct(0.5),
  work_per_frame_p95_ms: workPct(0.95),
  work_per_frame_max_ms: workPct(1),
  throughput: offered,
}));
await stop(ctx);
