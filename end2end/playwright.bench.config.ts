import { defineConfig } from '@playwright/test';
import base from './playwright.config';
import * as path from 'node:path';

// The UI benchmark (not part of the test suite): the same real binary and
// Chromium, with six hours of demo history so a 6-hour chart holds over
// 10,000 points. Prints its figures; see docs/BENCHMARKS.md.
const root = path.resolve(__dirname, '..');
const port = Number(process.env.E2E_PORT ?? 3108);
const bin = process.env.SENSORBOARD_BIN ?? path.join(root, 'target/release/sensorboard');
const dataDir = path.join(root, 'target/bench-data');

export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '**/*.bench.ts',
  timeout: 300_000,
  use: { ...base.use, baseURL: `http://127.0.0.1:${port}` },
  webServer: {
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    command: `rm -rf '${dataDir}' && '${bin}' --bind 127.0.0.1:${port} --data-dir '${dataDir}' --site-root '${path.join(root, 'target/site')}' --demo --demo-backfill-hours 6`,
    url: `http://127.0.0.1:${port}/ready`,
  },
});
