// The selected span as OTLP JSON (the form every tool reads), to read or copy. Strings past a readable
// length are clipped in the view (a 1 MB message would lay out for seconds); the copy holds them whole.
import { useMemo } from 'react';
import { CopyTextButton } from '../../components/CopyTextButton.tsx';
import { toOtlpSpan } from '../../core/export/otlp-json.ts';
import type { SpanDetailsView } from '../../core/view-format/span-details-view.ts';

const SHOWN_STRING_CHARS = 2000;

export function SpanJson({ details }: { details: SpanDetailsView }) {
  const { full, shown } = useMemo(() => {
    const span = toOtlpSpan(details);
    return {
      full: JSON.stringify(span, null, 2),
      shown: JSON.stringify(
        span,
        (_key, value: unknown) =>
          typeof value === 'string' && value.length > SHOWN_STRING_CHARS ? `${value.slice(0, SHOWN_STRING_CHARS)}… (${value.length.toLocaleString('en-US')} characters; the copy has them all)` : value,
        2,
      ),
    };
  }, [details]);
  return (
    <section className="border-t border-slate-200 px-4 py-3 dark:border-slate-700" aria-label="Span as OTLP JSON">
      <div className="mb-2 flex items-center justify-between">
        <h3 className="text-[11px] font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">OTLP JSON</h3>
        <CopyTextButton label="Copy JSON" testId="copy-span-json" className="btn-secondary px-2 py-0.5 text-xs" text={() => full} />
      </div>
      <pre data-testid="span-json" className="max-h-[60vh] overflow-auto rounded bg-slate-50 p-2 font-mono text-[11px] leading-snug text-slate-800 dark:bg-slate-950 dark:text-slate-200">
        {shown}
      </pre>
    </section>
  );
}
