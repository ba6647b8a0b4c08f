import { defineConfig } from '@playwright/test';
import * as path from 'node:path';

// Starts the real binary (built by scripts/test.sh) on a fresh database with
// two hours of demo history, and drives Debian's Chromium against it; no
// browser is ever downloaded.
const root = path.resolve(__dirname, '..');
const port = Number(process.env.E2E_PORT ?? 3107);
const bin = process.env.SENSORBOARD_BIN ?? path.join(root, 'target/debug/sensorboard');
const dataDir = path.join(root, 'target/e2e-data');
// Hold the tests' tokens; read by tests/helpers.ts.
const tokenFile = path.join(root, 'target/e2e-token');
const readTokenFile = path.join(root, 'target/e2e-read-token');
const lockedPort = port + 2;
const lockedDir = path.join(root, 'target/e2e-locked-data');
const site = path.join(root, 'target/site');
const quietServer = { reuseExistingServer: false, timeout: 60_000, stdout: 'ignore' as const, stderr: 'pipe' as const };

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
    // Requests stay visible to page.route and the request counters; the
    // offline tests (pwa.spec.ts) allow the service worker.
    serviceWorkers: 'block',
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
  webServer: [
    {
      // A fresh database with an admin token for the tests' own writes
      // (tokenFile), then the server on it.
      command: `rm -rf '${dataDir}' && '${bin}' --data-dir '${dataDir}' token create --name e2e --scope admin > '${tokenFile}' && exec '${bin}' --bind 127.0.0.1:${port} --data-dir '${dataDir}' --site-root '${site}' --demo --demo-backfill-hours 2`,
      url: `http://127.0.0.1:${port}/ready`,
      ...quietServer,
    },
    {
      // A second server whose reads need a token (tests/sign-in.spec.ts),
      // with a read token in readTokenFile.
      command: `rm -rf '${lockedDir}' && '${bin}' --data-dir '${lockedDir}' token create --name reader --scope read > '${readTokenFile}' && exec '${bin}' --bind 127.0.0.1:${lockedPort} --data-dir '${lockedDir}' --site-root '${site}' --demo --demo-backfill-hours 1 --read-access token`,
      url: `http://127.0.0.1:${lockedPort}/ready`,
      ...quietServer,
    },
  ],
});
