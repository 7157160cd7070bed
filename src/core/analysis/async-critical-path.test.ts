import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { generatedTrace } from '../model/test-traces.ts';
import { spanName, type TraceModel } from '../model/trace-model.ts';
import { computeAsyncCriticalPath, criticalPathToPoint, type AsyncCriticalPath } from './async-critical-path.ts';
import { groupByBusinessKey } from './business-key.ts';
import { computeCriticalPathFrom } from './critical-path.ts';
import { buildLinkIndex } from './link-index.ts';
import { drawTraces } from './linked-traces-test-helpers.ts';
import type { InferredLink } from './span-ref.ts';

/** The path as "name start-end" and "wait start-end" lines on the shared axis. */
function pathText(traces: readonly TraceModel[], path: AsyncCriticalPath): string[] {
  return path.segments.map((s) =>
    s.kind === 'span'
      ? `${spanName(traces[s.ref.trace], s.ref.span)} ${s.startNs}-${s.endNs}`
      : `wait ${s.startNs}-${s.endNs} (${spanName(traces[s.hop.from.trace], s.hop.from.span)} → ${spanName(traces[s.hop.to.trace], s.hop.to.span)})`,
  );
}

/** Segments tile [0, totalNs] back to back, and the waits add up. */
function checkTiling(path: AsyncCriticalPath): void {
  let at = 0;
  let waits = 0;
  for (const s of path.segments) {
    expect(s.startNs).toBe(at);
    expect(s.endNs).toBeGreaterThan(s.startNs);
    at = s.endNs;
    if (s.kind === 'queue-wait') waits += s.endNs - s.startNs;
  }
  expect(at).toBe(path.totalNs);
  expect(waits).toBe(path.queueWaitNs);
}

function drawnPath(drawing: string, inferred?: (d: ReturnType<typeof drawTraces>) => InferredLink[]) {
  const drawn = drawTraces(drawing);
  const path = computeAsyncCriticalPath(buildLinkIndex(drawn.traces), drawn.traces.map((_, t) => t), { inferred: inferred?.(drawn) });
  checkTiling(path);
  return { drawn, path, text: pathText(drawn.traces, path) };
}

