import { expect, test } from '@playwright/test';
import { authHeaders, createDashboard, inkedPixels, panel, pixelsOf, signIn, write } from './helpers';

const RED: [number, number, number] = [0xdc, 0x26, 0x26];
const GREEN: [number, number, number] = [0x16, 0xa3, 0x4a];
const ROSE: [number, number, number] = [0xe1, 0x1d, 0x48];
const THEME_BLUE: [number, number, number] = [37, 99, 235];

test('a state timeline colours each stretch by its mapping, and the readout and headline say the words', async ({ page }) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const now = Date.now();
  const points = [];
  // Off for the first half hour, then on.
  for (let i = 60; i >= 0; i--) points.push({ series: 'e2e.looks.pump', t: now - i * 60_000, v: i > 30 ? 0 : 1 });
  await write(page, points);
  const id = await createDashboard(page, {
    title: 'Pump states',
    panels: [
      {
        title: 'Pump',
        kind: 'timeline',
        series: ['e2e.looks.pump'],
        mappings: [
          { value: 0, text: 'stopped', color: '#dc2626' },
          { value: 1, text: 'running', color: '#16a34a' },
        ],
      },
    ],
  });
  await page.goto(`/?d=${id}&range=1h&refresh=off`);
  const pump = panel(page, 'Pump');
  const chart = pump.getByRole('img');
  await expect.poll(() => pixelsOf(chart, RED)).toBeGreaterThan(2_000);
  await expect.poll(() => pixelsOf(chart, GREEN)).toBeGreaterThan(2_000);
  await expect(pump.getByLabel('last value')).toHaveText('running');
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await expect(pump.getByRole('tooltip')).toContainText('stopped');
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2);
  await expect(pump.getByRole('tooltip')).toContainText('running');
  expect(errors).toEqual([]);
});

test('a gauge shows the latest value on its dial, coloured by the thresholds; lines take their own colours', async ({ page }) => {
  const now = Date.now();
  const points = [];
  for (let i = 30; i >= 0; i--) points.push({ series: 'e2e.looks.tank', unit: '%', t: now - i * 10_000, v: i === 0 ? 75 : 40 });
  await write(page, points);
  const id = await createDashboard(page, {
    title: 'Tank',
    panels: [
      { title: 'Fill', kind: 'gauge', series: ['e2e.looks.tank'], axis: { max: 100 }, thresholds: { warn: 60, crit: 90 } },
      { title: 'Fill over time', series: ['e2e.looks.tank'], colors: ['#e11d48'] },
    ],
  });
  await page.goto(`/?d=${id}&range=15m&refresh=off`);
  const meter = panel(page, 'Fill').getByRole('meter', { name: 'e2e.looks.tank' });
  await expect(meter).toHaveAttribute('aria-valuenow', '75');
  await expect(meter).toHaveAttribute('aria-valuemax', '100');
  await expect(meter).toContainText('75 %');
  await expect(meter).toHaveClass(/gauge-warn/);
  const line = panel(page, 'Fill over time').getByRole('img');
  await expect.poll(() => pixelsOf(line, ROSE)).toBeGreaterThan(100);
  expect(await pixelsOf(line, THEME_BLUE)).toBeLessThan(20);
});

test('the editor sets a timeline, its mappings and line colours', async ({ page }) => {
  const id = await createDashboard(page, { title: 'Looks editing', panels: [{ title: 'P', series: ['e2e.looks.pump'] }] });
  await signIn(page, `/d/${id}/edit`);
  await page.getByRole('combobox', { name: 'Kind' }).selectOption({ label: 'State timeline' });
  await page.getByLabel('Value mappings').fill('0=stopped #dc2626, 1=running');
  await page.getByLabel('Line colours').fill('#16a34a');
  await page.getByLabel('Stack lines').check();
  await page.getByRole('button', { name: 'Save dashboard' }).click();
  await expect(page).toHaveURL(new RegExp(`d=${id}`));
  await expect.poll(() => inkedPixels(panel(page, 'P').getByRole('img'))).toBeGreaterThan(1_000);
  const res = await page.request.get(`/api/v1/dashboards/${id}`, { headers: authHeaders() });
  const p = (await res.json()).panels[0];
  expect(p.kind).toBe('timeline');
  expect(p.mappings).toEqual([
    { value: 0, text: 'stopped', color: '#dc2626' },
    { value: 1, text: 'running' },
  ]);
  expect(p.colors).toEqual(['#16a34a']);
  expect(p.stack).toBe(true);
});

