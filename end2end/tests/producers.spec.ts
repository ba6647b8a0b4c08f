import { expect, test, type APIRequestContext } from '@playwright/test';
import { HttpError, InfluxDB as InfluxV2, Point, setLogger } from '@influxdata/influxdb-client';
import { InfluxDB as InfluxV1 } from 'influx';
import { port, token } from './helpers';

// Existing producers must work unchanged: these tests write with the
// InfluxDB client libraries as published, pointed at sensorboard instead of
// InfluxDB, and read the points back through sensorboard's own API.

const url = `http://127.0.0.1:${port}`;

/** Distinct measurement names per run: the server's database outlives a test. */
const run = `e2e_${Date.now().toString(36)}`;

async function rawPoints(request: APIRequestContext, key: string, from: number, to: number): Promise<[number, number][]> {
  const res = await request.get('/api/v1/query', {
    params: { series: key, from: String(from), to: String(to), agg: 'raw', points: '100000' },
  });
  expect(res.status(), await res.text()).toBe(200);
  return (await res.json()).points;
}

test('the official InfluxDB 2.x client writes gzipped batches to /api/v2/write', async ({ request }) => {
  const client = new InfluxV2({ url, token: token('admin') });
  // gzipThreshold 1: every request body is gzipped; no retries, so a refusal
  // surfaces at once instead of after the client's back-off.
  const writer = client.getWriteApi('any-org', 'any-bucket', 'ms', { gzipThreshold: 1, maxRetries: 0, batchSize: 500 });
  writer.useDefaultTags({ site: 'north' });
  const t0 = Date.now() - 3_600_000;
  for (let i = 0; i < 1200; i++) {
    writer.writePoint(
      new Point(`${run}_boiler`)
        .tag('room', 'a')
        .floatField('temp', 20 + i / 100)
        .intField('rpm', 1000 + i)
        .booleanField('on', i % 2 === 0)
        .timestamp(new Date(t0 + i * 1000)),
    );
  }
  await writer.close();

  const labels = '{room="a",site="north"}';
  // close() sends the last batch but does not wait for a batch the client
  // flushed on its own a moment earlier: its answer may still be on the way.
  await expect
    .poll(async () => (await rawPoints(request, `${run}_boiler.temp${labels}`, t0, t0 + 1_200_000)).length)
    .toBe(1200);
  const temp = await rawPoints(request, `${run}_boiler.temp${labels}`, t0, t0 + 1_200_000);
  expect(temp).toHaveLength(1200);
  expect(temp[0]).toEqual([t0, 20]);
  expect(temp[1199]).toEqual([t0 + 1_199_000, 20 + 1199 / 100]);
  const rpm = await rawPoints(request, `${run}_boiler.rpm${labels}`, t0, t0 + 1_200_000);
  expect(rpm[42]).toEqual([t0 + 42_000, 1042]);
  const on = await rawPoints(request, `${run}_boiler.on${labels}`, t0, t0 + 1_200_000);
  expect(on.slice(0, 2).map(([, v]) => v)).toEqual([1, 0]);
});

test('the official 2.x client sees a refused batch as an HTTP 400 naming the line, and nothing of it is stored', async ({ request }) => {
  // The refusal is expected: keep the client from printing it as an error.
  const logger = setLogger({ error: () => undefined, warn: () => undefined });
  const client = new InfluxV2({ url, token: token('admin') });
  const writer = client.getWriteApi('any-org', 'any-bucket', 's', { maxRetries: 0 });
  const t0 = Math.floor(Date.now() / 1000) - 600;
  writer.writeRecords([`${run}_mixed value=1 ${t0}`, `${run}_mixed value=2 ${t0 + 1}`, `${run}_mixed note="text" ${t0 + 2}`]);
  const failure = await writer.flush().then(
    () => null,
    (e: unknown) => e,
  );
  await writer.close().catch(() => undefined);
  setLogger(logger);
  expect(failure).toBeInstanceOf(HttpError);
  const http = failure as HttpError;
  expect(http.statusCode).toBe(400);
  expect(http.message).toContain('line 3');
  expect(http.message).toContain('note');
  const series = await request.get('/api/v1/series', { params: { q: `${run}_mixed` } });
  expect((await series.json()).series, 'nothing of the refused batch is stored').toEqual([]);
});

test('the InfluxDB 1.x client (node-influx) writes to /write with the token as password', async ({ request }) => {
  const influx = new InfluxV1({ host: '127.0.0.1', port, database: 'telemetry', username: 'telegraf', password: token('admin') });
  const t0 = Date.now() - 7_200_000;
  const points = Array.from({ length: 300 }, (_, i) => ({
    measurement: `${run}_cpu`,
    tags: { host: 'edge-1', cpu: 'cpu0' },
    fields: { usage_user: i / 10, usage_system: 1.5 },
    timestamp: new Date(t0 + i * 10_000),
  }));
  await influx.writePoints(points, { precision: 'ms' });

  const key = `${run}_cpu.usage_user{cpu="cpu0",host="edge-1"}`;
  const stored = await rawPoints(request, key, t0, t0 + 3_000_000);
  expect(stored).toHaveLength(300);
  expect(stored[299]).toEqual([t0 + 2_990_000, 29.9]);

  const series = await request.get('/api/v1/series', { params: { q: `${run}_cpu` } });
  const keys = ((await series.json()).series as { key: string }[]).map((s) => s.key).sort();
  expect(keys).toEqual([`${run}_cpu.usage_system{cpu="cpu0",host="edge-1"}`, key]);
});

test('the 1.x client is refused with 401 when its password is not a token', async () => {
  const influx = new InfluxV1({ host: '127.0.0.1', port, database: 'telemetry', username: 'telegraf', password: 'not-a-token' });
  const failure = await influx.writePoints([{ measurement: `${run}_denied`, fields: { v: 1 } }]).then(
    () => null,
    (e: Error) => e,
  );
  expect(failure?.message).toMatch(/401/);
});
