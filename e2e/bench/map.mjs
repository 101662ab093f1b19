// Benchmark: a 20 × 20 stability map of retry-storm (load × spike size, one seed a cell, each a
// 120 s run) drawn in headless Chromium from the release bundle in dist/; PRESET, MAP_X and MAP_Y
// choose another. Prints one JSON line:
// the wall time, the workers' own time on the runs, the share of events spent on fresh-run
// checks, and the time the page's main thread was busy in long tasks (drawing and messages).
import { open, start, stop } from '../tests/helpers.mjs';

const X = process.env.MAP_X ?? 'clients.load_rps=300..1200:20';
const Y = process.env.MAP_Y ?? 'triggers[0].magnitude=1..3:20';
const PRESET = process.env.PRESET ?? 'retry-storm';
const ctx = await start();
try {
  const { page, errors } = await open(ctx.browser, `${ctx.url}#v=1&preset=${PRESET}`);
  // The live run is paused, so the workers have the cores to themselves (LIVE=1 keeps it playing).
  if (!process.env.LIVE && await page.locator('#play').getAttribute('aria-label') === 'Pause') await page.click('#play');
  await page.evaluate(() => {
    window.longTaskMs = 0;
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.longTaskMs += e.duration; })
      .observe({ type: 'longtask', buffered: false });
  });
  const fill = async (id, text) => {
    const [target, rest] = [text.slice(0, text.indexOf('=')), text.slice(text.indexOf('=') + 1)];
    const [range, steps] = rest.split(':');
    const [from, to] = range.split('..');
    await page.selectOption(`#${id}`, target);
    await page.fill(`#${id}-from`, from);
    await page.fill(`#${id}-to`, to);
    await page.fill(`#${id}-steps`, steps);
  };
  await fill('map-x', X);
  await fill('map-y', Y);
  await page.fill('#map-seeds', '1');
  const started = Date.now();
  await page.click('#map-start');
  await page.locator('.map-progress[data-finished="true"]').waitFor({ timeout: 600_000 });
  const wall_s = (Date.now() - started) / 1000;
  const data = await page.locator('.map-progress').evaluate((e) => ({ ...e.dataset }));
  const longTaskMs = await page.evaluate(() => window.longTaskMs);
  const events = Number(data.events), fresh = Number(data.freshEvents);
  console.log(JSON.stringify({
    map: `${PRESET}: ${X} × ${Y}`,
    runs: Number(data.total),
    workers: Number(data.workers),
    live_run_playing: Boolean(process.env.LIVE),
    wall_s,
    worker_s: Number(data.workerMs) / 1000,
    worker_s_per_worker: Number(data.workerMs) / 1000 / Number(data.workers),
    fresh_share_of_events: fresh / (events + fresh),
    main_thread_long_tasks_s: longTaskMs / 1000,
    errors,
  }));
} finally {
  await stop(ctx);
}
