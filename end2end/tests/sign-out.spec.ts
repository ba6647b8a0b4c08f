import { expect, test, type Page } from '@playwright/test';
import { inkedPixels, lockedOrigin, panel, token } from './helpers';

// Where reads need a token, the service worker keeps answers only when the
// person signing in asks for it, and forgets them on sign-out or on a 401.
test.use({ serviceWorkers: 'allow' });

/** Entries in the worker's answer cache (0 when there is none). */
async function keptAnswers(page: Page): Promise<number> {
  return page.evaluate(async () => {
    let n = 0;
    for (const name of await caches.keys()) {
      if (name.startsWith('sensorboard-answers-')) n += (await (await caches.open(name)).keys()).length;
    }
    return n;
  });
}

/** Whether the worker's shell cache holds the dashboard page. */
async function shellHasPage(page: Page): Promise<boolean> {
  return page.evaluate(async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('sensorboard-shell-') && (await (await caches.open(name)).match('/'))) return true;
    }
    return false;
  });
}

/** Signs in through a page the worker controls, ticking "keep" or not. */
async function signIn(page: Page, keep: boolean) {
  const next = '/?range=1h&refresh=500ms';
  await page.goto(`${lockedOrigin}/sign-in?next=${encodeURIComponent(next)}`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  await page.getByLabel('Token').fill(token('read'));
  if (keep) await page.getByRole('checkbox', { name: /Keep answers on this device/ }).check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(`${lockedOrigin}${next}`);
  await expect.poll(() => inkedPixels(panel(page, 'demo.power').getByRole('img'))).toBeGreaterThan(2_000);
  await expect(page.getByRole('status')).toContainText('live');
  // Several polls pass through the worker.
  await page.waitForTimeout(1_500);
}

test('without asking, a signed-in browser keeps only the app itself', async ({ page }) => {
  await signIn(page, false);
  expect(await keptAnswers(page)).toBe(0);
  expect(await shellHasPage(page)).toBe(false);
});

test('signing out drops every kept answer and asks for the token again', async ({ page }) => {
  await signIn(page, true);
  await expect.poll(() => keptAnswers(page)).toBeGreaterThan(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in\?next=%2F$/);
  expect(await keptAnswers(page)).toBe(0);
  expect(await page.evaluate(() => caches.keys())).not.toContain('sensorboard-choices');
  expect(await page.evaluate(() => document.cookie)).toBe('');
});

test('a 401 means the session is over: the worker drops what it kept', async ({ page, context }) => {
  await signIn(page, true);
  await expect.poll(() => keptAnswers(page)).toBeGreaterThan(0);
  // The session ends elsewhere (cookie gone, token revoked): the next poll gets 401.
  await context.clearCookies();
  await expect.poll(() => keptAnswers(page), { timeout: 10_000 }).toBe(0);
});
