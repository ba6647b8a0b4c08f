import { expect, test } from '@playwright/test';
import { createDashboard, panel } from './helpers';

const BATCH = '/api/v1/query/batch';

test('a failing server turns the status to reconnecting with its message, retries back off, and it clears itself', async ({ page }) => {
  await page.goto('/?range=15m&refresh=200ms');
  const status = page.getByRole('status');
  await expect(status).toContainText('live');

  const failedAt: number[] = [];
  await page.route(`**${BATCH}`, (route) => {
    failedAt.push(Date.now());
    return route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ error: 'unavailable', message: 'the database is busy; retry shortly' }),
    });
  });
  await expect(status).toContainText('reconnecting');
  await expect(status).toContainText('the database is busy; retry shortly');
  await expect(status).toHaveClass(/status-error/);
  await expect.poll(() => failedAt.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(3);

  // 200 ms polls while healthy; after failures the waits double (1 s, 2 s, ...).
  const first = failedAt[1] - failedAt[0];
  const second = failedAt[2] - failedAt[1];
  expect(first, 'first retry after about a second').toBeGreaterThan(800);
  expect(second, 'the next wait is about twice as long').toBeGreaterThan(1.6 * first);

  await page.unroute(`**${BATCH}`);
  await expect(status).toContainText('live', { timeout: 15_000 });
  await expect(status).not.toHaveClass(/status-error/);
});

test('a panel whose query fails shows the server\'s message in place of its chart', async ({ page }) => {
  const id = await createDashboard(page, {
    title: 'Missing',
    panels: [{ title: 'Nothing here', series: ['e2e.never.written'] }],
  });
  await page.goto(`/?d=${id}&range=1h&refresh=off`);
  const alert = panel(page, 'Nothing here').getByRole('alert');
  await expect(alert).toContainText('e2e.never.written');
  // The batch itself succeeded: loaded, with refresh off.
  await expect(page.getByRole('status')).toContainText('refresh off');
});
