// A readable text dump of a loaded file, for snapshot tests and the CLI: one line per span, indented
// by depth, with service, name, kind, start offset and duration, and an error flag.
import { formatDuration } from './time.ts';
import { SPAN_KINDS, isErrorSpan, spanName, spanService, type TraceCollection } from './trace-model.ts';

export function dumpCollection(collection: TraceCollection, maxSpansPerTrace = 500): string {
  const lines: string[] = [`format ${collection.format}, ${collection.traces.length} trace(s)`];
  for (const w of collection.warnings) lines.push(`! ${w}`);
  for (const model of collection.traces) {
    lines.push(`trace ${model.traceId}: ${model.spanCount} spans, ${formatDuration(model.traceDurationNs)}, ${model.errorCount} errors`);
    for (const w of model.warnings) lines.push(`  ! ${w}`);
    const shown = Math.min(model.spanCount, maxSpansPerTrace);
    for (let i = 0; i < shown; i++) {
      const kind = SPAN_KINDS[model.kind[i]];
      const flags = [
        isErrorSpan(model, i) ? 'ERROR' : '',
        model.eventCount[i] ? `${model.eventCount[i]} events` : '',
        model.linkCount[i] ? `${model.linkCount[i]} links` : '',
        model.parent[i] < 0 && model.parentSpanIds[i] !== '' ? 'orphan' : '',
      ].filter(Boolean);
      lines.push(
        `${'  '.repeat(model.depth[i] + 1)}${spanService(model, i)} ${JSON.stringify(spanName(model, i))}` +
          `${kind === 'unspecified' ? '' : ` [${kind}]`} +${formatDuration(model.startNs[i])} ${formatDuration(model.durationNs[i])}` +
          `${flags.length ? ` (${flags.join(', ')})` : ''}`,
      );
    }
    if (shown < model.spanCount) lines.push(`  … ${model.spanCount - shown} more spans`);
  }
  return lines.join('\n');
}
