import { expect, test } from '@playwright/test';
import { inkedPixels } from './helpers';

test('the explorer searches once per pause in typing and is keyboard navigable', async ({ page }) => {
  await page.goto('/explore');
  const list = page.getByRole('list', { name: 'Series' });
  await expect(list.getByRole('link')).not.toHaveCount(0);
  let searches = 0;
  page.on('request', (req) => req.url().endsWith('/rpc/series') && searches++);

  // Typing starts once the page is live (the box is disabled until then).
  await expect(page.getByLabel('Search series')).toBeEnabled();
  await page.getByLabel('Search series').pressSequentially('temp', { delay: 40 });
  await expect(page).toHaveURL(/q=temp/);
  await expect(list.getByRole('link')).toHaveCount(1);
  await expect(list).toContainText('demo.temperature');
  await expect(list).toContainText('°C');
  await expect(list.locator('svg polyline')).toHaveAttribute('points', /\d+\.\d,\d+\.\d .+/);
  expect(searches, 'one search for four keystrokes').toBe(1);

  // Nothing is charted yet, so nothing is connecting.
  await expect(page.getByRole('status')).toHaveText('');

  await page.getByLabel('Search series').fill('demo');
  await expect(list.getByRole('link')).toHaveCount(5);
  // From the search box, ArrowDown goes into the list.
  await page.getByLabel('Search series').press('ArrowDown');
  await expect(list.getByRole('link').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(list.getByRole('link').nth(1)).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(list.getByRole('link').nth(2)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/series=demo\.pressure/);
  const detail = page.getByRole('region', { name: 'Chosen series' });
  await expect.poll(() => inkedPixels(detail.getByRole('img'))).toBeGreaterThan(2_000);
  // Beside the list, in the rest of the width.
  const [chart, rows] = [(await detail.boundingBox())!, (await list.boundingBox())!];
  expect(chart.x).toBeGreaterThanOrEqual(rows.x + rows.width);
  expect(chart.width).toBeGreaterThan(1280 - rows.x - rows.width - 100);
  await expect(page.getByRole('status')).toContainText('live');
  // Choosing keeps the search and its list.
  await expect(page).toHaveURL(/q=demo/);
  await expect(page.getByLabel('Search series')).toHaveValue('demo');
  await expect(list.getByRole('link')).toHaveCount(5);

  await detail.getByRole('link', { name: 'Add to dashboard' }).click();
  await expect(page).toHaveURL(/\/d\/\d+\/edit\?add=demo\.pressure&unit=bar$/);
  const panels = page.getByRole('group', { name: /^Panel \d+$/ });
  // The new panel comes first, in view, titled and with the series' unit.
  const added = panels.first();
  await expect(added.getByRole('group', { name: /^Series of panel/ })).toHaveText(/demo\.pressure/);
  await expect(added.getByLabel('Panel title')).toHaveValue('demo.pressure');
  await expect(added.getByLabel('Unit')).toHaveValue('bar');
  await expect(added).toBeInViewport();
});
