// Where the span details go: beside the rows, under them, or inline under the span's row. The choice is remembered.
import { DETAILS_PLACEMENTS, useDetailsLayout, type DetailsPlacement } from '../state/details-layout-store.ts';

const LABELS: Record<DetailsPlacement, { readonly text: string; readonly title: string }> = {
  side: { text: 'Side', title: 'Details beside the rows' },
  bottom: { text: 'Bottom', title: 'Details under the rows' },
  inline: { text: 'Inline', title: 'Details under the span’s row' },
};

export function DetailsPlacementPicker() {
  const placement = useDetailsLayout((s) => s.placement);
  const setPlacement = useDetailsLayout((s) => s.setPlacement);
  return (
    <div role="radiogroup" aria-label="Where the details go" className="flex shrink-0 rounded border border-slate-300 text-[11px] dark:border-slate-600">
      {DETAILS_PLACEMENTS.map((p) => (
        <button
          key={p}
          type="button"
          role="radio"
          aria-checked={placement === p}
          data-testid={`details-placement-${p}`}
          title={LABELS[p].title}
          onClick={() => setPlacement(p)}
          className={`px-1.5 py-0.5 first:rounded-l last:rounded-r ${placement === p ? 'bg-sky-100 font-medium text-sky-800 dark:bg-sky-900/60 dark:text-sky-200' : 'text-slate-500 hover:bg-slate-100 dark:text-slate-400 dark:hover:bg-slate-800'}`}
        >
          {LABELS[p].text}
        </button>
      ))}
    </div>
  );
}
