import { describe, expect, it } from 'vitest';
import { loadFixture } from '../import/fixture-test-helpers.ts';
import { chainTrace, generatedTrace } from '../model/test-traces.ts';
import { spanName, type TraceModel } from '../model/trace-model.ts';
import { spanNamed, timeline } from './analysis-test-helpers.ts';
import { blocksParent } from './critical-path.ts';
import { adjustClockSkew, detectClockSkew, skewAdjustedTimeline } from './clock-skew.ts';

/** The report as "name shift" lines. */
function skewText(m: TraceModel): string[] {
  const report = detectClockSkew(m);
  return Array.from(report.spans, (i, j) => `${spanName(m, i)} ${report.skewNs[j]}`);
}

/** Adjusted starts by name. */
function adjustedStarts(m: TraceModel): Record<string, number> {
  const { startNs } = adjustClockSkew(m, detectClockSkew(m));
  return Object.fromEntries(Array.from(startNs, (s, i) => [spanName(m, i), s]));
}

// The drawings' columns are ns: "[===]" at columns 2-6 is [2, 7).
describe('detectClockSkew: drawn cases', () => {
  it('centres a server that starts before its client (another service), moving its subtree', () => {
    const m = timeline(`
      root        [======================]      svc=a kind=server
        call          [==========]              svc=a kind=client
          handle  [======]                      svc=b kind=server
            db      [==]                        svc=b kind=client
    `);
    // call [4, 16), handle [0, 8): latency (12 - 8) / 2 = 2 → handle should start at 6.
    expect(skewText(m)).toEqual(['handle 6']);
    expect(adjustedStarts(m)).toEqual({ root: 0, call: 4, handle: 6, db: 8 });
  });

  it('centres a server that ends after its client (negative shift)', () => {
    const m = timeline(`
      call    [==========]                      svc=a kind=client
        handle        [======]                  svc=b kind=server
    `);
    // call [0, 12), handle [8, 16): should start at 0 + (12 - 8) / 2 = 2.
    expect(skewText(m)).toEqual(['handle -6']);
  });

  it('aligns the starts when the child is longer than its parent and starts before it', () => {
    const m = timeline(`
      call      [====]                          svc=a kind=client
        handle [==========]                     svc=b kind=server
    `);
    // call [1, 7), handle [0, 12).
    expect(skewText(m)).toEqual(['handle 1']);
  });

  it('leaves a longer child that starts inside its parent alone: async work, not skew', () => {
    const m = timeline(`
      call   [====]                             svc=a kind=client
        handle  [==========]                    svc=b kind=server
    `);
    expect(skewText(m)).toEqual([]);
  });

  it('ignores children in the same service and children that fit', () => {
    const m = timeline(`
      root    [==========]                      svc=a
        early [==]                              svc=a
        late           [======]                 svc=a
        fits     [==]                           svc=b
    `);
    expect(skewText(m)).toEqual([]);
  });

  it('moves a child of a non-client parent only as far as needed', () => {
    const m = timeline(`
      root      [==============]                svc=a kind=server
        before [====]                           svc=b kind=server
        after              [======]             svc=c
    `);
    // root [1, 17): before [0, 6) → +1; after [12, 20) → −3.
    expect(skewText(m)).toEqual(['before 1', 'after -3']);
  });

  it('lets async children end after their parent, but not start before it', () => {
    const m = timeline(`
      root            [==========]                              svc=a kind=server
        send             [==]                                   svc=a kind=producer
          recv                 [======]                         svc=b kind=consumer
        job                  [========]                         svc=c follows
        early     [====]                                        svc=c follows
        pre               [==]                                  svc=a kind=producer
          back         [==]                                     svc=d kind=consumer
    `);
    // root [4, 16): early [0, 6) → +4; pre [8, 12), back [5, 9) → +3; recv and job only end late.
    expect(skewText(m)).toEqual(['early 4', 'back 3']);
    expect(blocksParent(m, spanNamed(m, 'job'))).toBe(false);
  });

  it('composes shifts down the tree: a callback into the first service comes back to its clock', () => {
    // b's clock is 6 behind a's. handle looks early in call: +6. The callback back into a, recorded by
    // a's clock, looks late in cb by the same 6: centred, its own shift is −6, so in total it stays.
    // gone fits in cb and moves with it.
    const m = timeline(`
      root        [==============================]              svc=a kind=server
        call          [==================]                      svc=a kind=client
          handle  [==============]                              svc=b kind=server
            cb          [======]                                svc=b kind=client
              back              [==]                            svc=a kind=server
              gone        [==]                                  svc=a kind=server
    `);
    expect(skewText(m)).toEqual(['handle 6', 'back -6']);
    expect(adjustedStarts(m)).toEqual({ root: 0, call: 4, handle: 6, cb: 12, back: 14, gone: 14 });
  });

  it('does not change the model', () => {
    const m = timeline(`
      call        [==========]                  svc=a kind=client
        handle  [======]                        svc=b kind=server
    `);
    const before = Array.from(m.startNs);
    const adjusted = adjustClockSkew(m, detectClockSkew(m));
    expect(Array.from(m.startNs)).toEqual(before);
    expect(Array.from(adjusted.shiftNs)).toEqual([0, 4]);
    expect(adjustClockSkew(m, { spans: new Uint32Array(0), skewNs: new Float64Array(0) }).startNs).toEqual(m.startNs);
  });
});

