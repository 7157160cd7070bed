// Copies text made on click (Markdown for a ticket) to the clipboard and says so; where the clipboard is
// denied (no permission, not a secure page), shows the text selected in a box to copy by hand.
import { useEffect, useRef, useState } from 'react';
import { useDismiss } from './use-dismiss.ts';

type CopyState = { readonly step: 'idle' } | { readonly step: 'copied' } | { readonly step: 'manual'; readonly text: string; readonly reason: string };

interface Props {
  readonly label: string;
  /** The text, made when the button is pressed (the view may have changed since it was drawn). */
  text(): string;
  readonly testId: string;
  readonly className?: string;
}

export function CopyTextButton({ label, text, testId, className = 'btn-secondary' }: Props) {
  const [state, setState] = useState<CopyState>({ step: 'idle' });
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (state.step !== 'copied') return;
    const timer = window.setTimeout(() => setState({ step: 'idle' }), 2000);
    return () => window.clearTimeout(timer);
  }, [state.step]);
  useDismiss(box, state.step === 'manual', () => setState({ step: 'idle' }));

  const copy = async () => {
    const value = text();
    try {
      if (!navigator.clipboard) throw new Error('This page has no clipboard access (it is not served over HTTPS or localhost).');
      await navigator.clipboard.writeText(value);
      setState({ step: 'copied' });
    } catch (err) {
      setState({ step: 'manual', text: value, reason: err instanceof Error ? err.message : String(err) });
    }
  };

  return (
    <div className="relative inline-block" ref={box}>
      <button type="button" className={className} data-testid={testId} onClick={() => void copy()}>
        {state.step === 'copied' ? '✓ Copied' : label}
      </button>
      <span role="status" className="sr-only">
        {state.step === 'copied' ? 'Copied to the clipboard' : ''}
      </span>
      {state.step === 'manual' ? (
        <div
          role="dialog"
          aria-label="Copy by hand"
          data-testid={`${testId}-manual`}
          className="absolute top-full right-0 z-40 mt-1 w-[26rem] max-w-[90vw] rounded-lg border border-slate-200 bg-white p-3 text-xs shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <p className="mb-1 text-slate-700 dark:text-slate-200">The clipboard refused the text ({state.reason}). Copy it from here:</p>
          <textarea
            readOnly
            autoFocus
            value={state.text}
            onFocus={(e) => e.currentTarget.select()}
            className="h-40 w-full rounded border border-slate-300 bg-slate-50 p-2 font-mono text-[11px] text-slate-800 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100"
          />
        </div>
      ) : null}
    </div>
  );
}
