import { expect, type Locator, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A token playwright.config.ts made before starting its servers. */
export function token(which: 'admin' | 'read'): string {
  const file = which === 'admin' ? 'e2e-token' : 'e2e-read-token';
  return fs.readFileSync(path.resolve(__dirname, '../../target', file), 'utf8').trim();
}

/** The admin token, as a request header. */
export function authHeaders(): Record<string, string> {
  return { Authorization: `Bearer ${token('admin')}` };
}

/**
 * Signs the browser in on the sign-in page with the admin token, as a
 * person does once a token exists and edits need one; lands on `next`.
 */
export async function signIn(page: Page, next = '/') {
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Token').fill(token('admin'));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(next);
}

/** The port of the server the tests run against (see playwright.config.ts). */
export const port = Number(process.env.E2E_PORT ?? 3107);

/** The server whose reads need a token (see playwright.config.ts). */
export const lockedOrigin = `http://127.0.0.1:${port + 2}`;

/** Pixels of the canvas that differ from its top-left (background) pixel. */
export async function inkedPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((el: HTMLCanvasElement) => {
    if (el.width === 0 || el.height === 0) return 0;
    const ctx = el.getContext('2d');
    if (!ctx) return 0;
    const { data } = ctx.getImageData(0, 0, el.width, el.height);
    let inked = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) inked++;
    }
    return inked;
  });
}

/** Pixels of the canvas within a small distance of colour `rgb`. */
export async function pixelsOf(canvas: Locator, rgb: [number, number, number]): Promise<number> {
  return canvas.evaluate((el: HTMLCanvasElement, [r, g, b]) => {
    const ctx = el.getContext('2d');
    if (!ctx || el.width === 0) return 0;
    const { data } = ctx.getImageData(0, 0, el.width, el.height);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) < 30) n++;
    }
    return n;
  }, rgb);
}

export function panel(page: Page, name: string): Locator {
  return page.getByRole('article', { name, exact: true });
}

export async function write(page: Page, points: object[]) {
  const res = await page.request.post('/api/v1/write', { data: { points }, headers: authHeaders() });
  expect(res.status(), await res.text()).toBe(200);
}

/**
 * Creates a dashboard through the REST API and returns its id. The list
 * is read first: the server makes its default dashboard (the one `/`
 * shows, from the demo series) on the first list, so it stays the first.
 */
export async function createDashboard(page: Pick<Page, 'request'>, draft: object): Promise<number> {
  await page.request.get('/api/v1/dashboards', { headers: authHeaders() });
  const res = await page.request.post('/api/v1/dashboards', { data: draft, headers: authHeaders() });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).id;
}
