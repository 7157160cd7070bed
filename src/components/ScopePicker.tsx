import type { AnalysisScope } from '../core/view-format/analysis-answers.ts';

/** This trace or every loaded one; nothing to choose with one trace loaded. */
export function ScopePicker({ scope, traceCount, onChange }: { scope: AnalysisScope; traceCount: number; onChange(scope: AnalysisScope): void }) {
  if (traceCount < 2) return null;
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="field-label">Over</span>
      <select className="input py-1" value={scope} onChange={(e) => onChange(e.target.value === 'all' ? 'all' : 'trace')} data-testid="analysis-scope">
        <option value="trace">this trace</option>
        <option value="all">all {traceCount} loaded traces</option>
      </select>
    </label>
  );
}
