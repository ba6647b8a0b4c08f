import { expect, test } from '@playwright/test';
import { inkedPixels, panel, signIn, token } from './helpers';

test('a dashboard made in the editor is stored, survives a reload, and can be edited and deleted', async ({ page }) => {
  // Tokens exist, so editing needs a person signed in with one.
  await signIn(page, '/');
  await page.getByRole('link', { name: 'New dashboard' }).click();
  await expect(page.getByRole('heading', { name: 'New dashboard' })).toBeVisible();
  // Fields take input once the page is live (disabled until then).
  await expect(page.getByLabel('Dashboard title')).toBeEnabled();
  await page.getByLabel('Dashboard title').fill('Plant floor');

  await page.getByRole('button', { name: 'Add panel' }).click();
  const first = page.getByRole('group', { name: 'Panel 1' });
  await first.getByLabel('Panel title').fill('Power and vibration');
  await first.getByLabel('Add series').fill('demo.power');
  await first.getByRole('button', { name: 'Add', exact: true }).click();
  await first.getByLabel('Add series').fill('demo.vibration');
  await first.getByLabel('Add series').press('Enter');
  await expect(first.getByRole('group', { name: 'Series of panel 1' })).toContainText('demo.vibration');
  await first.getByLabel('Warn at').fill('700');

  await page.getByRole('button', { name: 'Add panel' }).click();
  const second = page.getByRole('group', { name: 'Panel 2' });
  await second.getByLabel('Add series').fill('demo.pressure');
  await second.getByLabel('Add series').press('Enter');
  await second.getByLabel('Critical at').fill('not a number');
  await page.getByRole('button', { name: 'Save dashboard' }).click();
  await expect(page.getByRole('alert')).toHaveText('panel 2: crit threshold `not a number` is not a number');
  await second.getByLabel('Critical at').fill('3');
  await second.getByRole('button', { name: 'Move up' }).click();
  await expect(page.getByRole('group', { name: 'Panel 1' }).getByLabel('Panel title')).toHaveValue('');

  await page.getByRole('button', { name: 'Save dashboard' }).click();
  await expect(page).toHaveURL(/\/\?d=\d+$/);
  const id = new URL(page.url()).searchParams.get('d');
  const titles = page.getByRole('heading', { level: 2 });
  await expect(titles).toHaveText(['demo.pressure', 'Power and vibration']);
  await expect.poll(() => inkedPixels(panel(page, 'Power and vibration').getByRole('img'))).toBeGreaterThan(2_000);

  await page.reload();
  await expect(titles).toHaveText(['demo.pressure', 'Power and vibration']);
  await expect(page.getByRole('combobox', { name: 'Dashboard' })).toHaveValue(id!);

  await page.getByRole('link', { name: 'Edit dashboard' }).click();
  await expect(page).toHaveURL(new RegExp(`/d/${id}/edit$`));
  await expect(page.getByLabel('Dashboard title')).toBeEnabled();
  await expect(page.getByRole('group', { name: 'Panel 2' }).getByLabel('Warn at')).toHaveValue('700');
  await page.getByRole('group', { name: 'Panel 2' }).getByRole('button', { name: 'Remove demo.vibration' }).click();
  await page.getByLabel('Dashboard title').fill('Plant floor, north');
  await page.getByRole('button', { name: 'Save dashboard' }).click();
  await expect(page.getByRole('combobox', { name: 'Dashboard' }).locator('option:checked')).toHaveText('Plant floor, north');
  await expect(panel(page, 'Power and vibration').getByRole('table', { name: 'Legend' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Edit dashboard' }).click();
  await page.getByRole('button', { name: 'Delete dashboard' }).click();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page).toHaveURL(/\/$/);
  const res = await page.request.get(`/api/v1/dashboards/${id}`);
  expect(res.status()).toBe(404);
  await expect(page.getByRole('combobox', { name: 'Dashboard' }).getByRole('option', { name: 'Plant floor, north' })).toHaveCount(0);
});

test('an edit refused for want of a token links to the sign-in page and back', async ({ page }) => {
  await page.goto('/new');
  await expect(page.getByLabel('Dashboard title')).toBeEnabled();
  await page.getByLabel('Dashboard title').fill('Not yet');
  await page.getByRole('button', { name: 'Save dashboard' }).click();
  await expect(page.getByRole('alert')).toContainText('token');
  await page.getByRole('link', { name: 'Sign in to edit' }).click();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fnew$/);
  await page.getByLabel('Token').fill(token('admin'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/new$/);
  // Signed in, the page offers to sign out.
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
});

test('Cancel asks before dropping changes, and leaves at once when there are none', async ({ page }) => {
  await page.goto('/new');
  await expect(page.getByLabel('Dashboard title')).toBeEnabled();
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(/\/$/);

  await page.goto('/new');
  await expect(page.getByLabel('Dashboard title')).toBeEnabled();
  await page.getByRole('button', { name: 'Add panel' }).click();
  const first = page.getByRole('group', { name: 'Panel 1', exact: true });
  await first.getByLabel('Add series').fill('e2e.not.there');
  await first.getByLabel('Add series').press('Enter');
  // The note names the key as code, without markdown's backticks.
  const note = first.getByText(/^No series .* yet/);
  await expect(note.locator('code')).toHaveText('e2e.not.there');
  await expect(note).not.toContainText('`');

  // The browser's own dialog asks; refusing keeps the form as it was.
  const asked: string[] = [];
  page.once('dialog', (d) => {
    asked.push(d.message());
    void d.dismiss();
  });
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect.poll(() => asked).toEqual(['Discard your changes?']);
  await expect(page).toHaveURL(/\/new$/);
  await expect(first.getByRole('group', { name: 'Series of panel 1' })).toContainText('e2e.not.there');
  page.once('dialog', (d) => void d.accept());
  await page.getByRole('link', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(/\/$/);
});
