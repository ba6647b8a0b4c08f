import { chromium, expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inkedPixels, panel } from './helpers';

test.use({ serviceWorkers: 'allow' });

test('the app is installable: a manifest with icons and a service worker', async ({ page, baseURL }, testInfo) => {
  const manifest = await (await page.request.get('/manifest.webmanifest')).json();
  expect(manifest).toMatchObject({ id: '/', start_url: '/', scope: '/', display: 'standalone' });
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/);
  expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/);
  const icons = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`);
  expect(icons).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
  for (const icon of manifest.icons) {
    const res = await page.request.get(icon.src);
    expect(res.headers()['content-type'], icon.src).toBe('image/png');
  }

  // Chromium never offers to install from an incognito-like context, which
  // a plain Playwright context is: ask a browser with a profile of its own.
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sensorboard-pwa-'));
  const browser = await chromium.launchPersistentContext(profile, {
    ...testInfo.project.use.launchOptions,
    baseURL,
    serviceWorkers: 'allow',
  });
  try {
    const installed = await browser.newPage();
    await installed.goto('/');
    await installed.evaluate(() => navigator.serviceWorker.ready);
    const cdp = await browser.newCDPSession(installed);
    await expect
      .poll(async () => (await cdp.send('Page.getInstallabilityErrors')).installabilityErrors, { timeout: 10_000 })
      .toEqual([]);
  } finally {
    await browser.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
});

test('offline, the app opens with its last data and says how old it is; back online it goes live', async ({ page, context }) => {
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  const url = '/?range=1h&refresh=500ms';
  await page.goto(url);
  await page.evaluate(() => navigator.serviceWorker.ready);
  // A page is controlled by the worker from its next load on.
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const chart = panel(page, 'demo.power').getByRole('img');
  await expect.poll(() => inkedPixels(chart)).toBeGreaterThan(2_000);
  await expect(page.getByRole('status')).toContainText('live');
  // Polls pass through the worker, which keeps the last answer.
  await page.waitForTimeout(1_500);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'demo.power' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText(/offline — data from \d\d:\d\d/);
  await expect.poll(() => inkedPixels(chart)).toBeGreaterThan(2_000);

  // Writes are never answered from the cache.
  const write = await page.evaluate(() =>
    fetch('/api/v1/write', { method: 'POST', body: '{"points":[]}' }).then(
      (r) => `answered ${r.status}`,
      () => 'failed',
    ),
  );
  expect(write).toBe('failed');

  await context.setOffline(false);
  await expect(page.getByRole('status')).toContainText('live', { timeout: 10_000 });
});
