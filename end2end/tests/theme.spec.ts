import { expect, test, type Locator } from '@playwright/test';
import { inkedPixels, panel } from './helpers';

async function backgroundOf(canvas: Locator): Promise<number[]> {
  return canvas.evaluate((el: HTMLCanvasElement) => Array.from(el.getContext('2d')!.getImageData(1, 1, 1, 1).data.slice(0, 3)));
}

test('the theme follows the system, and the toggle switches it, charts included, across reloads', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  const chart = panel(page, 'demo.temperature').getByRole('img');
  await expect.poll(() => inkedPixels(chart)).toBeGreaterThan(2_000);
  expect(await backgroundOf(chart)).toEqual([255, 255, 255]);
  await page.screenshot({ path: 'test-results/dashboard-light.png', fullPage: true });

  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => backgroundOf(chart)).toEqual([24, 27, 33]);
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(15, 17, 21)');

  await page.reload();
  await expect(page.getByRole('button', { name: 'Light theme' })).toBeVisible();
  await expect.poll(() => backgroundOf(panel(page, 'demo.temperature').getByRole('img'))).toEqual([24, 27, 33]);
  await page.screenshot({ path: 'test-results/dashboard-dark.png', fullPage: true });

  await page.getByRole('button', { name: 'Light theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect.poll(() => backgroundOf(panel(page, 'demo.temperature').getByRole('img'))).toEqual([255, 255, 255]);
});

test('a long range draws its newest part first, then the whole window', async ({ page }) => {
  // The whole week's answer is held back 3 s; the newest eighth (21 h) is not.
  const isWhole = (body: string | null) => !(body ?? '').includes('"from":"now-21h"');
  await page.route('**/api/v1/query/batch', async (route) => {
    if (isWhole(route.request().postData())) await new Promise((r) => setTimeout(r, 3_000));
    await route.continue();
  });
  const whole = page.waitForResponse((res) => res.url().endsWith('/api/v1/query/batch') && isWhole(res.request().postData()));
  const start = Date.now();
  await page.goto('/?range=7d&refresh=off');
  const chart = panel(page, 'demo.power').getByRole('img');
  await expect.poll(() => inkedPixels(chart), { timeout: 2_500 }).toBeGreaterThan(500);
  expect(Date.now() - start, 'the newest part drew before the whole window came').toBeLessThan(3_000);
  await whole;
  await expect(panel(page, 'demo.power')).toContainText(/\d+ points/);
});
