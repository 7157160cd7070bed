// Test traces with what an ASCII timeline cannot draw: attributes, resource attributes, span links and
// several traces in one load. Used by the analysis tests only.
import type { AttrValue } from '../model/attributes.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import type { LinkKind, SpanKind, TraceCollection } from '../model/trace-model.ts';

export interface TestSpan {
  /** Span ids are numbers here (hex in the model); unique per trace. */
  readonly id: number;
  readonly parent?: number;
  /** Trace number (default 1). */
  readonly trace?: number;
  readonly svc: string;
  /** Default `s<id>`. */
  readonly name?: string;
  readonly kind?: SpanKind;
  /** ns after the trace's origin. */
  readonly start: number;
  readonly dur: number;
  readonly error?: boolean;
  readonly attrs?: Readonly<Record<string, AttrValue>>;
  /** Resource attributes (one resource per span). */
  readonly resource?: Readonly<Record<string, AttrValue>>;
  readonly links?: readonly { readonly trace?: number; readonly span: number; readonly kind?: LinkKind }[];
}

export const testTraceId = (trace: number) => trace.toString(16).padStart(32, '0');
export const testSpanId = (id: number) => id.toString(16).padStart(16, '0');

/** One load holding the spans, in the order given (the builder sorts them into pre-order per trace). */
export function buildSpans(spans: readonly TestSpan[]): TraceCollection {
  const b = new TraceModelBuilder('otlp-json');
  for (const s of spans) {
    let resource: number | undefined;
    if (s.resource) {
      resource = b.addResource(s.svc);
      for (const [key, value] of Object.entries(s.resource)) b.attr(key, value);
    }
    b.addSpan({
      traceId: testTraceId(s.trace ?? 1),
      spanId: testSpanId(s.id),
      parentSpanId: s.parent === undefined ? '' : testSpanId(s.parent),
      name: s.name ?? `s${s.id}`,
      service: s.svc,
      resource,
      kind: s.kind,
      start: { ms: 1_700_000_000_000 + Math.floor(s.start / 1e6), nsOfMs: s.start % 1e6 },
      durationNs: s.dur,
      status: s.error ? 'error' : 'unset',
    });
    for (const [key, value] of Object.entries(s.attrs ?? {})) b.attr(key, value);
    for (const l of s.links ?? []) b.addLink(testTraceId(l.trace ?? s.trace ?? 1), testSpanId(l.span), l.kind ?? 'link');
  }
  return b.build();
}
