import { expect, test } from '@playwright/test';
import { inkedPixels, panel } from './helpers';

test('the System page charts the server\'s own figures and lists its slowest queries', async ({ page }) => {
  await page.goto('/?range=1h');
  await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'System' }).click();
  await expect(page).toHaveURL(/\/system/);
  for (const title of ['Request latency', 'Requests', 'Ingest rate', 'Query cache hit rate', 'Server memory', 'Database size']) {
    await expect(panel(page, title)).toBeVisible();
  }
  // The server records its figures every 10 s; this page polls every 5 s.
  await expect
    .poll(() => inkedPixels(panel(page, 'Server memory').getByRole('img')), { timeout: 40_000, intervals: [2_000] })
    .toBeGreaterThan(500);
  await expect(panel(page, 'Ingest rate')).toContainText('points/s');
  await expect(panel(page, 'Request latency').getByRole('table', { name: 'Legend' })).toContainText('quantile="p99"');

  const slow = page.getByRole('table');
  await expect(slow.getByRole('columnheader', { name: 'Took' })).toBeVisible();
  await expect(slow.getByRole('row').nth(1)).toContainText(/\d+(\.\d+)? ms/);
});
