import { expect, test } from '@playwright/test';
import { createDashboard, inkedPixels, panel, pixelsOf, write } from './helpers';

const FLOW: [number, number, number] = [37, 99, 235];
const RETURN: [number, number, number] = [217, 119, 6];

async function boiler(page: import('@playwright/test').Page): Promise<number> {
  const now = Date.now();
  const points = [];
  for (let i = 60; i >= 0; i--) {
    points.push({ series: 'e2e.legend.flow', unit: '°C', t: now - i * 10_000, v: 40 + (i % 5) });
    points.push({ series: 'e2e.legend.return', unit: '°C', t: now - i * 10_000, v: i === 0 ? 95 : 30 + (i % 3) });
  }
  await write(page, points);
  return createDashboard(page, {
    title: 'Legend boiler',
    panels: [{ title: 'Legend loop', series: ['e2e.legend.flow', 'e2e.legend.return'] }],
  });
}

test('the legend hides a line on click, shows one alone with Ctrl, keeps the choice in the URL and sorts by a column', async ({
  page,
}) => {
  const id = await boiler(page);
  await page.goto(`/?d=${id}&range=15m`);
  const loop = panel(page, 'Legend loop');
  const legend = loop.getByRole('table', { name: 'Legend' });
  const chart = loop.getByRole('img');
  const flow = legend.getByRole('button', { name: 'e2e.legend.flow' });
  const ret = legend.getByRole('button', { name: 'e2e.legend.return' });
  await expect(legend.getByRole('row', { name: /e2e\.legend\.return/ })).toContainText('95 °C');
  await expect.poll(() => pixelsOf(chart, RETURN)).toBeGreaterThan(50);

  await ret.click();
  await expect(ret).toHaveAttribute('aria-pressed', 'false');
  await expect(page).toHaveURL(/hide=0%3Ae2e\.legend\.return/);
  await expect.poll(() => pixelsOf(chart, RETURN)).toBe(0);
  expect(await pixelsOf(chart, FLOW)).toBeGreaterThan(50);
  // The range links keep what is hidden.
  await expect(page.getByRole('link', { name: '6h' })).toHaveAttribute('href', /hide=0%3Ae2e\.legend\.return/);

  await page.reload();
  await expect(ret).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(() => inkedPixels(chart)).toBeGreaterThan(500);
  expect(await pixelsOf(chart, RETURN)).toBe(0);

  await ret.click({ modifiers: ['Control'] });
  await expect(flow).toHaveAttribute('aria-pressed', 'false');
  await expect(ret).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => pixelsOf(chart, FLOW)).toBe(0);
  await expect.poll(() => pixelsOf(chart, RETURN)).toBeGreaterThan(50);
  await ret.click({ modifiers: ['Control'] });
  await expect(flow).toHaveAttribute('aria-pressed', 'true');
  await expect(page).not.toHaveURL(/hide=/);

  const last = legend.getByRole('columnheader', { name: 'Last' });
  await last.getByRole('button').click();
  await expect(last).toHaveAttribute('aria-sort', 'descending');
  await expect(legend.getByRole('rowheader').first()).toContainText('e2e.legend.return');
  await last.getByRole('button').click();
  await expect(last).toHaveAttribute('aria-sort', 'ascending');
  await expect(legend.getByRole('rowheader').first()).toContainText('e2e.legend.flow');
});

test('hovering one chart shows the crosshair and reading on every panel, until the panels are unlinked', async ({
  page,
}) => {
  const id = await createDashboard(page, {
    title: 'Linked pair',
    panels: [
      { title: 'demo.power', series: ['demo.power'] },
      { title: 'demo.temperature', series: ['demo.temperature'] },
    ],
  });
  await page.goto(`/?d=${id}&range=1h`);
  const power = panel(page, 'demo.power');
  const temperature = panel(page, 'demo.temperature');
  await expect.poll(() => inkedPixels(power.getByRole('img'))).toBeGreaterThan(2_000);
  await expect.poll(() => inkedPixels(temperature.getByRole('img'))).toBeGreaterThan(2_000);
  const box = (await power.getByRole('img').boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await expect(power.getByRole('tooltip')).toBeVisible();
  await expect(temperature.getByRole('tooltip')).toBeVisible();
  // Both read the same moment.
  const time = await power.getByRole('tooltip').locator('time').textContent();
  const other = await temperature.getByRole('tooltip').locator('time').textContent();
  const seconds = (t: string | null) => Date.parse((t ?? '').replace(' ', 'T')) / 1000;
  expect(Math.abs(seconds(time) - seconds(other))).toBeLessThan(60);
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height + 80);
  await expect(temperature.getByRole('tooltip')).toBeHidden();

  const link = page.getByRole('button', { name: 'Link panels' });
  await expect(link).toHaveAttribute('aria-pressed', 'true');
  await link.click();
  await expect(page).toHaveURL(/link=off/);
  await expect(link).toHaveAttribute('aria-pressed', 'false');
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await expect(power.getByRole('tooltip')).toBeVisible();
  await expect(temperature.getByRole('tooltip')).toBeHidden();
});
