import { test, type Page } from '@playwright/test';
import { gzipSync } from 'node:zlib';

const BATCH = '/api/v1/query/batch';

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

function report(name: string, figures: object) {
  console.log(`${name}: ${JSON.stringify(figures)}`);
}

/**
 * Collects every `sensorboard:draw` measure the page records from now on.
 * Chromium records canvas commands and rasterises them later, so each
 * drawing is followed by a one-pixel read, which forces the raster; its
 * time is added to the drawing's.
 */
async function watchDraws(page: Page) {
  await page.evaluate(() => {
    (window as any).__draws = [];
    const canvas = document.querySelector('canvas') as HTMLCanvasElement;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const t = performance.now();
        canvas.getContext('2d')!.getImageData(0, 0, 1, 1);
        const raster = performance.now() - t;
        (window as any).__draws.push({ ms: e.duration + raster, commands: e.duration, raster });
      }
    }).observe({ entryTypes: ['measure'] });
  });
}

test('shipped wasm, JS and CSS, gzip', async ({ request }) => {
  const sizes: Record<string, number> = {};
  for (const file of ['sensorboard.wasm', 'sensorboard.js', 'sensorboard.css']) {
    const body = await (await request.get(`/pkg/${file}`)).body();
    sizes[file] = gzipSync(body, { level: 9 }).length;
  }
  const total = Object.values(sizes).reduce((a, b) => a + b, 0);
  report('bundle gzip bytes', { ...sizes, total, total_kib: +(total / 1024).toFixed(1) });
});

test('first chart drawn after navigation', async ({ browser }) => {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const page = await browser.newPage();
    await page.addInitScript(() => {
      new PerformanceObserver((list) => {
        const first = list.getEntries().find((e) => e.name === 'sensorboard:draw');
        if (first && !(window as any).__first) (window as any).__first = first.startTime + first.duration;
      }).observe({ entryTypes: ['measure'] });
    });
    await page.goto('/?refresh=off');
    await page.waitForFunction(() => (window as any).__first !== undefined);
    times.push(await page.evaluate(() => (window as any).__first as number));
    await page.close();
  }
  times.sort((a, b) => a - b);
  report('first chart drawn, ms after navigation start', { runs: times.length, p50: +quantile(times, 0.5).toFixed(1), min: +times[0].toFixed(1), max: +times[times.length - 1].toFixed(1) });
});

test('redraw of a 10,000-point chart', async ({ browser }) => {
  // A chart ~5,300 CSS px wide at 2 device pixels per CSS pixel asks for
  // ~10,600 points: the explorer's full-size chart on a wide window.
  const context = await browser.newContext({ viewport: { width: 5_800, height: 900 }, deviceScaleFactor: 2 });
  const page = await context.newPage();
  const drawnPoints: number[] = [];
  page.on('response', async (res) => {
    if (!res.url().endsWith(BATCH) || res.status() !== 200) return;
    const body = await res.json();
    drawnPoints.push(body.results.reduce((n: number, r: any) => n + (r.points?.length ?? 0), 0));
  });
  await page.goto('/explore?range=6h&refresh=250ms&series=demo.temperature');
  await page.waitForFunction(() => performance.getEntriesByName('sensorboard:draw').length > 0);
  await watchDraws(page);
  await page.waitForTimeout(15_000);
  const draws: { ms: number; commands: number; raster: number }[] = await page.evaluate(() => (window as any).__draws);
  const ms = draws.map((d) => d.ms).sort((a, b) => a - b);
  const commands = draws.map((d) => d.commands).sort((a, b) => a - b);
  const points = drawnPoints.slice(-5);
  report('redraw', {
    redraws: ms.length,
    points_per_chart: points,
    canvas_px: await page.getByRole('img').first().evaluate((c: HTMLCanvasElement) => `${c.width}x${c.height}`),
    commands_p50_ms: +quantile(commands, 0.5).toFixed(2),
    p50_ms: +quantile(ms, 0.5).toFixed(2),
    p95_ms: +quantile(ms, 0.95).toFixed(2),
    max_ms: +ms[ms.length - 1].toFixed(2),
  });
  await context.close();
});

