import { expect, test } from '@playwright/test';
import { inkedPixels, lockedOrigin, panel, token } from './helpers';

test('where reads need a token, the browser asks for one once and then shows the dashboard', async ({ page }) => {
  await page.goto(`${lockedOrigin}/?range=1h`);
  await expect(page).toHaveURL(`${lockedOrigin}/sign-in?next=%2F%3Frange%3D1h`);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  await page.getByLabel('Token').fill('sbt_not-a-real-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('not valid');

  await page.getByLabel('Token').fill(token('read'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${lockedOrigin}/?range=1h`);
  await expect.poll(() => inkedPixels(panel(page, 'demo.power').getByRole('img'))).toBeGreaterThan(2_000);
  await expect(page.getByRole('status')).toContainText('live');

  // The cookie is the browser's alone: a fresh context must sign in again,
  // and scripts never see the token.
  expect(await page.evaluate(() => document.cookie)).not.toContain('sbt_');
  const other = await page.context().browser()!.newPage();
  await other.goto(`${lockedOrigin}/explore`);
  await expect(other).toHaveURL(/\/sign-in\?next=%2Fexplore$/);
  await other.close();
});
