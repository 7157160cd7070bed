import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SamplingDecisionJson, SamplingStreamLine } from '../../src/core/api/sampling-api.ts';
import { loadBytes } from '../../src/core/import/index.ts';
import type { TraceModel } from '../../src/core/model/trace-model.ts';
import { parseSamplingConfig } from '../../src/core/sampling/config.ts';
import { evaluateSampling } from '../../src/core/sampling/evaluate.ts';
import { parseHeadSampler, type HeadSampler } from '../../src/core/sampling/head-sampler.ts';
import { REFERENCE_CONFIG } from '../../src/core/sampling/reference-config.ts';
import { summarizeSampling, type SamplingSummary } from '../../src/core/sampling/summary.ts';
import { LiveTraces } from '../store/live-traces.ts';
import { storeTraceFile } from '../store/share-upload.ts';
import { makeTestServer, PROJECT_DIR, REAL_FIXTURES, type TestServer } from '../test-server.ts';

const DEMO_DIR = join(PROJECT_DIR, 'fixtures', 'demo');
const DEMO_FILES = readdirSync(DEMO_DIR).filter((f) => f.endsWith('.jsonl')).sort();
const HEAD = 'parentbased_traceidratio:0.1';

const servers: TestServer[] = [];
afterEach(async () => Promise.all(servers.splice(0).map((s) => s.close())));

/** A test server whose store holds the demo fixtures as seeded demo files (as seedDemoTraces stores them). */
async function seededServer(): Promise<TestServer> {
  const s = await makeTestServer();
  servers.push(s);
  for (const file of DEMO_FILES) await storeTraceFile(s.store, readFileSync(join(DEMO_DIR, file)), file, s.config.limits, 'demo');
  return s;
}

async function demoModels(): Promise<TraceModel[]> {
  const models: TraceModel[] = [];
  for (const file of DEMO_FILES) models.push(...(await loadBytes(readFileSync(join(DEMO_DIR, file)), { fileName: file })).traces);
  return models;
}

function evaluate(s: TestServer, body: unknown, contentType = 'application/json') {
  return s.app.inject({ method: 'POST', url: '/api/sampling/evaluate', headers: { 'content-type': contentType }, payload: typeof body === 'string' ? body : JSON.stringify(body) });
}

function streamLines(payload: string): SamplingStreamLine[] {
  expect(payload.endsWith('\n')).toBe(true);
  return payload.trimEnd().split('\n').map((line) => JSON.parse(line) as SamplingStreamLine);
}

function resultOf(lines: readonly SamplingStreamLine[]) {
  const last = lines.at(-1);
  if (last?.type !== 'result') throw new Error(`the stream ended with ${JSON.stringify(last)}`);
  return last;
}

/** The summary without the order-dependent part (which pairs are listed first follows the trace order). */
function comparable(summary: SamplingSummary) {
  const { examples, ...linksCut } = summary.loss.linksCut;
  const sortedExamples = [...examples].sort((a, b) => `${a.fromTraceId}${a.toTraceId}`.localeCompare(`${b.fromTraceId}${b.toTraceId}`));
  return { ...summary, loss: { ...summary.loss, linksCut: { ...linksCut, examples: sortedExamples } } };
}

