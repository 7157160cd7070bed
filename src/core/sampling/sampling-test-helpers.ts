// Test helpers for the sampling lab: a policy from a YAML snippet, one policy's decision on one trace,
// and small traces with attributes, resources, trace state and events.
import type { AttrType, AttrValue } from '../model/attributes.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { StatusCode, TraceModel } from '../model/trace-model.ts';
import { parseSamplingConfig, type NamedPolicy } from './config.ts';
import { createEvaluator, type PolicyDecision } from './policies.ts';
import { sampledTrace } from './sampled-trace.ts';

export const TRACE_ID = '0102030405060708090a0b0c0d0e0f10';
const EPOCH_MS = 1_700_000_000_000;

/** The one policy of `policies: [<yaml>]`, e.g. policyFrom('{name: p, type: always_sample}'). */
export function policyFrom(yaml: string): NamedPolicy {
  return parseSamplingConfig(`policies: [${yaml}]`).policies[0];
}

export function decide(policy: NamedPolicy | string, model: TraceModel, decisionWaitNs = 30e9): PolicyDecision {
  const p = typeof policy === 'string' ? policyFrom(policy) : policy;
  return createEvaluator(p).evaluate(sampledTrace(model, 0, decisionWaitNs));
}

type Attrs = Readonly<Record<string, AttrValue | readonly [AttrValue, AttrType]>>;

export interface TestSpan {
  readonly name?: string;
  readonly service?: string;
  readonly startMs?: number;
  readonly durationMs?: number;
  readonly status?: StatusCode;
  readonly attrs?: Attrs;
  /** Attributes of the span's resource (one resource per span here). */
  readonly resource?: Attrs;
  readonly traceState?: string;
  readonly events?: readonly { readonly name: string; readonly attrs?: Attrs }[];
  readonly traceId?: string;
  /** Span ids are 1, 2, 3… in order; the parent is given by its position (default: the first span). */
  readonly parent?: number;
}

/** A collection of the given spans, all children of the first one of their trace. */
export function buildSpans(spans: readonly TestSpan[], startEpochMs = EPOCH_MS) {
  const b = new TraceModelBuilder('otlp-json');
  const addAttrs = (attrs: Attrs | undefined) => {
    for (const [key, value] of Object.entries(attrs ?? {})) {
      if (Array.isArray(value) && value.length === 2 && typeof value[1] === 'string' && ['string', 'bool', 'int', 'double', 'bytes', 'array', 'map'].includes(value[1])) b.attr(key, value[0] as AttrValue, value[1] as AttrType);
      else b.attr(key, value as AttrValue);
    }
  };
  const firstOfTrace = new Map<string, number>();
  spans.forEach((s, i) => {
    const traceId = s.traceId ?? TRACE_ID;
    const service = s.service ?? 'svc';
    const resource = b.addResource(service);
    addAttrs(s.resource);
    const first = firstOfTrace.get(traceId) ?? i;
    firstOfTrace.set(traceId, first);
    const parent = s.parent ?? first;
    const startMs = s.startMs ?? 0;
    b.addSpan({
      traceId,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      parentSpanId: parent === i ? '' : (parent + 1).toString(16).padStart(16, '0'),
      name: s.name ?? `span${i}`,
      service,
      resource,
      start: { ms: startEpochMs + Math.floor(startMs), nsOfMs: Math.round((startMs % 1) * 1e6) },
      durationNs: (s.durationMs ?? 1) * 1e6,
      status: s.status,
      traceState: s.traceState,
    });
    addAttrs(s.attrs);
    for (const e of s.events ?? []) {
      b.addEvent(undefined, e.name);
      addAttrs(e.attrs);
    }
  });
  return b.build();
}

export function traceOf(...spans: TestSpan[]): TraceModel {
  return buildSpans(spans).traces[0];
}
