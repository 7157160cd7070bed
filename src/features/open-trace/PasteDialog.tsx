import { useEffect, useRef, useState } from 'react';

interface Props {
  onSubmit(text: string): void;
  onClose(): void;
}

export function PasteDialog({ onSubmit, onClose }: Props) {
  const [text, setText] = useState('');
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      className="m-auto w-[min(48rem,92vw)] rounded-xl border border-slate-200 bg-white p-0 text-slate-800 shadow-xl backdrop:bg-slate-900/40 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
    >
      <form
        method="dialog"
        className="flex flex-col gap-3 p-5"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim()) onSubmit(text);
        }}
      >
        <h2 className="text-base font-semibold">Paste trace JSON</h2>
        <textarea
          data-testid="paste-input"
          autoFocus
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          placeholder='{"data":[{"traceID":"…","spans":[…]}]}'
          className="h-72 w-full resize-y rounded-md border border-slate-300 bg-slate-50 p-3 font-mono text-xs dark:border-slate-600 dark:bg-slate-950"
        />
        <div className="flex justify-end gap-2">
          <button type="button" className="btn-secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" data-testid="paste-submit" className="btn-primary" disabled={!text.trim()}>
            Open
          </button>
        </div>
      </form>
    </dialog>
  );
}