/** A dashboard of 12 charts of the demo series, made through the API. */
async function twelvePanels(page: Page): Promise<number> {
  const series = ['demo.temperature', 'demo.vibration', 'demo.pressure', 'demo.humidity', 'demo.power'];
  const panels = Array.from({ length: 12 }, (_, i) => ({ title: `Panel ${i + 1}`, series: [series[i % series.length]], width: 4 }));
  const res = await page.request.post('/api/v1/dashboards', { data: { title: 'Twelve', panels } });
  if (res.status() !== 201) throw new Error(`dashboard: ${res.status()} ${await res.text()}`);
  return (await res.json()).id;
}

test('crosshair moved across 12 linked panels', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const id = await twelvePanels(page);
  await page.goto(`/?d=${id}&range=1h&refresh=off`);
  await page.waitForFunction(() => performance.getEntriesByName('sensorboard:draw').length > 0);
  await page.waitForFunction(() => document.querySelectorAll('canvas').length === 12);
  await page.waitForTimeout(1_000);
  // Each move: the pointer event, the reactive updates of all 12 charts'
  // crosshairs and readouts, then style and layout forced by reading the
  // last crosshair's box: the work of one frame, before paint.
  const result = await page.evaluate(async () => {
    const wrap = document.querySelector('.chart-wrap') as HTMLElement;
    const box = wrap.getBoundingClientRect();
    const times: number[] = [];
    let shown = 0;
    for (let i = 0; i < 200; i++) {
      const x = box.left + 70 + ((box.width - 90) * (i % 100)) / 100;
      const t0 = performance.now();
      wrap.dispatchEvent(new PointerEvent('pointermove', { clientX: x, clientY: box.top + box.height / 2, bubbles: true, pointerType: 'mouse', isPrimary: true }));
      await Promise.resolve();
      const crosshairs = document.querySelectorAll('.crosshair');
      crosshairs[crosshairs.length - 1]?.getBoundingClientRect();
      times.push(performance.now() - t0);
      shown = Math.max(shown, crosshairs.length);
      await new Promise(requestAnimationFrame);
    }
    return { times, shown };
  });
  const ms = result.times.sort((a, b) => a - b);
  report('crosshair across 12 linked panels', {
    moves: ms.length,
    crosshairs_shown: result.shown,
    p50_ms: +quantile(ms, 0.5).toFixed(2),
    p95_ms: +quantile(ms, 0.95).toFixed(2),
    max_ms: +ms[ms.length - 1].toFixed(2),
  });
  await page.close();
});

test('resize of a 12-panel dashboard', async ({ browser }) => {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const id = await twelvePanels(page);
  await page.goto(`/?d=${id}&range=1h&refresh=off`);
  await page.waitForFunction(() => document.querySelectorAll('canvas').length === 12);
  await page.waitForTimeout(1_000);
  const times: number[] = [];
  for (const width of [1500, 1100, 1700, 1300, 1920, 1200, 1600, 1400]) {
    // The page narrows as a window does; done when all 12 charts have
    // drawn again at their new size and the raster is read back.
    const ms = await page.evaluate(async (w) => {
      let drawn = 0;
      const done = new Promise<number>((resolve) => {
        const t0 = performance.now();
        new PerformanceObserver((list, obs) => {
          drawn += list.getEntries().filter((e) => e.name === 'sensorboard:draw').length;
          if (drawn >= 12) {
            for (const c of document.querySelectorAll('canvas')) c.getContext('2d')!.getImageData(0, 0, 1, 1);
            obs.disconnect();
            resolve(performance.now() - t0);
          }
        }).observe({ entryTypes: ['measure'] });
      });
      document.body.style.width = `${w}px`;
      return done;
    }, width);
    times.push(ms);
  }
  times.sort((a, b) => a - b);
  report('resize of 12 panels, all redrawn', { resizes: times.length, p50_ms: +quantile(times, 0.5).toFixed(1), max_ms: +times[times.length - 1].toFixed(1) });
  await page.close();
});
