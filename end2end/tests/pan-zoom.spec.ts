import { expect, test, type Page } from '@playwright/test';
import { createDashboard, inkedPixels, panel } from './helpers';

/** The zoomed window the URL holds, epoch ms. */
function windowOf(page: Page): { from: number; to: number } {
  const url = new URL(page.url());
  return { from: Number(url.searchParams.get('from')), to: Number(url.searchParams.get('to')) };
}

const HOUR = 3_600_000;

test('keys, Shift-drag, Ctrl-wheel and Zoom out move the window; a focused chart reads values with the arrows', async ({
  page,
}) => {
  const id = await createDashboard(page, { title: 'Pan and zoom', panels: [{ title: 'demo.power', series: ['demo.power'] }] });
  await page.goto(`/?d=${id}&range=1h`);
  const power = panel(page, 'demo.power');
  const chart = power.getByRole('img');
  await expect.poll(() => inkedPixels(chart)).toBeGreaterThan(2_000);

  // The keyboard reading of a focused chart.
  const area = power.getByTitle(/Drag to zoom/);
  await area.focus();
  await page.keyboard.press('ArrowRight');
  await expect(power.getByRole('tooltip')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(power.getByRole('tooltip')).toBeHidden();

  // "-" on the chart: one and a half times the hour, around the middle.
  await page.keyboard.press('-');
  await expect(page).toHaveURL(/from=\d+&to=\d+/);
  let w = windowOf(page);
  expect(Math.abs(w.to - w.from - 1.5 * HOUR)).toBeLessThan(1_000);

  // t then ←: half a window back.
  await area.blur();
  let before = windowOf(page);
  await page.keyboard.press('t');
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => windowOf(page).from).toBe(before.from - (before.to - before.from) / 2);
  await expect(page).toHaveURL(new RegExp(`d=${id}`));

  // Shift-drag from the middle to the left: later times.
  before = windowOf(page);
  await expect.poll(() => inkedPixels(chart)).toBeGreaterThan(2_000);
  const box = (await chart.boundingBox())!;
  const y = box.y + box.height / 2;
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + box.width * 0.6, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.4, y, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect.poll(() => windowOf(page).from).toBeGreaterThan(before.from);
  w = windowOf(page);
  expect(Math.abs(w.to - w.from - (before.to - before.from))).toBeLessThan(2);

  // Ctrl-wheel up zooms in around the pointer.
  before = windowOf(page);
  await page.mouse.move(box.x + box.width * 0.5, y);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, -100);
  await page.keyboard.up('Control');
  await expect.poll(() => windowOf(page).to - windowOf(page).from).toBeLessThan(before.to - before.from);

  // Zoom out doubles the window.
  before = windowOf(page);
  await page.getByRole('button', { name: 'Zoom out' }).click();
  await expect
    .poll(() => windowOf(page).to - windowOf(page).from)
    .toBe(2 * (before.to - before.from));
});

test('unlinked, a drag zooms only that panel; Reset panel zoom brings it back', async ({ page }) => {
  const id = await createDashboard(page, {
    title: 'Own zoom',
    panels: [
      { title: 'A', series: ['demo.power'] },
      { title: 'B', series: ['demo.temperature'] },
    ],
  });
  await page.goto(`/?d=${id}&range=1h&link=off`);
  const a = panel(page, 'A').getByRole('img');
  await expect.poll(() => inkedPixels(a)).toBeGreaterThan(2_000);
  const box = (await a.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(a).toHaveAttribute('aria-label', /Chart of A, .* to /);
  await expect(panel(page, 'B').getByRole('img')).toHaveAttribute('aria-label', 'Chart of B, last hour');
  expect(page.url()).not.toContain('from=');
  await expect.poll(() => inkedPixels(a)).toBeGreaterThan(2_000);
  await panel(page, 'A').getByRole('button', { name: 'Reset panel zoom' }).click();
  await expect(a).toHaveAttribute('aria-label', 'Chart of A, last hour');
  await expect(panel(page, 'A').getByRole('button', { name: 'Reset panel zoom' })).toHaveCount(0);
});

test('two fingers pinching apart zoom in around them', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true });
  const page = await context.newPage();
  const id = await createDashboard(page, { title: 'Pinch', panels: [{ title: 'Power', series: ['demo.power'] }] });
  await page.goto(`/?d=${id}&range=1h`);
  const chart = panel(page, 'Power').getByRole('img');
  await expect.poll(() => inkedPixels(chart)).toBeGreaterThan(2_000);
  await panel(page, 'Power').getByTitle(/Drag to zoom/).evaluate((wrap: HTMLElement) => {
    const box = wrap.getBoundingClientRect();
    const y = box.top + box.height / 2;
    const at = (f: number) => box.left + 56 + (box.width - 70) * f;
    const send = (type: string, pointerId: number, f: number) =>
      wrap.dispatchEvent(new PointerEvent(type, { pointerId, pointerType: 'touch', clientX: at(f), clientY: y, bubbles: true, isPrimary: pointerId === 1 }));
    send('pointerdown', 1, 0.4);
    send('pointerdown', 2, 0.6);
    send('pointermove', 1, 0.2);
    send('pointermove', 2, 0.8);
    send('pointerup', 1, 0.2);
    send('pointerup', 2, 0.8);
  });
  await expect(page).toHaveURL(/from=\d+&to=\d+/);
  const w = windowOf(page);
  // Fingers three times as far apart: a third of the hour.
  expect(Math.abs(w.to - w.from - HOUR / 3)).toBeLessThan(60_000);
  await context.close();
});
