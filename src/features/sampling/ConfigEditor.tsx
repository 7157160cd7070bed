// The Collector config as text: a monospace textarea with line numbers; the line of a config error is
// marked in the gutter and across the text.
import { useRef, useState } from 'react';
import type { ConfigErrorInfo } from '../../core/sampling/config-yaml.ts';

/** Pixel height of a line (leading-5) and the textarea's top padding (py-2): the marks line up with the text. */
const LINE_PX = 20;
const PAD_PX = 8;

interface Props {
  readonly text: string;
  readonly error: ConfigErrorInfo | undefined;
  onChange(text: string): void;
}

export function ConfigEditor({ text, error, onChange }: Props) {
  const gutter = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const lineCount = text.split('\n').length;
  const errorLine = error?.line;
  return (
    <div className="flex flex-col gap-1">
      <div className="relative flex h-80 overflow-hidden rounded-md border border-slate-300 bg-white font-mono text-[13px] leading-5 dark:border-slate-600 dark:bg-slate-950">
        <div ref={gutter} aria-hidden className="overflow-hidden border-r border-slate-200 bg-slate-50 py-2 text-right text-slate-400 select-none dark:border-slate-800 dark:bg-slate-900 dark:text-slate-500">
          {Array.from({ length: lineCount }, (_, k) => (
            <div key={k} className={`px-2 tabular-nums ${k + 1 === errorLine ? 'bg-red-600 font-semibold text-white' : ''}`} data-testid={k + 1 === errorLine ? 'sampling-error-line' : undefined}>
              {k + 1}
            </div>
          ))}
        </div>
        <div className="relative min-w-0 flex-1">
          {errorLine !== undefined ? (
            <div aria-hidden className="pointer-events-none absolute inset-x-0 bg-red-500/15" style={{ top: PAD_PX + (errorLine - 1) * LINE_PX - scrollTop, height: LINE_PX }} />
          ) : null}
          <textarea
            className="absolute inset-0 resize-none bg-transparent px-2 py-2 text-slate-800 outline-none focus:ring-1 focus:ring-sky-500 dark:text-slate-100"
            value={text}
            spellCheck={false}
            wrap="off"
            aria-label="Collector tail_sampling config (YAML)"
            aria-invalid={error !== undefined}
            data-testid="sampling-config"
            onChange={(e) => onChange(e.target.value)}
            onScroll={(e) => {
              const top = e.currentTarget.scrollTop;
              if (gutter.current) gutter.current.scrollTop = top;
              setScrollTop(top);
            }}
          />
        </div>
      </div>
      {error ? (
        <p role="alert" data-testid="sampling-config-error" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-800 dark:bg-red-950/50 dark:text-red-200">
          {error.line !== undefined ? <span className="font-mono font-semibold">{`line ${error.line}:${error.column ?? 1}`}</span> : null}
          {error.policy !== undefined ? (
            <>
              {error.line !== undefined ? ' · ' : ''}policy <span className="font-mono font-semibold">{error.policy}</span>
            </>
          ) : null}
          {error.line !== undefined || error.policy !== undefined ? ': ' : ''}
          {error.message}
        </p>
      ) : null}
    </div>
  );
}
