import type { TraceSummary } from '../core/analysis/trace-summary.ts';
import { ServiceSwatch } from '../components/ServiceSwatch.tsx';
import { TraceHeader } from '../features/trace-header/TraceHeader.tsx';

export function TracePage({ trace, fileServices }: { trace: TraceSummary; fileServices: readonly string[] }) {
  return (
    <div className="flex flex-1 flex-col" data-testid="trace-page">
      <TraceHeader trace={trace} fileServices={fileServices} />
      <section className="px-5 py-6">
        <h2 className="mb-3 text-sm font-semibold tracking-wide text-slate-500 uppercase dark:text-slate-400">Services</h2>
        <ul className="flex flex-wrap gap-2">
          {trace.services.map((s) => (
            <li key={s} className="flex items-center gap-2 rounded-md border border-slate-200 bg-white px-2.5 py-1 text-sm dark:border-slate-700 dark:bg-slate-900">
              <ServiceSwatch services={fileServices} service={s} />
              {s}
            </li>
          ))}
        </ul>
        <p className="mt-8 text-sm text-slate-500 dark:text-slate-400">The waterfall timeline for this trace is the next milestone.</p>
      </section>
    </div>
  );
}
