// Test traces for the analyses: a trace drawn as an ASCII timeline (so the picture in a test IS the
// input). Generated traces (random, chains) are in ../model/test-traces.ts.
import { TEST_TRACE_ID, testEpoch as at, testSpanId as hex16 } from '../model/test-traces.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { SPAN_KINDS, spanName, type SpanKind, type TraceModel } from '../model/trace-model.ts';

/**
 * Builds a trace from a drawing, one span per line:
 *
 *   root   [==============================]
 *     a    [=====]                             svc=b kind=server
 *     b           |                            follows error
 *
 * The name's indentation (2 spaces a level) gives the parent. A bar covers the columns from '[' to ']'
 * inclusive, one column per `unitNs` ns, so "[==]" lasts 4 units and a bar drawn right after it starts
 * where it ends; '|' alone is a zero-duration span at that column. The earliest bar starts at time 0. Tokens after the bar:
 * svc=NAME (default "svc"), kind=KIND, follows (FOLLOWS_FROM its parent), error, msg=TEXT (the status
 * message, '_' for spaces), orphan (its parent id is not in the trace).
 */
export function timeline(drawing: string, unitNs = 1): TraceModel {
  const lines = drawing.split('\n').filter((l) => l.trim() !== '');
  const base = Math.min(...lines.map((l) => l.length - l.trimStart().length));
  const rows = lines.map((line, index) => {
    const indent = line.length - line.trimStart().length - base;
    if (indent % 2 !== 0) throw new Error(`timeline: odd indentation on line ${index + 1}: ${line}`);
    const name = line.trim().split(/\s+/)[0];
    const barFrom = line.indexOf(name) + name.length;
    const open = line.indexOf('[', barFrom);
    const pipe = line.indexOf('|', barFrom);
    let start: number;
    let end: number;
    if (open >= 0 && (pipe < 0 || open < pipe)) {
      start = open;
      end = line.indexOf(']', open) + 1;
      if (end === 0) throw new Error(`timeline: no ']' on line ${index + 1}`);
    } else if (pipe >= 0) {
      start = pipe;
      end = pipe;
    } else throw new Error(`timeline: no bar on line ${index + 1}`);
    const tokens = line.slice(Math.max(end, start + 1)).trim().split(/\s+/).filter(Boolean);
    const value = (key: string) => tokens.find((t) => t.startsWith(`${key}=`))?.slice(key.length + 1);
    return { depth: indent / 2, name, start, end, tokens, value };
  });
  const origin = Math.min(...rows.map((r) => r.start));

  const b = new TraceModelBuilder('jaeger');
  const open: number[] = []; // row index of the innermost open span at each depth
  rows.forEach((r, i) => {
    if (r.depth > open.length) throw new Error(`timeline: ${r.name} is indented past its parent`);
    open.length = r.depth;
    const parent = r.depth > 0 ? open[r.depth - 1] : -1;
    open.push(i);
    const orphan = r.tokens.includes('orphan');
    const kind = r.value('kind');
    if (kind !== undefined && !(SPAN_KINDS as readonly string[]).includes(kind)) throw new Error(`timeline: unknown kind ${kind}`);
    b.addSpan({
      traceId: TEST_TRACE_ID,
      spanId: hex16(i + 1),
      parentSpanId: orphan ? hex16(0xdead) : parent >= 0 ? hex16(parent + 1) : '',
      name: r.name,
      service: r.value('svc') ?? 'svc',
      kind: kind as SpanKind | undefined,
      start: at((r.start - origin) * unitNs),
      durationNs: (r.end - r.start) * unitNs,
      status: r.tokens.includes('error') ? 'error' : 'unset',
      statusMessage: r.value('msg')?.replaceAll('_', ' '),
    });
    if (r.tokens.includes('follows') && parent >= 0) b.addLink(TEST_TRACE_ID, hex16(parent + 1), 'follows_from');
  });
  return b.build().traces[0];
}

/** Model index of the span with this name (names are unique in drawn traces). */
export function spanNamed(model: TraceModel, name: string): number {
  for (let i = 0; i < model.spanCount; i++) if (spanName(model, i) === name) return i;
  throw new Error(`no span named ${name}`);
}
