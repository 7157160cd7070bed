// Traces built for tests, deterministic so a failure reproduces: a chain of any depth (for the
// "no recursion over depth" checks), a random trace of any size, and random bytes. Tests only.
import { makeRng } from '../rng.ts';
import type { EpochNanos } from './time.ts';
import { TraceModelBuilder } from './trace-model-builder.ts';
import type { SpanKind, TraceModel } from './trace-model.ts';

export const TEST_TRACE_ID = '0000000000000000000000000000abcd';

/** Span id number `n` as 16 hex digits. */
export const testSpanId = (n: number): string => n.toString(16).padStart(16, '0');

/** `ns` nanoseconds after an epoch far from zero (so ns never go through one float). */
export const testEpoch = (ns: number): EpochNanos => ({ ms: 1_700_000_000_000 + Math.floor(ns / 1e6), nsOfMs: ns % 1e6 });

export interface ChainOptions {
  /** Add the spans leaf first (children before their parents). */
  readonly leafFirst?: boolean;
  /** Span i's start, ns after the first span's; default i. */
  readonly startNs?: (i: number) => number;
  /** Default 2 × (n − i): each span encloses its child. */
  readonly durationNs?: (i: number) => number;
  /** Default "s". */
  readonly service?: (i: number) => string;
}

/**
 * A chain of `n` spans, each the parent of the next:
 *
 *   time →  0 1 2 3 …
 *   s0      [=========…]
 *   s1        [=======…]    parent s0
 *   s2          [=====…]    parent s1
 *   …
 */
export function chainTrace(n: number, options: ChainOptions = {}): TraceModel {
  const { leafFirst = false, startNs = (i) => i, durationNs = (i) => 2 * (n - i), service = () => 's' } = options;
  const b = new TraceModelBuilder('jaeger');
  for (let k = 0; k < n; k++) {
    const i = leafFirst ? n - 1 - k : k;
    b.addSpan({
      traceId: TEST_TRACE_ID,
      spanId: testSpanId(i + 1),
      parentSpanId: i === 0 ? '' : testSpanId(i),
      name: `s${i}`,
      service: service(i),
      start: testEpoch(startNs(i)),
      durationNs: durationNs(i),
    });
  }
  return b.build().traces[0];
}

/** `n` random bytes from seed `seed`. */
export function randomBytes(n: number, seed: number): Uint8Array {
  const rand = makeRng(seed);
  return Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

/**
 * A random trace of `spanCount` spans under one root: chains and wide fan-outs, 12 services with
 * client → server hops, some children that start before (skew) or end after (async) their parent, a
 * few FOLLOWS_FROM and producer/consumer children, ~3% errors, and a few zero-duration spans.
 */
export function generatedTrace(spanCount: number, seed = 1): TraceModel {
  const rand = makeRng(seed);
  const start = new Float64Array(spanCount);
  const duration = new Float64Array(spanCount);
  const service = new Uint8Array(spanCount);
  const parentOf = new Int32Array(spanCount).fill(-1);
  const depth = new Uint8Array(spanCount);
  const b = new TraceModelBuilder('otlp-json');
  for (let i = 0; i < spanCount; i++) {
    let parent = -1;
    let kind: SpanKind = 'server';
    let follows = false;
    if (i === 0) {
      duration[0] = 1e12;
    } else {
      // Half the time the previous span (chains), else a recent one (fan-out); at most 30 deep, so
      // durations (which shrink with depth) stay far from zero.
      parent = rand() < 0.5 ? i - 1 : Math.max(0, i - 1 - Math.floor(rand() * 200));
      if (depth[parent] >= 30) parent = parentOf[parent];
      parentOf[i] = parent;
      depth[i] = depth[parent] + 1;
      const ps = start[parent];
      const pd = duration[parent];
      start[i] = ps + Math.floor(rand() * pd * 0.3);
      duration[i] = Math.floor((ps + pd - start[i]) * (0.5 + 0.5 * rand()));
      service[i] = rand() < 0.7 ? service[parent] : Math.floor(rand() * 12);
      const r = rand();
      if (service[i] !== service[parent]) kind = r < 0.9 ? 'server' : 'consumer';
      else kind = r < 0.4 ? 'client' : r < 0.95 ? 'internal' : 'producer';
      if (rand() < 0.02) start[i] = Math.max(0, ps - 1 - Math.floor(rand() * pd * 0.5)); // skewed early
      if (rand() < 0.02) duration[i] += Math.floor(rand() * pd); // outlives its parent
      if (rand() < 0.005) duration[i] = 0;
      follows = rand() < 0.01;
    }
    const error = rand() < 0.03;
    b.addSpan({
      traceId: TEST_TRACE_ID,
      spanId: testSpanId(i + 1),
      parentSpanId: parent >= 0 ? testSpanId(parent + 1) : '',
      name: `op${i % 50}`,
      service: `service-${service[i]}`,
      kind,
      start: testEpoch(start[i]),
      durationNs: duration[i],
      status: error ? 'error' : 'unset',
      statusMessage: error && i % 2 === 0 ? `failure ${i}` : undefined,
    });
    if (error && i % 2 === 1) b.attr('exception.message', `exception ${i}`);
    if (follows) b.addLink(TEST_TRACE_ID, testSpanId(parent + 1), 'follows_from');
  }
  return b.build().traces[0];
}
