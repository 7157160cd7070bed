// The `?` sheet: every waterfall shortcut, read from the same table the key handler uses.
import { useEffect, useRef } from 'react';
import { WATERFALL_SHORTCUTS, keyLabel } from './shortcuts.ts';

export function ShortcutSheet({ onClose }: { onClose(): void }) {
  const closeButton = useRef<HTMLButtonElement>(null);
  useEffect(() => closeButton.current?.focus(), []);
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-slate-900/40" onMouseDown={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcut-sheet-title"
        data-testid="shortcut-sheet"
        data-shortcut-sheet
        className="max-h-[85vh] w-[26rem] max-w-[92vw] overflow-auto rounded-lg border border-slate-200 bg-white p-4 shadow-xl dark:border-slate-700 dark:bg-slate-900"
        onMouseDown={(e) => e.stopPropagation()}
      >
        <div className="mb-3 flex items-center justify-between">
          <h2 id="shortcut-sheet-title" className="text-sm font-semibold text-slate-800 dark:text-slate-100">
            Keyboard shortcuts
          </h2>
          <button ref={closeButton} type="button" className="btn-secondary py-0.5 text-xs" onClick={onClose}>
            Close (Esc)
          </button>
        </div>
        <table className="w-full text-sm">
          <tbody>
            {WATERFALL_SHORTCUTS.map((s) => (
              <tr key={s.action} data-testid="shortcut-row" className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1 pr-3 whitespace-nowrap">
                  {s.keys.map((k) => (
                    <kbd key={k} className="mr-1 inline-block min-w-6 rounded border border-slate-300 bg-slate-50 px-1.5 text-center font-mono text-xs text-slate-700 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200">
                      {keyLabel(k)}
                    </kbd>
                  ))}
                </td>
                <td className="py-1 text-slate-600 dark:text-slate-300">{s.description}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
