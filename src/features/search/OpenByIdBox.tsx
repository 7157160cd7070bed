// "Open trace by id": a hex id, a W3C traceparent, a B3 or uber-trace-id value or Datadog decimal ids.
import { useState } from 'react';
import { parseTraceReference } from '../../core/propagation/trace-context.ts';

export function OpenByIdBox({ onOpen }: { onOpen(traceId: string): void }) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const submit = () => {
    if (!text.trim()) return;
    const ref = parseTraceReference(text);
    if ('error' in ref) return setProblem(ref.error);
    setProblem(undefined);
    onOpen(ref.traceId);
  };
  return (
    <form
      className="flex flex-col gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor="open-by-id" className="text-xs font-medium text-slate-600 dark:text-slate-300">
        Open trace by id
      </label>
      <div className="flex gap-2">
        <input
          id="open-by-id"
          data-testid="open-by-id"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="trace id, traceparent, b3, uber-trace-id or Datadog id"
          spellCheck={false}
          className="input min-w-0 flex-1 font-mono"
          aria-invalid={problem !== undefined}
          aria-describedby={problem ? 'open-by-id-problem' : undefined}
        />
        <button type="submit" className="btn-secondary shrink-0">
          Open
        </button>
      </div>
      {problem ? (
        <p id="open-by-id-problem" role="alert" data-testid="open-by-id-error" className="text-xs text-red-700 dark:text-red-300">
          {problem}
        </p>
      ) : null}
    </form>
  );
}
