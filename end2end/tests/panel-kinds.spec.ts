import { expect, test } from '@playwright/test';
import { createDashboard, panel, write } from './helpers';

test('a stat panel shows each line as a big number over a sparkline, coloured by its thresholds; a table lists the latest values', async ({
  page,
}) => {
  const now = Date.now();
  const points = [];
  for (let i = 30; i >= 0; i--) {
    points.push({ series: 'e2e.kinds.tank', unit: 'L', t: now - i * 10_000, v: 500 + i });
    points.push({ series: 'e2e.kinds.hot', unit: 'L', t: now - i * 10_000, v: i === 0 ? 950 : 600 });
  }
  await write(page, points);
  const id = await createDashboard(page, {
    title: 'Kinds',
    panels: [
      { title: 'Tank levels', kind: 'stat', series: ['e2e.kinds.tank', 'e2e.kinds.hot'], thresholds: { warn: 700, crit: 900 } },
      { title: 'Tank table', kind: 'table', series: ['e2e.kinds.tank', 'e2e.kinds.hot'], thresholds: { crit: 900 } },
    ],
  });
  await page.goto(`/?d=${id}&range=15m`);

  const stat = panel(page, 'Tank levels');
  const tank = stat.getByRole('group', { name: 'e2e.kinds.tank' });
  const hot = stat.getByRole('group', { name: 'e2e.kinds.hot' });
  await expect(tank).toContainText('500 L');
  await expect(hot).toContainText('950 L');
  await expect(hot).toHaveClass(/stat-crit/);
  await expect(tank).not.toHaveClass(/stat-warn|stat-crit/);
  await expect.poll(async () => (await tank.locator('polyline').getAttribute('points'))?.split(' ').length ?? 0).toBeGreaterThan(10);
  await expect(stat.getByRole('img')).toHaveCount(0);

  const table = panel(page, 'Tank table').getByRole('table', { name: 'Latest values' });
  await expect(table.getByRole('row', { name: /e2e\.kinds\.hot/ })).toContainText('950 L');
  await expect(table.getByRole('row', { name: /e2e\.kinds\.tank/ })).toContainText(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  await expect(table.getByRole('columnheader')).toHaveText(['Series', 'Last', 'At', 'Min', 'Avg', 'Max']);
});
