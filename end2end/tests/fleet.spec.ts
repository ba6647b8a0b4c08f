import { expect, test, type Page } from '@playwright/test';
import { inkedPixels, panel, signIn, write } from './helpers';

// A fleet: 3 sites × 20 devices × 2 fields, a point every 10 s for the
// last 20 minutes, under a name of this run's own: 120 series, more than
// the explorer's page of 100.
const SITES = 3;
const DEVICES = 60;

async function writeFleet(page: Page, name: string) {
  const now = Date.now();
  const points: object[] = [];
  for (let d = 0; d < DEVICES; d++) {
    for (const field of ['temp', 'rpm']) {
      for (let s = 0; s < 120; s++) {
        const v = (field === 'temp' ? 20 : 1000) + d * 2 + Math.sin(s / 9 + d) * 3;
        points.push({
          series: `${name}.${field}`,
          labels: { site: `s${d % SITES}`, device: `d${String(d).padStart(2, '0')}` },
          t: now - (120 - s) * 10_000,
          v: Math.round(v * 100) / 100,
        });
      }
    }
  }
  await write(page, points);
}

test('the explorer narrows the list by label values the index suggests, and pages through it', async ({ page }) => {
  const name = `fleet${Date.now()}`;
  await writeFleet(page, name);
  await page.goto(`/explore?q=${name}`);
  const results = page.getByRole('list', { name: 'Series' });
  await expect(results.getByRole('link')).toHaveCount(100);
  await page.getByRole('link', { name: 'Next page' }).click();
  await expect(results.getByRole('link')).toHaveCount(2 * DEVICES - 100);
  await expect(page.getByRole('link', { name: 'Next page' })).toHaveCount(0);
  await page.getByRole('link', { name: 'First page' }).click();
  await expect(results.getByRole('link')).toHaveCount(100);
  await expect(page.getByRole('combobox', { name: 'Label' })).toBeEnabled();
  await page.getByRole('combobox', { name: 'Label' }).selectOption('site');
  const values = page.getByRole('list', { name: 'Label values' });
  await values.getByRole('button', { name: /^s1 \(\d+ series\)$/ }).click();
  await expect(page).toHaveURL(/select=%7Bsite%3D%22s1%22%7D/);
  await expect(page.getByLabel('Filter by labels')).toHaveValue('{site="s1"}');
  await expect(results.getByRole('link')).toHaveCount(2 * (DEVICES / SITES));
  for (const key of await results.locator('.result-key').allTextContents()) {
    expect(key).toContain('site="s1"');
  }
  await page.getByLabel('Filter by labels').fill(`${name}.rpm{site=~"s[01]"}`);
  await page.getByLabel('Filter by labels').press('Enter');
  await expect(results.getByRole('link')).toHaveCount((DEVICES / SITES) * 2); // one field, two sites
  await page.getByRole('button', { name: 'Clear filter' }).click();
  await expect(results.getByRole('link')).toHaveCount(100);
});

test('a panel over a selector draws a line per group, or the top lines and how many more', async ({ page }) => {
  const name = `fleet${Date.now()}`;
  await writeFleet(page, name);
  await signIn(page, '/new');
  await expect(page.getByLabel('Dashboard title')).toBeEnabled();
  await page.getByLabel('Dashboard title').fill(`Fleet ${name}`);

  await page.getByRole('button', { name: 'Add panel' }).click();
  const first = page.getByRole('group', { name: 'Panel 1' });
  await first.getByLabel('Panel title').fill('Temperature by site');
  // Built with the pickers: the name, then a filter, as suggested.
  await first.getByLabel('Series name').fill(`${name}.temp`);
  await first.getByRole('button', { name: 'Use name' }).click();
  await first.getByLabel('Label', { exact: true }).fill('device');
  await first.getByLabel('Value', { exact: true }).fill('d0');
  // d00 … d09: the values starting with what is typed.
  await expect(first.locator('datalist[id^="values-options"] option')).toHaveCount(10);
  await first.getByLabel('Label', { exact: true }).fill('site');
  await first.getByLabel('Value', { exact: true }).fill('s0');
  await first.getByRole('button', { name: 'Add filter' }).click();
  await expect(first.getByLabel('Selector')).toHaveValue(`${name}.temp{site="s0"}`);
  // Then the whole fleet, averaged per site.
  await first.getByLabel('Selector').fill(`${name}.temp`);
  await first.getByLabel('Combine').selectOption('avg');
  await first.getByLabel('Group by').fill('site');

  await page.getByRole('button', { name: 'Add panel' }).click();
  const second = page.getByRole('group', { name: 'Panel 2' });
  await second.getByLabel('Panel title').fill('Hottest engines');
  await second.getByLabel('Selector').fill(`${name}.rpm`);
  await second.getByLabel('Lines', { exact: true }).fill('5');
  await page.getByRole('button', { name: 'Save dashboard' }).click();
  await expect(page).toHaveURL(/\/\?d=\d+$/);

  const bySite = panel(page, 'Temperature by site');
  await expect(bySite.getByRole('table', { name: 'Legend' }).getByRole('rowheader')).toHaveCount(SITES);
  await expect(bySite.getByRole('table', { name: 'Legend' })).toContainText('site=s2');
  await expect(bySite.locator('.panel-foot')).toContainText(`3 lines of ${DEVICES} series`);
  await expect.poll(() => inkedPixels(bySite.getByRole('img'))).toBeGreaterThan(2_000);

  const top = panel(page, 'Hottest engines');
  await expect(top.getByRole('table', { name: 'Legend' }).getByRole('rowheader')).toHaveCount(5);
  await expect(top.locator('.panel-foot')).toContainText(`5 lines of ${DEVICES} series · ${DEVICES - 5} more not drawn`);
  // The highest device numbers run hottest: d11 leads the legend.
  await expect(top.getByRole('table', { name: 'Legend' }).getByRole('rowheader').first()).toContainText(
    `device="d${DEVICES - 1}"`,
  );
  await page.screenshot({ path: test.info().outputPath('fleet-dashboard.png'), fullPage: true });
});
