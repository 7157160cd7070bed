// Test traces for the cross-trace analyses: several traces drawn as one ASCII timeline on a shared
// time axis, each trace built by its own TraceModelBuilder (its own stores, as separate loads are).
// Used by tests only.
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { SPAN_KINDS, type LinkKind, type SpanKind, type TraceModel } from '../model/trace-model.ts';
import type { SpanRef } from './span-ref.ts';

export const hex16 = (n: number) => n.toString(16).padStart(16, '0');
/** The trace id of the k-th drawn trace (0-based). */
export const drawnTraceId = (k: number) => (0xa1 + k).toString(16).padStart(32, '0');
/** `ns` nanoseconds after an epoch far from zero. */
export const epochAt = (ns: number) => ({ ms: 1_700_000_000_000 + Math.floor(ns / 1e6), nsOfMs: ns % 1e6 });

export interface DrawnTraces {
  readonly traces: TraceModel[];
  /** Where the span with this name is. */
  ref(name: string): SpanRef;
}

/**
 * Builds traces from a drawing. A line `trace NAME` starts a trace; the lines under it are spans, as in
 * analysis-test-helpers' timeline(): indentation (2 spaces a level) gives the parent, '[' … ']' the
 * bar (one column per `unitNs`), '|' a zero-length span. All traces share the column axis. Tokens after
 * the bar: svc=NAME, kind=KIND, error, follows (FOLLOWS_FROM its parent), link=A,B (links to the spans
 * named A and B, in any trace; link=A:follows_from for another kind), attr.KEY=VALUE (a string
 * attribute; int:VALUE for an integer).
 */
export function drawTraces(drawing: string, unitNs = 1): DrawnTraces {
  const lines = drawing.split('\n').filter((l) => l.trim() !== '');
  const rows: { trace: number; depth: number; name: string; start: number; end: number; tokens: string[] }[] = [];
  let trace = -1;
  let traceIndent = 0;
  for (const line of lines) {
    const indent = line.length - line.trimStart().length;
    const words = line.trim().split(/\s+/);
    if (words[0] === 'trace') {
      trace++;
      traceIndent = indent;
      continue;
    }
    if (trace < 0) throw new Error('drawTraces: a span before the first "trace" line');
    const name = words[0];
    const barFrom = line.indexOf(name, indent) + name.length;
    const open = line.indexOf('[', barFrom);
    const pipe = line.indexOf('|', barFrom);
    const isBar = open >= 0 && (pipe < 0 || open < pipe);
    const start = isBar ? open : pipe;
    if (start < 0) throw new Error(`drawTraces: no bar for ${name}`);
    const end = isBar ? line.indexOf(']', open) + 1 : pipe;
    const depth = (indent - traceIndent) / 2 - 1;
    if (!Number.isInteger(depth) || depth < 0) throw new Error(`drawTraces: bad indentation for ${name}`);
    rows.push({ trace, depth, name, start, end, tokens: line.slice(Math.max(end, start + 1)).trim().split(/\s+/).filter(Boolean) });
  }
  const origin = Math.min(...rows.map((r) => r.start));
  const idOf = new Map(rows.map((r, i) => [r.name, { traceId: drawnTraceId(r.trace), spanId: hex16(i + 1) }]));

  const builders: TraceModelBuilder[] = [];
  const open: number[] = [];
  rows.forEach((r, i) => {
    const b = (builders[r.trace] ??= new TraceModelBuilder('otlp-json'));
    if (r.depth === 0) open.length = 0;
    if (r.depth > open.length) throw new Error(`drawTraces: ${r.name} is indented past its parent`);
    open.length = r.depth;
    const parent = r.depth > 0 ? open[r.depth - 1] : -1;
    open.push(i);
    const value = (key: string) => r.tokens.find((t) => t.startsWith(`${key}=`))?.slice(key.length + 1);
    const kind = value('kind');
    if (kind !== undefined && !(SPAN_KINDS as readonly string[]).includes(kind)) throw new Error(`drawTraces: unknown kind ${kind}`);
    b.addSpan({
      traceId: drawnTraceId(r.trace),
      spanId: hex16(i + 1),
      parentSpanId: parent >= 0 ? hex16(parent + 1) : '',
      name: r.name,
      service: value('svc') ?? 'svc',
      kind: kind as SpanKind | undefined,
      start: epochAt((r.start - origin) * unitNs),
      durationNs: (r.end - r.start) * unitNs,
      status: r.tokens.includes('error') ? 'error' : 'unset',
    });
    for (const token of r.tokens.filter((t) => t.startsWith('attr.'))) {
      const [key, raw] = [token.slice(5, token.indexOf('=')), token.slice(token.indexOf('=') + 1)];
      b.attr(key, raw.startsWith('int:') ? Number(raw.slice(4)) : raw);
    }
    if (r.tokens.includes('follows') && parent >= 0) b.addLink(drawnTraceId(r.trace), hex16(parent + 1), 'follows_from');
    for (const target of value('link')?.split(',') ?? []) {
      const [name, kind = 'link'] = target.split(':');
      const id = idOf.get(name);
      if (!id) throw new Error(`drawTraces: link to unknown span ${name}`);
      b.addLink(id.traceId, id.spanId, kind as LinkKind);
    }
  });
  const traces = builders.map((b) => b.build().traces[0]);
  return {
    traces,
    ref(name: string): SpanRef {
      const row = rows.findIndex((r) => r.name === name);
      if (row < 0) throw new Error(`no span named ${name}`);
      const trace = rows[row].trace;
      return { trace, span: traces[trace].spanIds.indexOf(hex16(row + 1)) };
    },
  };
}
