import { defineConfig } from '@playwright/test';
import * as path from 'node:path';

// Starts the real binary (built by scripts/test.sh) on a fresh database with
// two hours of demo history, and drives Debian's Chromium against it; no
// browser is ever downloaded.
const root = path.resolve(__dirname, '..');
const port = Number(process.env.E2E_PORT ?? 3107);
const bin = process.env.SENSORBOARD_BIN ?? path.join(root, 'target/debug/sensorboard');
const dataDir = path.join(root, 'target/e2e-data');

export default defineConfig({
  testDir: './tests',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1280, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: `rm -rf '${dataDir}' && '${bin}' --bind 127.0.0.1:${port} --data-dir '${dataDir}' --site-root '${path.join(root, 'target/site')}' --demo --demo-backfill-hours 2`,
    url: `http://127.0.0.1:${port}/ready`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
