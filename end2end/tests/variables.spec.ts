import { expect, test } from '@playwright/test';
import { authHeaders, createDashboard, panel, signIn, write } from './helpers';

test('a dashboard variable offers a label’s values, keeps the choice in the URL and puts it into the panels', async ({
  page,
}) => {
  // A mismatch between the served page and the browser's first render
  // (the offered values arriving early) stops the page: none may occur.
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const now = Date.now();
  const points = [];
  for (let i = 20; i >= 0; i--) {
    points.push({ series: 'e2e.var.temp', labels: { device: 'boiler-a' }, t: now - i * 10_000, v: 41 });
    points.push({ series: 'e2e.var.temp', labels: { device: 'boiler-b' }, t: now - i * 10_000, v: 77 });
  }
  await write(page, points);
  const id = await createDashboard(page, {
    title: 'Per device',
    variables: [{ name: 'device', label: 'device', select: 'e2e.var.temp' }],
    panels: [
      { title: 'Temperature of $device', kind: 'stat', series: ['e2e.var.temp{device="$device"}'] },
      { title: 'Chosen by selector', select: undefined, selection: { select: 'e2e.var.temp{device="${device}"}' } },
    ],
  });
  await page.goto(`/?d=${id}&range=15m`);
  const picker = page.getByRole('combobox', { name: '$device' });
  await expect(picker).toHaveValue('boiler-a');
  await expect(panel(page, 'Temperature of boiler-a')).toContainText('41');

  await picker.selectOption('boiler-b');
  await expect(page).toHaveURL(/var-device=boiler-b/);
  await expect(panel(page, 'Temperature of boiler-b')).toContainText('77');
  await expect(panel(page, 'Chosen by selector')).toContainText('device="boiler-b"');
  // Other view changes keep the choice.
  await page.getByRole('link', { name: '1h' }).click();
  await expect(page).toHaveURL(/range=1h.*var-device=boiler-b/);
  await page.reload();
  await expect(picker).toHaveValue('boiler-b');
  await expect(panel(page, 'Temperature of boiler-b')).toContainText('77');
  expect(errors).toEqual([]);
});

test('the editor shows, adds and saves variables', async ({ page }) => {
  const id = await createDashboard(page, {
    title: 'Variables editing',
    variables: [{ name: 'device', label: 'device' }],
    panels: [{ title: 'T', series: ['e2e.var.temp{device="$device"}'] }],
  });
  await signIn(page, `/d/${id}/edit`);
  const first = page.getByRole('group', { name: 'Variable 1' });
  await expect(first.getByLabel('Name')).toHaveValue('device');
  await expect(first.getByLabel('Name')).toBeEnabled();
  await page.getByRole('button', { name: 'Add variable' }).click();
  const second = page.getByRole('group', { name: 'Variable 2' });
  await second.getByLabel('Name').fill('site');
  await second.getByLabel('Label').fill('site');
  await second.getByLabel('Default').fill('s2');
  await page.getByRole('button', { name: 'Save dashboard' }).click();
  await expect(page).toHaveURL(new RegExp(`d=${id}`));
  await expect(page.getByRole('combobox', { name: '$site' })).toHaveValue('s2');
  const saved = await (await page.request.get(`/api/v1/dashboards/${id}`, { headers: authHeaders() })).json();
  expect(saved.variables).toEqual([
    { name: 'device', label: 'device' },
    { name: 'site', label: 'site', default: 's2' },
  ]);
});
