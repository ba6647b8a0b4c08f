import { expect, test } from '@playwright/test';
import { createDashboard, inkedPixels, panel, write } from './helpers';

const DEMO_SIGNALS = ['demo.temperature', 'demo.vibration', 'demo.pressure', 'demo.humidity', 'demo.power'];

test('every demo signal gets a panel with a drawn chart', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (msg) => msg.type() === 'error' && errors.push(msg.text()));
  page.on('pageerror', (err) => errors.push(err.message));

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'sensorboard' })).toBeVisible();
  for (const name of DEMO_SIGNALS) {
    const chart = panel(page, name).getByRole('img');
    await expect(chart).toBeVisible();
    await expect.poll(() => inkedPixels(chart), { message: `${name} chart has ink` }).toBeGreaterThan(2_000);
    await expect(panel(page, name).getByLabel('last value')).not.toHaveText('–');
  }
  await expect(page.getByRole('status')).toContainText('live');
  await page.screenshot({ path: 'test-results/dashboard.png', fullPage: true });
  expect(errors, errors.join('\n')).toEqual([]);
});

test('a point written over HTTP shows up after a refresh', async ({ page }) => {
  const now = Date.now();
  await write(page, [
    { series: 'e2e.probe', unit: 'V', t: now - 60_000, v: 1 },
    { series: 'e2e.probe', t: now - 30_000, v: 2 },
    { series: 'e2e.probe', t: now - 1_000, v: 3 },
  ]);
  const id = await createDashboard(page, { title: 'Probe', panels: [{ title: 'e2e.probe', series: ['e2e.probe'] }] });
  await page.goto(`/?d=${id}`);
  const last = panel(page, 'e2e.probe').getByLabel('last value');
  await expect(last).toHaveText('3 V');
  await expect.poll(() => inkedPixels(panel(page, 'e2e.probe').getByRole('img'))).toBeGreaterThan(1_000);

  await write(page, [{ series: 'e2e.probe', t: Date.now(), v: 42.5 }]);
  // The dashboard refreshes every 5 s with one batch request.
  await expect(last).toHaveText('42.5 V', { timeout: 12_000 });
  await expect(panel(page, 'e2e.probe')).toContainText('max 42.5 V');
});

test('the time range lives in the URL', async ({ page }) => {
  await page.goto('/');
  const picker = page.getByRole('navigation', { name: 'Time range' });
  await expect(picker.getByRole('link', { name: '1h' })).toHaveAttribute('aria-current', 'page');
  await expect(picker.getByRole('link', { name: '6h' })).not.toHaveAttribute('aria-current', 'page');

  const batch = page.waitForRequest((req) => req.url().endsWith('/api/v1/query/batch') && req.postData()?.includes('now-15m') === true);
  await picker.getByRole('link', { name: '15m' }).click();
  await expect(page).toHaveURL(/\?range=15m$/);
  await expect(picker.getByRole('link', { name: '15m' })).toHaveAttribute('aria-current', 'page');
  await expect(picker.getByRole('link', { name: '1h' })).not.toHaveAttribute('aria-current', 'page');
  await batch;

  await page.goBack();
  await expect(picker.getByRole('link', { name: '1h' })).toHaveAttribute('aria-current', 'page');
});

test('unknown pages say so with a 404', async ({ page }) => {
  const res = await page.goto('/no/such/page');
  expect(res?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});

test('the refresh interval lives in the URL next to the range, and off means no polling', async ({ page }) => {
  await page.goto('/?range=6h');
  const refresh = page.getByRole('navigation', { name: 'Refresh interval' });
  const range = page.getByRole('navigation', { name: 'Time range' });
  await expect(refresh.getByRole('link', { name: '5s' })).toHaveAttribute('aria-current', 'page');

  await refresh.getByRole('link', { name: '30s' }).click();
  await expect(page).toHaveURL(/\?range=6h&refresh=30s$/);
  await expect(refresh.getByRole('link', { name: '30s' })).toHaveAttribute('aria-current', 'page');
  await range.getByRole('link', { name: '1h' }).click();
  await expect(page).toHaveURL(/\?range=1h&refresh=30s$/, { timeout: 5_000 });

  await refresh.getByRole('link', { name: 'off' }).click();
  await expect(page).toHaveURL(/\?range=1h&refresh=off$/);
  // Loaded once, not live.
  await expect(page.getByRole('status')).toContainText(/^updated \d\d:\d\d:\d\d · refresh off$/);
  let polls = 0;
  page.on('request', (req) => req.url().endsWith('/api/v1/query/batch') && polls++);
  await page.waitForTimeout(7_000);
  expect(polls, 'no request while refresh is off').toBe(0);
});

test('a hidden tab sends no requests and refreshes at once when it shows again', async ({ page }) => {
  await page.goto('/?refresh=1m');
  await expect(page.getByRole('status')).toContainText('live');
  const setHidden = (hidden: boolean) =>
    page.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);

  // With a 1-minute interval the next regular poll is far off, so a
  // request soon after the tab shows again is the immediate refresh.
  await setHidden(true);
  let polls = 0;
  page.on('request', (req) => req.url().endsWith('/api/v1/query/batch') && polls++);
  await page.waitForTimeout(2_000);
  expect(polls, 'no request while hidden').toBe(0);
  const refreshed = page.waitForRequest((req) => req.url().endsWith('/api/v1/query/batch'), { timeout: 3_000 });
  await setHidden(false);
  await refreshed;
});
