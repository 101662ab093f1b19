import { open, start, stop, until } from './tests/helpers.mjs';
const ctx = await start();
const shots = [];
{
  const { page } = await open(ctx.browser, ctx.url + '#v=2&lesson=breaking-the-loop&step=5', { viewport: { width: 1280, height: 720 } });
  await page.waitForTimeout(8000);
  await page.screenshot({ path: '/tmp/shot-lesson-1280.png' });
  await page.close();
}
{
  const { page } = await open(ctx.browser, ctx.url + '#v=2&preset=layered-retries', { viewport: { width: 1440, height: 900 } });
  await page.selectOption('#chart-tier', '2').catch((e) => console.log('no chart tier select', e.message));
  await until(page, 40, 60000);
  const el = page.locator('.chart.xy').first();
  await el.scrollIntoViewIfNeeded({ timeout: 5000 });
  await el.screenshot({ path: '/tmp/shot-ss-tier3.png' });
  await page.close();
}
await stop(ctx);
