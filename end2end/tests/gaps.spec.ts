import { expect, test, type Locator } from '@playwright/test';
import { authHeaders, createDashboard, panel } from './helpers';

// A line must break where data is missing and nowhere else, at any pixel
// density: min-max answers place two points per bucket wherever the
// extremes fall, so a line of step-shaped data must not turn into dashes.

const HOUR = 3_600_000;
const now = Date.now();
const start = Math.floor((now - 12 * HOUR) / 1000);
const end = Math.floor(now / 1000);
/** An hour without points in the sparse series, three hours ago. */
const hole = [now - 3.5 * HOUR, now - 2.5 * HOUR];
let dashboard = 0;

test.beforeAll(async ({ request }) => {
  const step: string[] = [];
  const noisy: string[] = [];
  for (let s = start; s <= end; s++) {
    const level = Math.floor(s / 1200) % 5;
    step.push(`e2e_gaps step=${(2 + level * 0.05 + ((s * 7919) % 13) * 1e-4).toFixed(5)} ${s}`);
    noisy.push(`e2e_gaps noisy=${(20 + 5 * Math.sin(s / 900) + ((s * 104729) % 17) / 4).toFixed(3)} ${s}`);
  }
  const sparse: string[] = [];
  for (let s = start; s <= end; s += 300) {
    if (s * 1000 < hole[0] || s * 1000 >= hole[1]) sparse.push(`e2e_gaps sparse=${(3 + Math.sin(s / 7200)).toFixed(3)} ${s}`);
  }
  for (const lines of [step, noisy, sparse]) {
    const res = await request.post('/write?precision=s', { data: lines.join('\n'), headers: authHeaders() });
    expect(res.status(), await res.text()).toBe(204);
  }
  dashboard = await createDashboard({ request }, {
    title: 'Gaps',
    panels: ['step', 'noisy', 'sparse'].map((f) => ({ title: `e2e ${f}`, series: [`e2e_gaps.${f}`] })),
  });
});

/**
 * The pieces the first series' line is drawn in: groups of touching
 * pixels of its colour, each with its leftmost and rightmost column
 * (device pixels), left to right.
 */
async function pieces(chart: Locator): Promise<[number, number][]> {
  return chart.evaluate((el: HTMLCanvasElement) => {
    const { data, width, height } = el.getContext('2d')!.getImageData(0, 0, el.width, el.height);
    const ink = new Uint8Array(width * height);
    for (let p = 0; p < width * height; p++) {
      const i = p * 4;
      ink[p] = Math.abs(data[i] - 37) + Math.abs(data[i + 1] - 99) + Math.abs(data[i + 2] - 235) < 60 ? 1 : 0;
    }
    const found: [number, number][] = [];
    for (let start = 0; start < ink.length; start++) {
      if (ink[start] !== 1) continue;
      let [lo, hi] = [width, 0];
      const stack = [start];
      ink[start] = 2;
      while (stack.length) {
        const p = stack.pop()!;
        const [x, y] = [p % width, Math.floor(p / width)];
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const [nx, ny] = [x + dx, y + dy];
            if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
            const q = ny * width + nx;
            if (ink[q] === 1) {
              ink[q] = 2;
              stack.push(q);
            }
          }
        }
      }
      found.push([lo, hi]);
    }
    return found.sort((a, b) => a[0] - b[0]);
  });
}

for (const dpr of [1, 2]) {
  test.describe(`at device pixel ratio ${dpr}`, () => {
    test.use({ deviceScaleFactor: dpr });

    for (const range of ['24h', '6h']) {
      test(`${range}: step and noisy lines are unbroken, the sparse one breaks once at its missing hour`, async ({
        page,
      }) => {
        await page.goto(`/?d=${dashboard}&range=${range}`);
        for (const name of ['e2e step', 'e2e noisy']) {
          const chart = panel(page, name).getByRole('img');
          await expect.poll(async () => (await pieces(chart)).length, { message: name }).toBeGreaterThan(0);
          expect(await pieces(chart), `${name} at ${range}: one unbroken line`).toHaveLength(1);
        }
        const sparse = panel(page, 'e2e sparse').getByRole('img');
        await expect.poll(async () => (await pieces(sparse)).length).toBeGreaterThan(0);
        const drawn = await pieces(sparse);
        expect(drawn, `sparse at ${range}: broken once`).toHaveLength(2);
        // The break is about an hour of the drawn span wide.
        const perHour = (drawn[1][1] - drawn[0][0]) / (range === '24h' ? 12 : 6);
        const gap = drawn[1][0] - drawn[0][1];
        expect(gap).toBeGreaterThan(perHour * 0.7);
        expect(gap).toBeLessThan(perHour * 1.5);
      });
    }
  });
}
