import { expect, test, type Page } from '@playwright/test';
import { createDashboard, inkedPixels, panel, write } from './helpers';

const BATCH = '/api/v1/query/batch';

/** A dashboard of one series with a minute of points that never change. */
async function stillDashboard(page: Page): Promise<{ id: number; from: number; to: number }> {
  const t0 = Date.now() - 3_600_000;
  const points = Array.from({ length: 60 }, (_, i) => ({ series: 'e2e.still', unit: 'bar', t: t0 + i * 1_000, v: (i % 7) + 1 }));
  await write(page, points);
  const id = await createDashboard(page, { title: 'Still', panels: [{ title: 'Still', series: ['e2e.still'] }] });
  return { id, from: t0 - 60_000, to: t0 + 120_000 };
}

test('polls of unchanged data are 304s with no body, one request per tick, never two in flight', async ({ page }) => {
  const { id, from, to } = await stillDashboard(page);
  const statuses: number[] = [];
  // A 304 finishes like any answer, not as a cancelled request in DevTools.
  const failed: string[] = [];
  page.on('requestfailed', (req) => req.url().endsWith(BATCH) && failed.push(req.failure()?.errorText ?? '?'));
  let inFlight = 0;
  let maxInFlight = 0;
  page.on('request', (req) => {
    if (!req.url().endsWith(BATCH)) return;
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
  });
  page.on('response', (res) => {
    if (!res.url().endsWith(BATCH)) return;
    inFlight--;
    statuses.push(res.status());
    if (res.status() === 304) expect(res.headers()['content-length'] ?? '0').toBe('0');
  });

  await page.goto(`/?d=${id}&range=15m&from=${from}&to=${to}&refresh=200ms`);
  await expect.poll(() => inkedPixels(panel(page, 'Still').getByRole('img'))).toBeGreaterThan(500);
  await expect.poll(() => statuses.filter((s) => s === 304).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(5);
  expect(statuses.filter((s) => s !== 200 && s !== 304), statuses.join(',')).toEqual([]);
  expect(maxInFlight, 'never two batch requests at once').toBe(1);
  expect(failed, 'no poll ends as a failed request').toEqual([]);

  // One request per tick: about 5 per second at 200 ms, not a storm.
  const before = statuses.length;
  await page.waitForTimeout(2_000);
  const perTwoSeconds = statuses.length - before;
  expect(perTwoSeconds).toBeGreaterThanOrEqual(3);
  expect(perTwoSeconds).toBeLessThanOrEqual(11);
});

test('answers seen before are drawn at once from the cache while the fresh ones load', async ({ page }) => {
  const { id } = await stillDashboard(page);
  // Another dashboard with the same panel (series, range and width).
  const shared = await createDashboard(page, {
    title: 'Shared',
    panels: [{ title: 'Still again', series: ['e2e.still'] }, { title: 'Power', series: ['demo.power'] }],
  });
  await page.goto(`/?d=${id}&range=6h&refresh=off`);
  await expect.poll(() => inkedPixels(panel(page, 'Still').getByRole('img'))).toBeGreaterThan(500);

  // From now on every batch answer takes 4 s to arrive.
  await page.route(`**${BATCH}`, async (route) => {
    await new Promise((r) => setTimeout(r, 4_000));
    await route.continue();
  });
  const dashboards = page.getByRole('combobox', { name: 'Dashboard' });
  let start = Date.now();
  await dashboards.selectOption(String(shared));
  await expect(page).toHaveURL(new RegExp(`d=${shared}`));
  await expect.poll(() => inkedPixels(panel(page, 'Still again').getByRole('img')), { timeout: 2_500 }).toBeGreaterThan(500);
  expect(Date.now() - start, 'a shared panel is drawn from the cache').toBeLessThan(3_000);

  start = Date.now();
  await dashboards.selectOption(String(id));
  await expect(page).toHaveURL(new RegExp(`d=${id}`));
  await expect.poll(() => inkedPixels(panel(page, 'Still').getByRole('img')), { timeout: 2_500 }).toBeGreaterThan(500);
  expect(Date.now() - start, 'drawn from the cache, before the delayed answer').toBeLessThan(3_000);
});

test('500 refresh ticks leave the JS heap and the DOM where they were', async ({ page }) => {
  test.setTimeout(240_000);
  let ticks = 0;
  page.on('response', (res) => res.url().endsWith(BATCH) && ticks++);
  await page.goto('/?range=15m&refresh=100ms');
  await expect(page.getByRole('status')).toContainText('live');
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = await cdp.send('Runtime.getHeapUsage');
    const dom = await cdp.send('Memory.getDOMCounters');
    return { heap: heap.usedSize, nodes: dom.nodes, listeners: dom.jsEventListeners };
  };
  await expect.poll(() => ticks, { timeout: 60_000 }).toBeGreaterThanOrEqual(50);
  const warm = await measure();
  await expect.poll(() => ticks, { timeout: 200_000, intervals: [1_000] }).toBeGreaterThanOrEqual(550);
  const after = await measure();
  console.log(`heap after 50 ticks ${warm.heap} B, after 550 ticks ${after.heap} B; DOM nodes ${warm.nodes} -> ${after.nodes}; listeners ${warm.listeners} -> ${after.listeners}`);
  expect(after.heap - warm.heap, 'JS heap growth over 500 ticks').toBeLessThan(2 * 1024 * 1024);
  expect(after.nodes - warm.nodes).toBeLessThan(200);
  expect(after.listeners - warm.listeners).toBeLessThanOrEqual(5);
});
