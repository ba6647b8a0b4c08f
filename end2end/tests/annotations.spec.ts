import { expect, test } from '@playwright/test';
import { type Locator } from '@playwright/test';
import { createDashboard, inkedPixels, panel, pixelsOf, signIn, write } from './helpers';

/** A shaded range: the light theme's note colour (147, 51, 234) at 14% over the white chart. */
const NOTE_BAND: [number, number, number] = [240, 226, 252];

/** Pixels of a note's hairline: purple, however much anti-aliasing lightened it. */
async function hairlinePixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((el: HTMLCanvasElement) => {
    const { data } = el.getContext('2d')!.getImageData(0, 0, el.width, el.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] - data[i + 1] > 40 && data[i + 2] - data[i + 1] > 60) n++;
    }
    return n;
  });
}

test('Ctrl-click notes an instant, Ctrl-drag a range; every panel draws them, the readout names them, the list deletes them', async ({
  page,
}) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const now = Date.now();
  const points = [];
  for (let i = 60; i >= 0; i--) points.push({ series: 'e2e.note.level', t: now - i * 60_000, v: 10 + (i % 7) });
  await write(page, points);
  const id = await createDashboard(page, {
    title: 'Annotated',
    panels: [
      { title: 'Level', series: ['e2e.note.level'], width: 6 },
      { title: 'Level again', series: ['e2e.note.level'], width: 6 },
    ],
  });
  await signIn(page, `/?d=${id}&range=1h&refresh=off`);
  const level = panel(page, 'Level');
  const chart = level.getByRole('img');
  await expect.poll(() => pixelsOf(chart, [37, 99, 235])).toBeGreaterThan(200);
  const box = (await chart.boundingBox())!;
  const y = box.y + box.height / 2;

  // Ctrl-click: an instant, written in the form that opens.
  await page.keyboard.down('Control');
  await page.mouse.click(box.x + box.width * 0.4, y);
  await page.keyboard.up('Control');
  const form = page.getByRole('form', { name: 'New annotation' });
  await expect(form).toBeVisible();
  await form.getByLabel('Note').fill('valve replaced');
  await form.getByLabel('Tags').fill('maintenance');
  await form.getByRole('button', { name: 'Save note' }).click();
  await expect(form).toBeHidden();
  await expect.poll(() => hairlinePixels(chart)).toBeGreaterThan(30);

  // Ctrl-drag: a range.
  await page.keyboard.down('Control');
  await page.mouse.move(box.x + box.width * 0.6, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.8, y, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Control');
  await expect(form).toContainText('–');
  await form.getByLabel('Note').fill('cleaning run');
  await form.getByRole('button', { name: 'Save note' }).click();
  await expect(form).toBeHidden();
  await expect(page).not.toHaveURL(/from=/);

  const other = panel(page, 'Level again').getByRole('img');
  for (const c of [chart, other]) {
    await expect.poll(() => hairlinePixels(c)).toBeGreaterThan(60);
    await expect.poll(() => pixelsOf(c, NOTE_BAND)).toBeGreaterThan(1_000);
  }

  // Hovering the range names it in the readout.
  await page.mouse.move(box.x + box.width * 0.7, y);
  await expect(level.getByRole('tooltip')).toContainText('cleaning run');

  // Stored on the server: a fresh page shows both, listed by time.
  await page.reload();
  const list = page.getByRole('list', { name: 'Annotations' });
  await page.getByText('Annotations (2)').click();
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list.getByRole('listitem').first()).toContainText('valve replaced');
  await expect(list.getByRole('listitem').first()).toContainText('[maintenance]');
  await expect.poll(() => pixelsOf(chart, NOTE_BAND)).toBeGreaterThan(1_000);

  const banded = await pixelsOf(chart, NOTE_BAND);
  await list.getByRole('button', { name: 'Delete note cleaning run' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  // What stays that pale is the other note's anti-aliased hairline.
  await expect.poll(() => pixelsOf(chart, NOTE_BAND)).toBeLessThan(banded / 4);
  expect(errors).toEqual([]);
});

test('A on a focused chart notes the instant it reads; Escape closes the form', async ({ page }) => {
  const id = await createDashboard(page, { title: 'Keyboard notes', panels: [{ title: 'Power', series: ['demo.power'] }] });
  await signIn(page, `/?d=${id}&range=1h&refresh=off`);
  const power = panel(page, 'Power');
  await expect.poll(() => inkedPixels(power.getByRole('img'))).toBeGreaterThan(2_000);
  await power.getByTitle(/Drag to zoom/).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('a');
  const form = page.getByRole('form', { name: 'New annotation' });
  await expect(form).toBeVisible();
  await form.getByLabel('Note').press('Escape');
  await expect(form).toBeHidden();
});
