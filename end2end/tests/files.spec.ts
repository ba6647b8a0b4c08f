import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import { authHeaders, createDashboard, panel, signIn, write } from './helpers';

test('a panel transform is chosen in the editor and drawn as the server computes it', async ({ page }) => {
  const now = Date.now();
  const points = [];
  // A counter rising 5 a second, read every 10 s.
  for (let i = 90; i >= 0; i--) points.push({ series: 'e2e.files.requests', unit: 'req', t: now - i * 10_000, v: 1e6 - i * 50 });
  await write(page, points);
  const id = await createDashboard(page, {
    title: 'Transforms',
    panels: [{ title: 'Requests', kind: 'stat', series: ['e2e.files.requests'] }],
  });
  await signIn(page, `/d/${id}/edit`);
  await page.getByRole('combobox', { name: 'Transform' }).selectOption({ label: 'Rate per second (counter)' });
  await page.getByRole('button', { name: 'Save dashboard' }).click();
  await expect(page).toHaveURL(new RegExp(`d=${id}`));
  const requests = panel(page, 'Requests');
  await expect(requests).toContainText('req/s');
  await expect(requests).toContainText(/\b5\b/);

  const res = await page.request.get(`/api/v1/dashboards/${id}`, { headers: authHeaders() });
  expect((await res.json()).panels[0].transform).toBe('rate');
});

test('a dashboard exports to a file that the editor imports as a new one', async ({ page }, info) => {
  const id = await createDashboard(page, {
    title: 'Round trip',
    variables: [{ name: 'site', label: 'site' }],
    panels: [{ title: 'Average', series: ['demo.power'], transform: 'moving_avg:5m', width: 8, axis: { min: 0 } }],
  });
  await signIn(page, `/d/${id}/edit`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export to file' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('round-trip.json');
  const file = JSON.parse(fs.readFileSync((await download.path())!, 'utf8'));
  expect(file.panels[0].transform).toBe('moving_avg:5m');
  expect(file.id).toBeUndefined();

  file.title = 'Round trip, imported';
  const saved = info.outputPath('imported.json');
  fs.writeFileSync(saved, JSON.stringify(file));
  await page.goto('/new');
  await expect(page.getByLabel('Dashboard title')).toBeEnabled();
  await page.getByLabel('Import from file…').setInputFiles(saved);
  await expect(page.getByRole('status')).toContainText('Read imported.json');
  await expect(page.getByLabel('Dashboard title')).toHaveValue('Round trip, imported');
  await expect(page.getByRole('combobox', { name: 'Transform' })).toHaveValue('moving_avg:5m');
  await page.getByRole('button', { name: 'Save dashboard' }).click();
  await expect(page).toHaveURL(/\?d=\d+/);
  const newId = Number(new URL(page.url()).searchParams.get('d'));
  expect(newId).not.toBe(id);
  await expect(panel(page, 'Average')).toBeVisible();

  // Not a dashboard: said, and the form is left alone.
  const bad = info.outputPath('bad.json');
  fs.writeFileSync(bad, '{"panels": 3}');
  await page.goto('/new');
  await expect(page.getByLabel('Dashboard title')).toBeEnabled();
  await page.getByLabel('Dashboard title').fill('Kept');
  await page.getByLabel('Import from file…').setInputFiles(bad);
  await expect(page.getByRole('alert')).toContainText('bad.json is not a dashboard file');
  await expect(page.getByLabel('Dashboard title')).toHaveValue('Kept');
});
