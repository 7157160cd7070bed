// A table row that opens what it stands for: on click, or on Enter when focused (rows are tab stops).
import type { ReactNode } from 'react';

export function ClickableRow({ testId, onOpen, children }: { testId: string; onOpen(): void; children: ReactNode }) {
  return (
    <tr
      data-testid={testId}
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
