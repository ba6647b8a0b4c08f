import { expect, test } from '@playwright/test';
import { createDashboard, inkedPixels, panel, pixelsOf, write } from './helpers';

test('hovering a chart reads the time and value of the nearest point', async ({ page }) => {
  await page.goto('/');
  const chart = panel(page, 'demo.power').getByRole('img');
  await expect.poll(() => inkedPixels(chart)).toBeGreaterThan(2_000);
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  const readout = panel(page, 'demo.power').getByRole('tooltip');
  await expect(readout).toBeVisible();
  await expect(readout).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  // The answer is min-max bucketed: the readout names the bucket's extent.
  await expect(readout).toContainText(/\d+(\.\d+)? W \(min \d+(\.\d+)? W · max \d+(\.\d+)? W\)/);
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height + 80);
  await expect(readout).toBeHidden();
});

test('dragging across a chart zooms into that window at a finer resolution, double-click goes back', async ({ page }) => {
  await page.goto('/?range=6h');
  const chart = panel(page, 'demo.temperature').getByRole('img');
  await expect.poll(() => inkedPixels(chart)).toBeGreaterThan(2_000);
  const box = (await chart.boundingBox())!;
  const y = box.y + box.height / 2;

  const zoomed = page.waitForRequest(
    (req) => req.url().endsWith('/api/v1/query/batch') && /"from":\d{13}/.test(req.postData() ?? ''),
  );
  await page.mouse.move(box.x + box.width * 0.5, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.7, y, { steps: 5 });
  await page.mouse.up();
  await expect(page).toHaveURL(/range=6h&from=\d+&to=\d+/);
  const url = new URL(page.url());
  const span = Number(url.searchParams.get('to')) - Number(url.searchParams.get('from'));
  expect(span).toBeGreaterThan(0.1 * 6 * 3_600_000);
  expect(span).toBeLessThan(0.4 * 6 * 3_600_000);
  await zoomed;
  const range = page.getByRole('navigation', { name: 'Time range' });
  await expect(range.getByRole('link', { name: '6h' })).not.toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeVisible();
  await expect(chart).toHaveAttribute('aria-label', /Chart of demo\.temperature, \d{4}-\d\d-\d\d .* to /);

  await chart.dblclick();
  await expect(page).toHaveURL(/\?range=6h$/);
  await expect(range.getByRole('link', { name: '6h' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('button', { name: 'Reset zoom' })).toBeHidden();
});

test('a panel of two series has a legend, threshold lines and a critical state', async ({ page }) => {
  const now = Date.now();
  const points = [];
  for (let i = 60; i >= 0; i--) {
    points.push({ series: 'e2e.flow', unit: '°C', t: now - i * 10_000, v: 40 + (i % 5) });
    points.push({ series: 'e2e.return', unit: '°C', t: now - i * 10_000, v: i === 0 ? 95 : 30 + (i % 3) });
  }
  await write(page, points);
  const id = await createDashboard(page, {
    title: 'Boiler',
    panels: [{ title: 'Boiler loop', series: ['e2e.flow', 'e2e.return'], thresholds: { warn: 45, crit: 90 } }],
  });
  await page.goto(`/?d=${id}&range=15m`);
  const loop = panel(page, 'Boiler loop');
  const legend = loop.getByRole('table', { name: 'Legend' });
  await expect(legend.getByRole('rowheader')).toHaveCount(2);
  await expect(legend).toContainText('e2e.return');
  await expect(legend).toContainText('95 °C');
  await expect(loop.getByText('critical')).toBeVisible();
  const chart = loop.getByRole('img');
  // Second series in its own colour; the warn line dashed in amber.
  await expect.poll(() => pixelsOf(chart, [217, 119, 6])).toBeGreaterThan(50);
  await expect.poll(() => pixelsOf(chart, [202, 138, 4])).toBeGreaterThan(50);
  await expect(page.getByRole('combobox', { name: 'Dashboard' })).toHaveValue(String(id));
});

test('a custom from/to window from the range picker', async ({ page }) => {
  await page.goto('/');
  const pad = (n: number) => String(n).padStart(2, '0');
  const local = (d: Date) =>
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  // Seconds kept off zero: Chromium shows a whole minute as HH:mm, which fill() takes as a malformed value.
  const to = new Date(Math.floor(Date.now() / 60_000) * 60_000 - 10 * 60_000 + 17_000);
  const from = new Date(to.getTime() - 20 * 60_000);
  const custom = page.getByText('Custom', { exact: true });
  const form = page.getByRole('form', { name: 'Custom time range', includeHidden: true });
  // Once the page is live (its fields are disabled until then).
  await expect(form.getByLabel('From')).toBeEnabled();
  await custom.click();
  await expect(form).toBeVisible();
  // It opens on the window shown: the last hour.
  const shownTo = new Date(await form.getByLabel('To').inputValue()).getTime();
  const shownFrom = new Date(await form.getByLabel('From').inputValue()).getTime();
  expect(Math.abs(shownTo - Date.now())).toBeLessThan(60_000);
  expect(shownTo - shownFrom).toBe(3_600_000);
  // The box holds its contents.
  const inside = await form.evaluate((el) => {
    const box = el.getBoundingClientRect();
    return [...el.querySelectorAll('input, button')].every((c) => c.getBoundingClientRect().right <= box.right);
  });
  expect(inside).toBe(true);
  await page.keyboard.press('Escape');
  await expect(form).toBeHidden();
  await custom.click();
  await form.getByLabel('From').fill(local(to));
  await form.getByLabel('To').fill(local(from));
  await form.getByRole('button', { name: 'Apply' }).click();
  await expect(form.getByRole('alert')).toHaveText('the end must be after the start');
  await form.getByLabel('From').fill(local(from));
  await form.getByLabel('To').fill(local(to));
  await form.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(new RegExp(`from=${from.getTime()}&to=${to.getTime()}`));
  await expect(form).toBeHidden();
  await expect(panel(page, 'demo.power').getByRole('img')).toHaveAttribute('aria-label', /Chart of demo\.power, .* to /);
  await expect.poll(() => inkedPixels(panel(page, 'demo.power').getByRole('img'))).toBeGreaterThan(2_000);
});
