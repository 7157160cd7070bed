// The lab's decisions as files to download: CSV (one row per trace) and JSON (the CLI's shape, so a
// script reads either the same way).
import type { SampledTraceRow, SamplingResult } from '../../core/view-format/analysis-answers.ts';

type Evaluated = Extract<SamplingResult, { kind: 'evaluated' }>;

const CSV_COLUMNS = ['traceId', 'rootService', 'rootName', 'durationMs', 'spans', 'errors', 'decision', 'policy', 'head', 'kept', 'lateSpans', 'bytes'] as const;

const headText = (head: boolean | undefined) => (head === undefined ? '' : head ? 'sampled' : 'not_sampled');

/** RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. */
function csvField(value: string | number | boolean): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function decisionsCsv(traces: readonly SampledTraceRow[]): string {
  const rows = traces.map((t) =>
    [t.traceId, t.rootService, t.rootName, t.durationNs / 1e6, t.spans, t.errorCount, t.decision, t.policy ?? '', headText(t.head), t.kept, t.lateSpans, t.bytes].map(csvField).join(','),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

export function decisionsJson(result: Evaluated): string {
  const traces = result.traces.map((t) => ({
    traceId: t.traceId,
    rootService: t.rootService,
    rootName: t.rootName,
    decision: t.decision,
    policy: t.policy ?? null,
    head: t.head === undefined ? null : headText(t.head),
    kept: t.kept,
    spans: t.spans,
    late: t.lateSpans,
    bytes: t.bytes,
  }));
  return `${JSON.stringify({ traces, summary: result.summary }, null, 2)}\n`;
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
