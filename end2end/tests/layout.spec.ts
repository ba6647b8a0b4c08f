import { expect, test } from '@playwright/test';
import { authHeaders, createDashboard, inkedPixels, panel, signIn, write } from './helpers';

test('panels take the width and height the editor gave them, and one panel fills the screen', async ({ page }) => {
  const now = Date.now();
  const points = [];
  for (let i = 30; i >= 0; i--) points.push({ series: 'e2e.layout', t: now - i * 10_000, v: i % 7 });
  await write(page, points);
  const id = await createDashboard(page, {
    title: 'Layout',
    panels: [
      { title: 'Wide and tall', series: ['e2e.layout'], width: 12, height: 480 },
      { title: 'A third', series: ['e2e.layout'], width: 4 },
      { title: 'Default', series: ['e2e.layout'] },
    ],
  });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`/?d=${id}&range=15m`);
  const wide = panel(page, 'Wide and tall');
  const third = panel(page, 'A third');
  const plain = panel(page, 'Default');
  await expect.poll(() => inkedPixels(wide.getByRole('img'))).toBeGreaterThan(500);
  const grid = (await page.getByRole('region', { name: 'Layout' }).boundingBox())!;
  const [w, t, d] = [(await wide.boundingBox())!, (await third.boundingBox())!, (await plain.boundingBox())!];
  expect(Math.abs(w.width - grid.width)).toBeLessThan(2);
  expect(t.width).toBeLessThan(grid.width / 3);
  expect(t.width).toBeGreaterThan(grid.width / 3 - 20);
  expect(d.width).toBeGreaterThan(grid.width / 2 - 20);
  expect(d.width).toBeLessThan(grid.width / 2);
  expect(Math.round((await wide.getByRole('img').boundingBox())!.height)).toBe(480);
  expect(Math.round((await plain.getByRole('img').boundingBox())!.height)).toBe(220);

  // Full screen: the panel fills the viewport and its chart grows.
  await third.getByRole('button', { name: 'Full screen' }).click();
  await expect.poll(() => page.evaluate(() => document.fullscreenElement?.getAttribute('aria-labelledby') ?? '')).toContain(
    'A-third',
  );
  await expect.poll(async () => (await third.getByRole('img').boundingBox())!.height).toBeGreaterThan(600);
  await expect.poll(() => inkedPixels(third.getByRole('img'))).toBeGreaterThan(500);
  await third.getByRole('button', { name: 'Full screen' }).click();
  await expect.poll(() => page.evaluate(() => document.fullscreenElement === null)).toBe(true);

  // Narrow screens stack every panel at full width.
  await page.setViewportSize({ width: 600, height: 900 });
  await expect.poll(async () => (await third.boundingBox())!.width).toBeGreaterThan(500);
});

test('the editor sets a panel width, height, value axis and kind', async ({ page }) => {
  const id = await createDashboard(page, { title: 'Layout editing', panels: [{ title: 'Sized', series: ['e2e.layout'] }] });
  await signIn(page, `/d/${id}/edit`);
  await expect(page.getByLabel('Width')).toBeEnabled();
  await page.getByLabel('Width').selectOption({ label: 'Third' });
  await page.getByLabel('Height').selectOption({ label: 'Taller (480 px)' });
  await page.getByLabel('Axis min').fill('1');
  await page.getByLabel('Axis max').fill('1000');
  await page.getByLabel('Log scale').check();
  await page.getByLabel('Kind').selectOption({ label: 'Stat (big number)' });
  await page.getByRole('button', { name: 'Save dashboard' }).click();
  await expect(page).toHaveURL(new RegExp(`d=${id}`));
  await expect(panel(page, 'Sized')).toBeVisible();
  const res = await page.request.get(`/api/v1/dashboards/${id}`, { headers: authHeaders() });
  const saved = await res.json();
  expect(saved.panels[0].width).toBe(4);
  expect(saved.panels[0].height).toBe(480);
  expect(saved.panels[0].axis).toEqual({ min: 1, max: 1000, log: true });
  expect(saved.panels[0].kind).toBe('stat');
});

test('a panel dragged by its header takes another’s place and its corner resizes it; the dashboard keeps both', async ({ page }) => {
  const id = await createDashboard(page, {
    title: 'Arranged',
    panels: [
      { title: 'First', series: ['demo.power'], width: 6 },
      { title: 'Second', series: ['demo.temperature'], width: 6 },
      { title: 'Third', series: ['demo.humidity'], width: 6 },
    ],
  });
  await signIn(page, `/?d=${id}&range=1h&refresh=off`);
  await expect.poll(() => inkedPixels(panel(page, 'Third').getByRole('img'))).toBeGreaterThan(2_000);
  const stored = async () => (await (await page.request.get(`/api/v1/dashboards/${id}`, { headers: authHeaders() })).json()).panels;
  // In the order they show in, left to right, top to bottom.
  const titles = async () => {
    const heads = await page.getByRole('article').getByRole('heading', { level: 2 }).all();
    const placed = await Promise.all(heads.map(async (h) => ({ box: (await h.boundingBox())!, text: await h.textContent() })));
    placed.sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x);
    return placed.map((p) => p.text);
  };

  await panel(page, 'Third').locator('header').dragTo(panel(page, 'First'));
  await expect.poll(titles).toEqual(['Third', 'First', 'Second']);
  await expect.poll(async () => (await stored()).map((p: { title: string }) => p.title)).toEqual(['Third', 'First', 'Second']);

  const grid = (await page.getByRole('region', { name: 'Arranged' }).boundingBox())!;
  const handle = panel(page, 'First').getByRole('separator', { name: 'Resize panel' });
  const h = (await handle.boundingBox())!;
  await page.mouse.move(h.x + h.width / 2, h.y + h.height / 2);
  await page.mouse.down();
  await page.mouse.move(h.x + h.width / 2 + grid.width / 4, h.y + h.height / 2 + 100, { steps: 8 });
  await page.mouse.up();
  await expect(panel(page, 'First')).toHaveClass(/panel-w-9/);
  await expect.poll(async () => {
    const first = (await stored()).find((p: { title: string }) => p.title === 'First');
    return [first.width, first.height];
  }).toEqual([9, 320]);
  await expect(page.getByRole('alert')).toHaveCount(0);

  await page.reload();
  await expect.poll(titles).toEqual(['Third', 'First', 'Second']);
  await expect(panel(page, 'First')).toHaveClass(/panel-w-9/);
  await expect.poll(() => panel(page, 'First').getByRole('img').evaluate((c) => c.clientHeight)).toBe(320);
});
