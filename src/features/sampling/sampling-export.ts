// The lab's decisions as files to download: CSV (one row per trace) and JSON (each trace as `npm run
// sample` and the server's evaluation write it, so a script reads either the same way).
import type { SampledTraceRow, SamplingResult } from '../../core/view-format/analysis-answers.ts';

type Evaluated = Extract<SamplingResult, { kind: 'evaluated' }>;

const CSV_COLUMNS = ['traceId', 'rootService', 'rootName', 'startMs', 'durationMs', 'spans', 'errors', 'decision', 'policy', 'head', 'kept', 'late', 'bytes'] as const;

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled; null is empty. */
function csvField(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function decisionsCsv(traces: readonly SampledTraceRow[]): string {
  const rows = traces.map((t) =>
    [t.traceId, t.rootService, t.rootName, t.startMs, t.durationNs / 1e6, t.spans, t.errorCount, t.decision, t.policy, t.head, t.kept, t.late, t.bytes].map(csvField).join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

/** `{traces, summary}`, the shape of `npm run sample`'s output. */
export function decisionsJson(result: Evaluated): string {
  return `${JSON.stringify({ traces: result.traces, summary: result.summary }, null, 2)}\n`;
}

/** Saves the text as a file through a temporary link (no server round trip). */
export function downloadText(fileName: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // The download has started from the link; the object URL is no longer needed once the task ends.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
