import { expect, test, type Page } from '@playwright/test';
import { inkedPixels, panel, signIn } from './helpers';

// A 390 × 844 phone at two device pixels per CSS pixel, with touch.
test.use({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true });

/** How far the page reaches past the screen's right edge, and what does. */
async function overflow(page: Page): Promise<{ px: number; culprits: string[] }> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
      .slice(0, 8);
    return { px: document.documentElement.scrollWidth - width, culprits };
  });
}

for (const path of ['/', '/explore?series=demo.power', '/system', '/new']) {
  test(`${path} fits the phone's width`, async ({ page }) => {
    if (path === '/new') await signIn(page, '/');
    await page.goto(path);
    if (path === '/new') {
      await page.getByRole('button', { name: 'Add panel' }).click();
      await expect(page.getByRole('group', { name: 'Panel 1', exact: true })).toBeVisible();
    } else {
      await expect.poll(() => inkedPixels(page.getByRole('img').first())).toBeGreaterThan(1_000);
    }
    const { px, culprits } = await overflow(page);
    expect(px, culprits.join(', ')).toBeLessThanOrEqual(0);
  });
}

test('on Explore the chosen chart shows above the list', async ({ page }) => {
  await page.goto('/explore');
  const list = page.getByRole('list', { name: 'Series' });
  await list.getByRole('link', { name: /demo\.power/ }).tap();
  const chosen = page.getByRole('region', { name: 'Chosen series' });
  await expect(chosen).toBeVisible();
  const [chart, rows] = [(await chosen.boundingBox())!, (await list.boundingBox())!];
  expect(chart.y).toBeLessThan(rows.y);
  expect(chart.y).toBeLessThan(844);
});

test('tapping a chart shows the readout at that point', async ({ page }) => {
  await page.goto('/');
  const chart = panel(page, 'demo.power').getByRole('img');
  await expect.poll(() => inkedPixels(chart)).toBeGreaterThan(2_000);
  await chart.scrollIntoViewIfNeeded();
  const box = (await chart.boundingBox())!;
  await page.touchscreen.tap(box.x + box.width * 0.6, box.y + box.height * 0.5);
  const readout = panel(page, 'demo.power').getByRole('tooltip');
  await expect(readout).toBeVisible();
  await expect(readout).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  await expect(readout).toContainText(/ W/);
});
