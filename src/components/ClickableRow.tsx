// A table row that opens what it stands for: on click, or on Enter when focused (rows are tab stops).
import type { ReactNode } from 'react';

/** `heightPx`: the fixed height a virtual table counts on (its cells must not wrap). */
export function ClickableRow({ testId, onOpen, heightPx, children }: { testId: string; onOpen(): void; heightPx?: number; children: ReactNode }) {
  return (
    <tr
      data-testid={testId}
      style={heightPx === undefined ? undefined : { height: heightPx }}
      tabIndex={0}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === 'Enter') onOpen();
      }}
      className="cursor-pointer border-b border-slate-100 last:border-0 hover:bg-sky-50 focus:bg-sky-50 focus:outline-none dark:border-slate-800 dark:hover:bg-slate-800 dark:focus:bg-slate-800"
    >
      {children}
    </tr>
  );
}