describe('clock skew: real traces', () => {
  it('Zipkin skew.json: serviceb answered 65.4 ms before servicea called it', async () => {
    const m = (await loadFixture('real/zipkin/zipkin__skew.json')).traces[0];
    const report = detectClockSkew(m);
    const server = Array.from(report.spans);
    expect(server.map((i) => `${m.stores.strings.get(m.serviceId[i])} ${spanName(m, i)}`)).toEqual(['serviceb post']);
    const client = m.parent[server[0]];
    expect(spanName(m, client)).toBe('post');
    // client starts at +65,441 µs for 94,539 µs; the server lasts 93,577 µs: latency 481 µs each way.
    expect(m.startNs[client]).toBe(65_441_000);
    expect(Array.from(report.skewNs)).toEqual([65_441_000 + 481_000]);
    const adjusted = adjustClockSkew(m, report);
    expect(adjusted.startNs[server[0]]).toBe(65_922_000);
    // serviceb's local "async" span moves with its server span: still 1 µs after it.
    const asyncSpan = spanNamed(m, 'async');
    expect(adjusted.startNs[asyncSpan]).toBe(65_923_000);
    expect(adjusted.shiftNs[asyncSpan]).toBe(65_922_000);
    expect(adjusted.shiftNs[0]).toBe(0);
  });

  it('Zipkin skew.json: the adjusted timeline starts at the root, which the early server span no longer precedes', async () => {
    const m = (await loadFixture('real/zipkin/zipkin__skew.json')).traces[0];
    // Recorded: serviceb's server span starts first, 62,307 µs before the root; the root ends the trace.
    const [root] = m.roots;
    expect(m.startNs[root]).toBe(62_307_000);
    expect(m.traceDurationNs).toBe(161_718_000);
    expect(m.startNs[root] + m.durationNs[root]).toBe(m.traceDurationNs);
    const timeline = skewAdjustedTimeline(m, adjustClockSkew(m, detectClockSkew(m)));
    // Adjusted, nothing precedes the root: the origin moves to it and the trace is as long as the root.
    expect(timeline.originNs).toBe(62_307_000);
    expect(timeline.startNs[root]).toBe(0);
    expect(timeline.traceDurationNs).toBe(m.durationNs[root]);
    expect(timeline.traceDurationNs).toBe(99_411_000);
    expect(Math.min(...timeline.startNs)).toBe(0);
    // The server span, centred in its client call: 481 µs of latency each way, from the new origin.
    const server = detectClockSkew(m).spans[0];
    expect(timeline.startNs[server]).toBe(65_922_000 - 62_307_000);
  });

  it('a longer server span that started before its call starts with it: the origin moves to the call', () => {
    const m = timeline(`
      call        [==========]                  svc=a kind=client
        handle  [==============]                svc=b kind=server
    `);
    const adjusted = skewAdjustedTimeline(m, adjustClockSkew(m, detectClockSkew(m)));
    expect(adjusted.originNs).toBe(m.startNs[0]);
    expect(Array.from(adjusted.startNs)).toEqual([0, 0]);
    expect(adjusted.traceDurationNs).toBe(m.durationNs[1]);
  });

  it('finds nothing in the petclinic trace (its server span sits inside its client)', async () => {
    const m = (await loadFixture('real/jaeger/jaeger-ui__petclinic__spanAmongEachOtherGroupedAndSpans.json')).traces[0];
    expect(detectClockSkew(m).spans.length).toBe(0);
  });
});

describe('clock skew: scale', () => {
  it('accumulates shifts down a 100,000-deep chain without recursion', () => {
    // Services alternate a, b; every b span starts 2 before its a parent (and fits otherwise).
    const n = 100_000;
    const m = chainTrace(n, { startNs: (i) => (i % 2 === 0 ? 2 : 0), durationNs: () => 1000, service: (i) => (i % 2 === 0 ? 'a' : 'b') });
    const report = detectClockSkew(m);
    expect(report.spans.length).toBe(n - 1); // a → b early by 2, b → a late by 2
    const { startNs } = adjustClockSkew(m, report);
    let broken = 0;
    for (let i = 1; i < n; i++) if (startNs[i] !== startNs[0]) broken++;
    expect(broken).toBe(0);
  });

  it('puts every shifted synchronous child back inside its parent on a generated 200k-span trace', () => {
    const m = generatedTrace(200_000, 5);
    const report = detectClockSkew(m);
    expect(report.spans.length).toBeGreaterThan(100);
    const { startNs, shiftNs } = adjustClockSkew(m, report);
    const reported = new Uint8Array(m.spanCount);
    for (const i of report.spans) reported[i] = 1;
    let broken = 0;
    for (let i = 0; i < m.spanCount; i++) {
      const p = m.parent[i];
      if (p < 0) continue;
      if (!reported[i] && shiftNs[i] !== shiftNs[p]) broken++; // unreported spans move with their parent
      if (!reported[i]) continue;
      if (m.serviceId[i] === m.serviceId[p]) broken++;
      const inside = startNs[i] >= startNs[p] && startNs[i] + m.durationNs[i] <= startNs[p] + m.durationNs[p];
      const startsInside = startNs[i] >= startNs[p];
      if (blocksParent(m, i) && m.durationNs[i] <= m.durationNs[p] ? !inside : !startsInside) broken++;
    }
    expect(broken).toBe(0);
  });
});