describe('computeAsyncCriticalPath: drawn cases', () => {
  // Columns are ns from the first bar: "[==]" at columns 3-6 is [3, 7).
  it('goes through the producer, waits in the queue, then follows the consumer’s own path', () => {
    const { path, text } = drawnPath(`
      trace api
        req   [==========]
          send   [===]                    kind=producer
      trace worker
        work               [=========]    kind=consumer link=send
          db                 [====]
    `);
    expect(text).toEqual(['req 0-3', 'send 3-8', 'wait 8-13 (send → work)', 'work 13-15', 'db 15-21', 'work 21-24']);
    expect([path.totalNs, path.queueWaitNs]).toEqual([24, 5]);
    // send does not block req (a producer): req forks it, then the message waits in the queue.
    expect(path.hops).toMatchObject([
      { from: { trace: 0, span: 0 }, to: { trace: 0, span: 1 }, via: 'async-child', queueWaitNs: 0, overlapNs: 9, clockSkew: false },
      { from: { trace: 0, span: 1 }, to: { trace: 1, span: 0 }, via: 'link', queueWaitNs: 5, overlapNs: 0, clockSkew: false },
    ]);
    expect(path.origin).toEqual({ ms: 1_700_000_000_000, nsOfMs: 0 });
  });

  it('takes the message handed off last when one consumer links to several producers', () => {
    const { text, path } = drawnPath(`
      trace api
        req   [===============]
          send1  [=]                      kind=producer
          call      [==]                  kind=client
          send2          [==]             kind=producer
      trace batch
        batch                  [=====]    kind=consumer link=send1,send2
    `);
    // Before send2 the request's own critical path: call finished last before send2 started.
    expect(text).toEqual(['req 0-6', 'call 6-10', 'req 10-11', 'send2 11-15', 'wait 15-17 (send2 → batch)', 'batch 17-24']);
    expect(path.queueWaitNs).toBe(2);
  });

  it('forks without a wait when the consumer starts while the producer still runs (a batch and its items)', () => {
    const { text, path } = drawnPath(`
      trace batch
        batch   [==========]          link=i1,i2
      trace item-1
        i1        [===]
      trace item-2
        i2           [==========]
    `);
    expect(text).toEqual(['batch 0-5', 'i2 5-17']);
    expect(path.hops).toMatchObject([{ via: 'link', queueWaitNs: 0, overlapNs: 7, clockSkew: false }]);
  });

  it('a consumer may start before its producer span ends (the send waits for the broker): no clock skew', () => {
    const { text, path } = drawnPath(`
      trace api
        req   [========]
          send   [=====]                kind=producer
      trace worker
        work       [==========]         kind=consumer link=send
    `);
    expect(text).toEqual(['req 0-3', 'send 3-5', 'work 5-17']);
    expect(path.hops[1]).toMatchObject({ via: 'link', queueWaitNs: 0, overlapNs: 5, clockSkew: false });
  });

  it('follows async children inside one trace (context restored across the queue)', () => {
    const { text, path } = drawnPath(`
      trace api
        req     [======]
          enqueue  [==]
            send          [=]                 kind=producer
              process           [=========]   kind=consumer
                job               [===]
    `);
    expect(text).toEqual([
      'req 0-3', 'enqueue 3-7', 'wait 7-10 (enqueue → send)', 'send 10-13', 'wait 13-16 (send → process)',
      'process 16-18', 'job 18-23', 'process 23-27',
    ]);
    expect(path.hops.map((h) => h.via)).toEqual(['async-child', 'async-child']);
    expect(path.queueWaitNs).toBe(6);
  });

  it('stitches traces joined only by a business key when given the inferred links', () => {
    const drawing = `
      trace api
        post    [=====]                      attr.order.id=7
      trace worker
        work              [=======]          attr.order.id=7
    `;
    expect(drawnPath(drawing).text).toEqual(['post 0-7']); // nothing joins them: the first request alone
    const { text, path } = drawnPath(drawing, (d) => groupByBusinessKey(d.traces, 'order.id')[0].links.slice());
    expect(text).toEqual(['post 0-7', 'wait 7-10 (post → work)', 'work 10-19']);
    expect(path.hops).toMatchObject([{ via: 'inferred', queueWaitNs: 3 }]);
  });

  it('is the trace’s own critical path when nothing is linked; empty for no traces', () => {
    const { text } = drawnPath(`
      trace only
        root  [==============]
          a     [====]
          b           [======]
    `);
    expect(text).toEqual(['root 0-2', 'a 2-8', 'b 8-16']);
    expect(computeAsyncCriticalPath(buildLinkIndex([]), [])).toEqual({ origin: { ms: 0, nsOfMs: 0 }, segments: [], hops: [], totalNs: 0, queueWaitNs: 0 });
  });
});

describe('criticalPathToPoint', () => {
  it('from a root’s end equals computeCriticalPathFrom, on generated traces', () => {
    for (const seed of [1, 2, 3]) {
      const m = generatedTrace(3000, seed);
      for (const root of [m.roots[0], 1, 17, 400]) {
        const full = computeCriticalPathFrom(m, root);
        const walked = criticalPathToPoint(m, root, m.startNs[root] + m.durationNs[root], root);
        expect(walked).toEqual({ spanIndex: Array.from(full.spanIndex), startNs: Array.from(full.startNs), endNs: Array.from(full.endNs) });
      }
    }
  });
});

