// The "context lost" story on live data: the demo's lost async flow (fixtures/demo/demo-async-lost.jsonl,
// recorded from the demo services) arrives through the OTLP receiver as separate traces, under fresh
// trace ids so that runs do not mix with each other or with the seeded demo file. Opened from the store
// one trace at a time, the Links tab's finder asks the server for the traces carrying this trace's
// context and for the same job.id inside the join window, fetches them and says what it searched.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { FIXTURES } from './helpers.ts';

const JOBS_API = '6b023d09000000006d66389d2bfdeb6a'; // POST /jobs, job.id 4
const PUBLISHER = '3b2bad6e2165322b47c0c8bb4ac1b058'; // keeps each request's traceparent in outbox.trace_headers
const WORKER = '0431f0363346d07121bcea2d1e1ebc19'; // processes job.id 4, no context
const THREE_WEEKS_NS = 21n * 86_400n * 1_000_000_000n;

/** Every trace id of the file gets a fresh 8-digit prefix, in ids and in stored headers alike. */
function renamed(text: string, prefixes: Map<string, string>): string {
  let out = text;
  for (const [from, to] of prefixes) out = out.replaceAll(from, to);
  return out;
}

function shiftedLater(line: string, ns: bigint): string {
  return line.replace(/"(startTimeUnixNano|endTimeUnixNano|timeUnixNano)":"(\d+)"/g, (_, key: string, value: string) => `"${key}":"${BigInt(value) + ns}"`);
}

async function post(request: APIRequestContext, line: string) {
  const res = await request.post('/v1/traces', { data: line, headers: { 'content-type': 'application/json' } });
  expect(res.status()).toBe(200);
}

test('a trace opened from the store finds its lost async flow through the server, and says what it searched', async ({ page, request }) => {
  test.setTimeout(90_000);
  const lines = readFileSync(join(FIXTURES, 'demo', 'demo-async-lost.jsonl'), 'utf8').split('\n').filter(Boolean);
  const prefixes = new Map([...new Set(lines.flatMap((l) => [...l.matchAll(/"traceId":"([0-9a-f]{8})/g)].map((m) => m[1])))].map((p) => [p, randomBytes(4).toString('hex')]));
  const idOf = (id: string) => renamed(id, prefixes);
  for (const line of lines) await post(request, renamed(line, prefixes));
  // The same job id three weeks later: the worker's trace again, under other ids.
  const laterPrefix = randomBytes(4).toString('hex');
  const laterWorker = laterPrefix + WORKER.slice(8);
  for (const line of lines.filter((l) => l.includes(WORKER))) await post(request, shiftedLater(line.replaceAll(WORKER.slice(0, 8), laterPrefix), THREE_WEEKS_NS));

  // Received traces are searchable once they have been quiet (4 s in the e2e config) and indexed.
  const startMs = 1795308809423;
  await expect
    .poll(async () => (await (await request.get(`/api/backends/local/traces/${idOf(JOBS_API)}/context-carriers?start=${startMs - 3_600_000}&end=${startMs + 3_600_000}`)).json()).traceIds, { timeout: 30_000 })
    .toEqual([idOf(PUBLISHER)]);

  await page.goto(`/?backend=local&trace=${idOf(JOBS_API)}&tab=links`);
  await expect(page.getByTestId('linked-trace-node')).toHaveCount(1);
  await page.getByTestId('links-stored-context').check();
  const report = page.getByTestId('links-finder-report');
  await expect(report).toContainText(`Searched local for traces carrying trace id ${idOf(JOBS_API)} in stored attributes between 2026-11-21 23:53:29 UTC and 2026-11-22 01:53:29 UTC (±1h): found 1`);
  await expect(report).toContainText('Fetched 1 trace not loaded yet');
  await expect(page.locator(`[data-testid=linked-trace-node][data-trace="${idOf(PUBLISHER)}"]`)).toBeVisible();
  await expect(page.getByTestId('linked-traces-edge-inferred')).toHaveCount(1);

  // job.id = 4 within ±1h: the publisher and the worker of this flow, not the worker three weeks later.
  await page.getByTestId('links-business-key').selectOption('job.id');
  await expect(report).toContainText(/Searched local for traces with job\.id = 4 between 2026-11-21 23:53:29 UTC and 2026-11-22 01:53:29 UTC \(±1h\): found [1-9]/);
  await expect(page.locator(`[data-testid=linked-trace-node][data-trace="${idOf(WORKER)}"]`)).toBeVisible();
  await expect(page.locator(`[data-testid=linked-trace-node][data-trace="${laterWorker}"]`)).toHaveCount(0);

  // Widening the window to 30 days (shown, and in the URL) chains the later job too.
  await page.getByTestId('links-window').fill('30d');
  await page.getByTestId('links-window').press('Enter');
  await expect(page).toHaveURL(/[?&]win=30d/);
  await expect(report).toContainText('(±30d)');
  await expect(page.locator(`[data-testid=linked-trace-node][data-trace="${laterWorker}"]`)).toBeVisible();
});
