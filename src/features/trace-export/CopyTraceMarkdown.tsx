// The trace header's "Copy as Markdown": the trace's summary and a link to this view, for a ticket.
import { CopyTextButton } from '../../components/CopyTextButton.tsx';
import type { TraceSummary } from '../../core/analysis/trace-summary.ts';
import { traceMarkdown } from '../../core/export/markdown-summary.ts';
import { usePermalink } from '../../state/use-permalink.ts';

export function CopyTraceMarkdown({ trace }: { trace: TraceSummary }) {
  const permalink = usePermalink();
  return <CopyTextButton label="Copy as Markdown" testId="copy-trace-markdown" className="btn-secondary px-2 py-1 text-xs" text={() => traceMarkdown(trace, permalink())} />;
}