describe('POST /api/sampling/evaluate', () => {
  it('gives the core engine\'s counts for the reference config over the seeded demo traces, progress first', async () => {
    const s = await seededServer();
    const res = await evaluate(s, { config: REFERENCE_CONFIG, head: HEAD });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = streamLines(res.payload);
    const models = await demoModels();
    // Progress lines (the first announces the total, the last has read it all), then the one result.
    const progress = lines.slice(0, -1);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.every((l) => l.type === 'progress' && l.total === models.length)).toBe(true);
    expect(progress[0]).toEqual({ type: 'progress', done: 0, total: models.length });
    expect(progress.at(-1)).toEqual({ type: 'progress', done: models.length, total: models.length });

    // Independently: the core engine over the fixture files themselves.
    const head = parseHeadSampler(HEAD) as HeadSampler;
    const expected = evaluateSampling(models, parseSamplingConfig(REFERENCE_CONFIG), head);
    const expectedSummary = summarizeSampling(models, expected);
    const { summary, decisions, skipped } = resultOf(lines);
    expect(skipped).toEqual([]);
    expect(summary.total.traces).toBe(23);
    expect(summary.tailAlone.kept.traces).toBe(expectedSummary.tailAlone.kept.traces);
    expect(summary.tailAlone.dropped.traces).toBe(expectedSummary.tailAlone.dropped.traces);
    expect(summary.both?.kept).toEqual(expectedSummary.both?.kept);
    expect(summary.both?.dropped).toEqual(expectedSummary.both?.dropped);
    expect(comparable(summary)).toEqual(comparable(expectedSummary));

    const byId = new Map(decisions.map((d) => [d.traceId, d]));
    expect(byId.size).toBe(models.length);
    for (const d of expected.decisions) {
      expect(byId.get(d.traceId)).toMatchObject({ decision: d.decision, policy: d.policy ?? null, kept: d.kept, spans: d.spans, late: d.lateSpans, durationNs: d.durationNs });
    }
    // The failed payment (demo-orders) is kept by errors-policy; decisions come earliest start first.
    const failed = decisions.filter((d) => d.policy === 'errors-policy');
    expect(failed.length).toBeGreaterThan(0);
    for (const d of failed) expect(d.decision).toBe('sampled');
    const starts = decisions.map((d) => d.startMs);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    for (const d of decisions) expect(Object.keys(d)).toEqual(DECISION_KEYS);
  });

  it('never evaluates a private share, even one with an error trace in the range', async () => {
    const s = await seededServer();
    const before = resultOf(streamLines((await evaluate(s, { config: REFERENCE_CONFIG })).payload));
    const django = readFileSync(join(REAL_FIXTURES, 'datadog/dd-trace-py__django-asgi_500.json'));
    const share = await s.app.inject({ method: 'POST', url: '/api/shares?name=django.json', payload: django, headers: { 'content-type': 'application/json' } });
    expect(share.statusCode).toBe(201);
    const sharedTraceId = (share.json() as { traceIds: string[] }).traceIds[0];
    expect((await loadBytes(django)).traces[0].errorCount).toBeGreaterThan(0);

    const after = resultOf(streamLines((await evaluate(s, { config: REFERENCE_CONFIG })).payload));
    expect(after.decisions.map((d) => d.traceId)).not.toContain(sharedTraceId);
    expect(after.summary.total).toEqual(before.summary.total);
    expect(after.summary.loss.errorTraces).toEqual(before.summary.loss.errorTraces);
    expect(after.summary.tailAlone).toEqual(before.summary.tailAlone);
  });

  it('evaluates received traces with the demo ones', async () => {
    const s = await seededServer();
    const django = await loadBytes(readFileSync(join(REAL_FIXTURES, 'datadog/dd-trace-py__django-asgi_500.json')));
    new LiveTraces(s.store, { quietMs: 10_000, spansPerTrace: 1_000_000, maxTraces: 1000, maxBytes: 1e9 }).append(django);
    const { summary, decisions } = resultOf(streamLines((await evaluate(s, { config: REFERENCE_CONFIG })).payload));
    expect(summary.total.traces).toBe(24);
    const received = decisions.find((d) => d.traceId === django.traces[0].traceId);
    expect(received).toMatchObject({ decision: 'sampled', policy: 'errors-policy', spans: django.traces[0].spanCount });
  });

  it('a range that excludes every trace evaluates none; a range keeps only the traces starting in it', async () => {
    const s = await seededServer();
    const none = streamLines((await evaluate(s, { config: REFERENCE_CONFIG, start: 0, end: 1000 })).payload);
    expect(none[0]).toEqual({ type: 'progress', done: 0, total: 0 });
    const empty = resultOf(none);
    expect(empty.decisions).toEqual([]);
    expect(empty.summary.total).toEqual({ traces: 0, spans: 0, bytes: 0 });

    // From the earliest demo trace, one second: the demo-orders traces only, not the later files'.
    const models = await demoModels();
    const start = Math.min(...models.map((m) => m.traceStart.ms));
    const end = start + 1000;
    const inRange = models.filter((m) => m.traceStart.ms >= start && m.traceStart.ms <= end);
    expect(inRange.length).toBeGreaterThan(0);
    expect(inRange.length).toBeLessThan(models.length);
    const some = resultOf(streamLines((await evaluate(s, { config: REFERENCE_CONFIG, start, end })).payload));
    expect(some.summary.total.traces).toBe(inRange.length);
    expect(some.decisions.map((d) => d.traceId).sort()).toEqual(inRange.map((m) => m.traceId).sort());
  });

  it('refuses a body that is not application/json with 415', async () => {
    const s = await seededServer();
    const body = JSON.stringify({ config: REFERENCE_CONFIG });
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await evaluate(s, body, type);
      expect(res.statusCode, type).toBe(415);
      expect(res.json().detail).toMatch(/application\/json/);
    }
    const charset = await evaluate(s, body, 'application/json; charset=utf-8');
    expect(charset.statusCode).toBe(200);
  });

  it('answers a config error with 400, the line, the column and the policy, before any streaming', async () => {
    const s = await seededServer();
    const broken = await evaluate(s, { config: 'processors:\n  tail_sampling:\n    policies: [\n' });
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toMatch(/^application\/json/);
    const body = broken.json();
    expect(body.error).toBe('Invalid sampling config');
    expect(body.line).toBeGreaterThan(0);
    expect(body.column).toBeGreaterThan(0);

    const unknownType = (await evaluate(s, { config: REFERENCE_CONFIG.replace('type: latency', 'type: latensy') })).json();
    expect(unknownType).toMatchObject({ error: 'Invalid sampling config', policy: 'slow-traces-policy' });
    expect(unknownType.detail).toMatch(/latensy/);
    expect(typeof unknownType.line).toBe('number');
  });

  it('answers a bad body or range with 400 naming the field, and a range over the limit with 413', async () => {
    const s = await seededServer();
    const cases: [unknown, RegExp][] = [
      ['{"config": ', /JSON/],
      [[REFERENCE_CONFIG], /object/],
      [{}, /^config:/],
      [{ config: REFERENCE_CONFIG, head: 'sometimes' }, /^head:/],
      [{ config: REFERENCE_CONFIG, start: '2026-01-01' }, /^start:/],
      [{ config: REFERENCE_CONFIG, start: 2000, end: 1000 }, /^end:/],
      [{ config: REFERENCE_CONFIG, limit: 0 }, /^limit:/],
      [{ config: REFERENCE_CONFIG, limt: 5 }, /^limt: unknown field/],
    ];
    for (const [body, detail] of cases) {
      const res = await evaluate(s, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().detail).toMatch(detail);
    }
    const tooMany = await evaluate(s, { config: REFERENCE_CONFIG, limit: 5 });
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().detail).toMatch(/23 traces.*at most 5.*narrow start\/end/);
  });
});

const DECISION_KEYS: readonly (keyof SamplingDecisionJson)[] = ['traceId', 'decision', 'policy', 'head', 'kept', 'spans', 'late', 'bytes', 'rootService', 'rootName', 'startMs', 'durationNs', 'errorCount'];