describe('computeAsyncCriticalPath: demo flows', () => {
  const at = (traces: readonly TraceModel[], path: AsyncCriticalPath) => pathText(traces, path).map((line) => line.replace(/ [\d.]+-[\d.]+/, ''));

  it('context restored: request → outbox → publisher batch → send → worker, with the outbox wait', async () => {
    const { traces } = await loadFixture('demo/demo-async-restored.jsonl');
    const index = buildLinkIndex(traces);
    // Job 1's request (trace 0) and the publisher's batch (trace 3), linked both ways.
    const path = computeAsyncCriticalPath(index, [0, 3]);
    checkTiling(path);
    expect(at(traces, path)).toEqual([
      'web.request', 'jobs.enqueue', 'pg.pool.acquire', 'jobs.enqueue', 'pg.query', 'jobs.enqueue', 'pg.query', 'jobs.enqueue', 'pg.query',
      'jobs.enqueue', 'pg.query', 'jobs.enqueue',
      'wait (jobs.enqueue → outbox publish)',
      'outbox publish', 'pg-pool.connect', 'pg.connect', 'pg-pool.connect', 'outbox publish', 'pg.query:BEGIN postgres', 'outbox publish', 'pg.query:SELECT postgres', 'outbox publish',
      'send job-events', 'xadd', // xadd outlives send: clamped to send's end, where the hand-off is
      'wait (send job-events → process job-events)',
      'process job-events', 'job resize-image', 'process job-events', 'pg-pool.connect', 'pg.connect', 'pg-pool.connect', 'process job-events', 'pg.query:UPDATE postgres', 'process job-events', 'xack',
    ]);
    // enqueue ends 32.803375 ms after the request started; the publisher's batch starts at 1117.99712 ms.
    expect(path.hops.map((h) => [h.via, h.queueWaitNs, h.overlapNs, h.clockSkew])).toEqual([
      ['link', 1_117_997_120 - 32_803_375, 0, false],
      ['link', 0, 1_117_997_120 + 42_984_428 - 1_150_997_120, false], // send starts inside the batch
      ['async-child', 1_153_997_120 - (1_150_997_120 + 2_984_836), 0, false],
    ]);
    expect(path.totalNs).toBe(1_153_997_120 + 58_512_764);
    expect(path.queueWaitNs).toBe(1_117_997_120 - 32_803_375 + 1_153_997_120 - 1_150_997_120 - 2_984_836);
    expect(path.origin).toEqual({ ms: 1795307561715, nsOfMs: 2880 });
  });

  it('context lost: the job.id groups stitch request → publisher → worker', async () => {
    const { traces } = await loadFixture('demo/demo-async-lost.jsonl');
    const group = groupByBusinessKey(traces, 'job.id')[0]; // job 1: traces 0 (request), 3 (publisher), 4 (worker)
    expect(group.traces).toEqual([0, 3, 4]);
    const path = computeAsyncCriticalPath(buildLinkIndex(traces), group.traces, { inferred: group.links });
    checkTiling(path);
    const names = at(traces, path);
    expect(names[0]).toBe('web.request');
    expect(path.hops.map((h) => [h.via, h.from.trace, h.to.trace])).toEqual([
      ['inferred', 0, 3],
      ['inferred', 3, 4],
      ['async-child', 4, 4], // the worker acknowledges (xack) after process job-events ended
    ]);
    // On the axis of job 1's request: enqueue ends at 13.347865 ms; the outbox is polled once a second and the
    // publisher sends it at 1917.99584 ms; the worker takes it 0.862258 ms before the send span ends (the
    // broker's answer), then acknowledges 0.309068 ms after its processing span.
    expect(path.hops.map((h) => [h.queueWaitNs, h.overlapNs, h.clockSkew])).toEqual([
      [1_917_995_840 - 13_347_865, 0, false],
      [0, 862_258, false],
      [309_068, 0, false],
    ]);
    expect(path.totalNs).toBe(1_962_241_845);
  });

  it('batch: the batch span forks its items; the order that ends last is the end of the path', async () => {
    const { traces } = await loadFixture('demo/demo-batch-links.jsonl');
    const path = computeAsyncCriticalPath(buildLinkIndex(traces), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    checkTiling(path);
    expect(path.hops).toEqual([{ from: { trace: 0, span: 0 }, to: { trace: 8, span: 0 }, via: 'link', queueWaitNs: 0, overlapNs: 975_208_539 - 16_000_000, clockSkew: false }]);
    expect(path.segments[0]).toEqual({ kind: 'span', ref: { trace: 0, span: 0 }, startNs: 0, endNs: 16_000_000 });
    expect(path.totalNs).toBe(16_000_000 + 959_828_883);
  });
});
