// A span or a trace as Markdown for a ticket: what it is (service, name), how long it took, whether it
// failed and why, the attributes a reader asks about first, and a link back to the view.
import type { TraceSummary } from '../analysis/trace-summary.ts';
import { attrValueToString, type Attribute } from '../model/attributes.ts';
import type { SpanDetails } from '../model/span-details.ts';
import { epochToIso, formatDuration } from '../model/time.ts';

/** Attributes worth a line in a ticket, in this order (current semantic-convention names, then the older ones). */
const KEY_ATTRIBUTES = [
  'http.request.method',
  'http.method',
  'http.route',
  'url.full',
  'http.url',
  'url.path',
  'http.target',
  'http.response.status_code',
  'http.status_code',
  'rpc.system',
  'rpc.service',
  'rpc.method',
  'rpc.grpc.status_code',
  'db.system',
  'db.name',
  'db.query.text',
  'db.statement',
  'messaging.system',
  'messaging.destination.name',
  'messaging.destination',
  'peer.service',
  'server.address',
  'net.peer.name',
  'error.type',
  'exception.type',
] as const;

const MAX_ATTRIBUTES = 8;
const MAX_VALUE_CHARS = 200;

/** Text in Markdown where it would otherwise format: *, _, `, [, ], <, > and | are escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);
}

/** An inline code span that holds backticks too (a fence longer than any run inside). */
function code(text: string): string {
  const clipped = text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}…` : text;
  const flat = clipped.replace(/\s+/g, ' ');
  const longestRun = Math.max(0, ...Array.from(flat.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function linkLine(link: string | undefined): string {
  return link ? `- Link: <${link}>` : '- Link: none (opened from a local file; Share gives it one)';
}

/** The key attributes of a span: the well-known ones it has (its own, then its resource's), then its other own ones. */
export function keyAttributes(span: Pick<SpanDetails, 'attributes' | 'resource'>): Attribute[] {
  const all = [...span.attributes, ...(span.resource?.attributes ?? [])];
  const known = KEY_ATTRIBUTES.flatMap((key) => all.find((a) => a.key === key) ?? []);
  const others = span.attributes.filter((a) => !known.includes(a));
  return [...known, ...others].slice(0, MAX_ATTRIBUTES);
}

export interface MarkdownSpan extends Omit<SpanDetails, 'links'> {
  /** The error's message as the details panel shows it (status message or exception message). */
  readonly errorMessage: string | undefined;
}

export function spanMarkdown(span: MarkdownSpan, selfTimeNs: number, link: string | undefined): string {
  const failed = span.status === 'error';
  const lines = [
    `**${escapeMarkdown(span.service)}: ${escapeMarkdown(span.name)}** — ${formatDuration(span.durationNs)}${failed ? ' — **error**' : ''}`,
    '',
    `- Service: ${code(span.service)} · kind ${span.kind}`,
    `- Duration: ${formatDuration(span.durationNs)} (self time ${formatDuration(selfTimeNs)}), started ${epochToIso(span.start)}, +${formatDuration(span.startNs)} into the trace`,
    `- Status: ${span.status}${failed ? `: ${code(span.errorMessage ?? span.statusMessage ?? 'no message')}` : ''}`,
    `- Trace ${code(span.traceId)}, span ${code(span.spanId)}${span.parentSpanId ? `, parent ${code(span.parentSpanId)}` : ''}`,
  ];
  const attributes = keyAttributes(span);
  if (attributes.length) {
    lines.push('- Attributes:');
    for (const a of attributes) lines.push(`  - ${code(a.key)}: ${code(attrValueToString(a.value))}`);
  }
  lines.push(linkLine(link));
  return `${lines.join('\n')}\n`;
}

export function traceMarkdown(trace: TraceSummary, link: string | undefined): string {
  const errors = trace.errorCount === 1 ? '1 error' : `${trace.errorCount.toLocaleString('en-US')} errors`;
  const lines = [
    `**${escapeMarkdown(trace.rootService)}: ${escapeMarkdown(trace.rootName)}** — ${formatDuration(trace.durationNs)}${trace.errorCount ? ` — **${errors}**` : ''}`,
    '',
    `- Trace ${code(trace.traceId)}, started ${epochToIso(trace.traceStart)}`,
    `- Duration: ${formatDuration(trace.durationNs)}; ${trace.spanCount.toLocaleString('en-US')} span${trace.spanCount === 1 ? '' : 's'}, depth ${trace.depth}; ${errors}`,
    `- Services (${trace.services.length}): ${trace.services.map(code).join(', ')}`,
  ];
  if (trace.rootCount > 1) lines.push(`- ${trace.rootCount} roots (spans whose parent is missing)`);
  lines.push(linkLine(link));
  return `${lines.join('\n')}\n`;
}
