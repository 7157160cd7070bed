// The store scope's time range: a lookback (turned into absolute times when picked, so the link replays
// the same traces later) or two times typed by hand. The traces whose start falls in it are evaluated.
import { LOOKBACKS } from '../../core/api/lookbacks.ts';
import type { StoreRange } from './sampling-url.ts';

interface Props {
  readonly range: StoreRange;
  onChange(range: StoreRange): void;
}

export function StoreRangeField({ range, onChange }: Props) {
  const pickLookback = (value: string) => {
    const lookback = LOOKBACKS.find((l) => l.value === value);
    if (!lookback) return;
    const now = Date.now();
    onChange(Number.isFinite(lookback.ms) ? { start: now - lookback.ms, end: now } : { start: undefined, end: undefined });
  };
  return (
    <fieldset className="flex w-full flex-col gap-2 text-sm" data-testid="sampling-store-range">
      <legend className="field-label mb-1">Stored traces that start</legend>
      <label className="flex flex-col gap-1">
        <span className="sr-only">Lookback</span>
        <select className="input w-full py-1" value="" onChange={(e) => pickLookback(e.target.value)} data-testid="sampling-lookback">
          <option value="" disabled>
            {rangeText(range)}
          </option>
          {LOOKBACKS.map((l) => (
            <option key={l.value} value={l.value}>
              {l.label}
            </option>
          ))}
        </select>
      </label>
      <div className="grid grid-cols-2 gap-2">
        <TimeInput label="from" value={range.start} onChange={(start) => onChange({ ...range, start })} testId="sampling-from" />
        <TimeInput label="to" value={range.end} onChange={(end) => onChange({ ...range, end })} testId="sampling-to" />
      </div>
    </fieldset>
  );
}

function TimeInput({ label, value, onChange, testId }: { label: string; value: number | undefined; onChange(ms: number | undefined): void; testId: string }) {
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs text-slate-500 dark:text-slate-400">{label}</span>
      <input
        type="datetime-local"
        step={1}
        className="input w-full min-w-0 py-1"
        value={value === undefined ? '' : localInputValue(value)}
        onChange={(e) => {
          const ms = e.target.value === '' ? undefined : new Date(e.target.value).getTime();
          onChange(ms === undefined || Number.isNaN(ms) ? undefined : ms);
        }}
        data-testid={testId}
      />
    </label>
  );
}

/** "any time", "since 7 Dec 18:00", "7 Dec 18:00 – 19:00": what the select shows when no lookback is picked. */
export function rangeText({ start, end }: StoreRange): string {
  const at = (ms: number) => new Date(ms).toLocaleString(undefined, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  if (start === undefined && end === undefined) return 'at any time';
  if (end === undefined) return `since ${at(start ?? 0)}`;
  if (start === undefined) return `until ${at(end)}`;
  return `${at(start)} – ${at(end)}`;
}

/** The value a datetime-local input takes: local time, to the second. */
function localInputValue(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
