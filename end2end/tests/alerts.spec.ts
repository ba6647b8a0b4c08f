import { expect, test } from '@playwright/test';
import { authHeaders, createDashboard, panel, pixelsOf, signIn, write } from './helpers';

/** A firing period's shading: the light theme's critical red (220, 38, 38) at 14% over the white chart. */
const CRITICAL_BAND: [number, number, number] = [250, 225, 225];

test('a rule made from a panel fires on written data: the alerts page and the panel say so, the chart shades it, a silence mutes it', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  const series = `e2e.alert.boiler${Date.now()}`;
  const now = Date.now();
  const points = [];
  for (let i = 60; i >= 1; i--) points.push({ series, t: now - i * 10_000, v: 20 + (i % 3) });
  await write(page, points);
  const id = await createDashboard(page, {
    title: 'Boiler room',
    panels: [{ title: 'Boiler', series: [series], thresholds: { warn: 80, crit: 90 }, width: 12 }],
  });
  await signIn(page, `/?d=${id}&range=15m&refresh=5s`);

  // One click from the panel: the form holds its series and thresholds.
  await panel(page, 'Boiler').getByRole('link', { name: 'Alert' }).click();
  await expect(page).toHaveURL(/\/alerts\?/);
  const form = page.getByRole('form', { name: 'New alert rule' });
  await expect(form).toBeVisible();
  await expect(form.getByLabel('Series', { exact: true })).toHaveValue(series);
  await expect(form.getByLabel('Warning', { exact: true })).toHaveValue('80');
  await expect(form.getByLabel('Critical', { exact: true })).toHaveValue('90');
  // Tried on the past first: the series drawn with where the rule fires.
  await form.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByRole('figure', { name: 'Rule preview' });
  await expect(preview.getByRole('img', { name: `${series} over the last 6 hours` })).toBeVisible();
  await expect(preview).toContainText(/^Would (not )?have fired/);
  await expect(form.getByLabel('Critical', { exact: true })).toHaveValue('90');
  await form.getByLabel('Every', { exact: true }).fill('1s');
  await form.getByRole('button', { name: 'Save rule' }).click();
  // A plain form post: the page comes back saying what it did.
  await expect(page.getByRole('main').getByRole('status')).toContainText('Rule "Boiler" saved');
  await expect(page.getByRole('list', { name: 'Alert rules' })).toContainText('Boiler');

  // Data that crosses the critical threshold: the page turns firing.
  await write(page, [{ series, t: Date.now(), v: 95 }]);
  const instances = page.getByRole('table', { name: 'Alert instances' });
  const row = instances.getByRole('row').filter({ hasText: series });
  await expect(row).toContainText('Firing', { timeout: 15_000 });
  await expect(row).toContainText('critical');
  await page.goto('/alerts?state=firing&severity=critical');
  await expect(row).toContainText('Firing');

  // The dashboard: the panel's badge and the firing period on the chart.
  await page.goto(`/?d=${id}&range=15m&refresh=5s`);
  const boiler = panel(page, 'Boiler');
  await expect(boiler.getByRole('link', { name: 'alert: critical' })).toBeVisible({ timeout: 15_000 });
  const chart = boiler.getByRole('img');
  await expect.poll(() => pixelsOf(chart, CRITICAL_BAND), { timeout: 20_000 }).toBeGreaterThan(500);
  const notes = page.getByRole('list', { name: 'Annotations' });
  await page.getByText(/^Annotations \(/).click();
  await expect(notes).toContainText('Alert Boiler: critical');

  // Silenced from the alerts page: still firing, marked silenced.
  await page.goto('/alerts?state=firing');
  await row.getByRole('button', { name: /Silence Boiler/ }).click();
  await expect(row).toContainText('silenced', { timeout: 15_000 });
  await expect(row).toContainText('Firing');
  await expect(page.getByRole('list', { name: 'Silences' })).toContainText('alerts page');

  // Clean up what other tests might meet.
  const rules = await (await page.request.get('/api/v1/alerts/rules', { headers: authHeaders() })).json();
  for (const r of rules.rules) await page.request.delete(`/api/v1/alerts/rules/${r.id}`, { headers: authHeaders() });
  expect(errors).toEqual([]);
});

test('contact points are added from the page and "Send test" reports the answer', async ({ page }) => {
  await signIn(page, '/alerts');
  await page.getByText('New contact point').click();
  const form = page.getByRole('form', { name: 'New contact point' });
  await form.getByLabel('Name').fill('nowhere');
  // Nothing listens on the discard port: the test fails, and says so.
  await form.getByLabel('URL').fill('http://127.0.0.1:9/hook');
  await form.getByRole('button', { name: 'Add contact point' }).click();
  const list = page.getByRole('list', { name: 'Contact points' });
  await expect(list).toContainText('webhook http://127.0.0.1:9/hook');
  await list.getByRole('button', { name: 'Send a test to nowhere' }).click();
  await expect(page.getByRole('main').getByRole('alert')).toContainText('did not take the test notification', {
    timeout: 30_000,
  });
  await expect(page.getByRole('table', { name: 'Deliveries' })).toContainText('failed');
  await list.getByRole('button', { name: 'Delete contact point nowhere' }).click();
  await expect(list).not.toContainText('nowhere');
});

test.describe('with the service worker', () => {
  test.use({ serviceWorkers: 'allow' });

  test('a pushed alert is shown as a notification that opens its chart when clicked; the alerts page offers to subscribe', async ({
    page,
    context,
  }) => {
    await context.grantPermissions(['notifications']);
    await signIn(page, '/alerts');
    await expect(page.getByRole('button', { name: 'Notify this browser' })).toBeVisible();
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

    // Chromium's DevTools protocol delivers a push as a push service would.
    const cdp = await context.newCDPSession(page);
    let registrationId = '';
    cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => {
      const mine = e.registrations.find((r: { isDeleted: boolean }) => !r.isDeleted);
      if (mine) registrationId = mine.registrationId;
    });
    await cdp.send('ServiceWorker.enable');
    const origin = new URL(page.url()).origin;
    const url = `${origin}/explore?series=boiler.temp&from=1&to=2`;
    const message = { title: '[FIRING:1 critical] boiler hot', body: 'north at 95', url, tag: 'sensorboard-rule-1' };
    const shown = () =>
      page.evaluate(async () => {
        const r = await navigator.serviceWorker.ready;
        return (await r.getNotifications()).map((n) => ({ title: n.title, body: n.body, url: n.data.url }));
      });
    // Pushed until shown: a worker still starting may miss the first (the
    // tag makes one notification of however many).
    await expect
      .poll(
        async () => {
          if (registrationId) {
            await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify(message) });
          }
          return shown();
        },
        { timeout: 20_000 },
      )
      .toEqual([{ title: message.title, body: message.body, url }]);

    // Clicked, it opens the chart in the app's window.
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    await worker.evaluate(async () => {
      const scope = self as unknown as ServiceWorkerGlobalScope;
      const [notification] = await scope.registration.getNotifications();
      scope.dispatchEvent(new NotificationEvent('notificationclick', { notification }));
    });
    await expect(page).toHaveURL(url);
  });
});
