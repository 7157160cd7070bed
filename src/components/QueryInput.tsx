// The query box of the waterfall and the flamegraph: shows the text as typed (the view's query follows
// it), the query's error under it; Escape clears, Enter / Shift+Enter go to the next / previous match.
import { useEffect, useRef, useState, type RefObject } from 'react';
import { useKeepInViewport } from './keep-in-viewport.ts';

interface Props {
  readonly inputRef: RefObject<HTMLInputElement | null>;
  /** The query the view applies; the box follows it when it changes from elsewhere (URL, a graph click). */
  readonly query: string;
  readonly onQuery: (text: string) => void;
  readonly error: string | undefined;
  readonly placeholder: string;
  readonly testId: string;
  readonly errorTestId?: string;
  /** Width classes. */
  readonly className: string;
  readonly onEnter?: (direction: 1 | -1) => void;
}

export function QueryInput({ inputRef, query, onQuery, error, placeholder, testId, errorTestId, className, onEnter }: Props) {
  const [text, setText] = useState(query);
  const errorBox = useRef<HTMLParagraphElement>(null);
  useKeepInViewport(errorBox);
  useEffect(() => setText(query), [query]);
  const change = (next: string) => {
    setText(next);
    onQuery(next);
  };
  return (
    <div className="relative">
      <input
        ref={inputRef}
        data-testid={testId}
        type="search"
        value={text}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        onChange={(e) => change(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && onEnter) {
            e.preventDefault();
            onEnter(e.shiftKey ? -1 : 1);
          } else if (e.key === 'Escape') {
            change('');
            e.currentTarget.blur();
          }
          e.stopPropagation(); // the page's keys (n, e, /) are letters typed here
        }}
        className={`${className} rounded-md border bg-white px-2.5 py-1 text-sm placeholder:text-slate-400 dark:bg-slate-950 ${
          error ? 'border-red-400 dark:border-red-600' : 'border-slate-300 dark:border-slate-600'
        }`}
      />
      {error ? (
        <p ref={errorBox} role="alert" data-testid={errorTestId} className="absolute top-full left-0 z-30 mt-1 w-max max-w-[32rem] rounded bg-red-50 px-2 py-1 text-xs text-red-800 shadow dark:bg-red-950 dark:text-red-200">
          {error}
        </p>
      ) : null}
    </div>
  );
}