test('stacked lines fill areas, each on the ones before it', async ({ page }) => {
  const now = Date.now();
  const points = [];
  for (let i = 60; i >= 0; i--) {
    points.push({ series: 'e2e.looks.circuit', labels: { circuit: 'a' }, t: now - i * 10_000, v: 10 });
    points.push({ series: 'e2e.looks.circuit', labels: { circuit: 'b' }, t: now - i * 10_000, v: 20 });
  }
  await write(page, points);
  const asked: string[] = [];
  page.on('request', (r) => r.url().includes('/api/v1/query/batch') && asked.push(r.postData() ?? ''));
  const id = await createDashboard(page, {
    title: 'Stacked',
    panels: [{ title: 'Circuits', series: ['e2e.looks.circuit{circuit="a"}', 'e2e.looks.circuit{circuit="b"}'], stack: true }],
  });
  await page.goto(`/?d=${id}&range=15m&refresh=off`);
  const chart = panel(page, 'Circuits').getByRole('img');
  // The theme's first two line colours at 45% over white.
  await expect.poll(() => pixelsOf(chart, [157, 185, 246])).toBeGreaterThan(2_000);
  await expect.poll(() => pixelsOf(chart, [238, 194, 143])).toBeGreaterThan(2_000);
  expect(asked.some((body) => body.includes('"agg":"avg"'))).toBe(true);
  // The top edge is the sum: 30 is inside the axis, the readout shows each line's own value.
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2);
  await expect(panel(page, 'Circuits').getByRole('tooltip')).toContainText('20');
});

test('a line on the right-hand axis has its own scale and unit, in the legend and the readout too', async ({ page }) => {
  // A CSP refusal (an inline style from measuring text) is an error too.
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('pageerror', (e) => errors.push(e.message));
  const now = Date.now();
  const points = [];
  for (let i = 60; i >= 0; i--) {
    points.push({ series: 'e2e.looks.boiler', unit: '°C', t: now - i * 10_000, v: 60 + (i % 3) });
    points.push({ series: 'e2e.looks.pumpw', unit: 'W', t: now - i * 10_000, v: 1_500 + (i % 5) * 10 });
  }
  await write(page, points);
  const id = await createDashboard(page, {
    title: 'Two axes',
    panels: [{ title: 'Boiler and pump', series: ['e2e.looks.boiler', 'e2e.looks.pumpw'], right_axis: [1] }],
  });
  await page.goto(`/?d=${id}&range=15m&refresh=off`);
  const p = panel(page, 'Boiler and pump');
  const chart = p.getByRole('img');
  await expect.poll(() => pixelsOf(chart, [37, 99, 235])).toBeGreaterThan(100);
  await expect.poll(() => pixelsOf(chart, [217, 119, 6])).toBeGreaterThan(100);
  const legend = p.getByRole('table', { name: 'Legend' });
  await expect(legend.getByRole('row', { name: /e2e\.looks\.pumpw/ })).toContainText('W');
  // Watts as precisely as the right axis' own spread asks (not the °C one's).
  await expect(legend.getByRole('row', { name: /e2e\.looks\.pumpw/ })).not.toContainText(/\.\d+ W/);
  await expect(legend.getByRole('row', { name: /e2e\.looks\.boiler/ })).toContainText('°C');
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
  const tip = p.getByRole('tooltip');
  await expect(tip).toContainText(/°C/);
  await expect(tip).toContainText(/\d W/);
  await expect(tip).not.toContainText(/\.\d+ W/);
  expect(errors).toEqual([]);
});
