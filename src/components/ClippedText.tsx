// A value of any length at a readable length (see clip-text.ts), with "show all": a scroll box with a
// bounded height that lays out one page of the value at a time, so even a 1 MB value with no spaces
// opens at once.
import { useState } from 'react';
import { clipText, pageBounds, VALUE_CLIP_CHARS } from './clip-text.ts';
import { formatCount } from './format.ts';

/** Characters laid out at once in the "show all" box: a few hundred lines at the panel's width. */
export const PAGE_CHARS = 20_000;

interface Props {
  readonly text: string;
  /** Characters shown before "show all". */
  readonly max?: number;
  /** Classes of the text (e.g. font-mono, whitespace-pre-wrap); the box adds its own. */
  readonly className?: string;
  readonly testId?: string;
  /** The height of the "show all" box (a Tailwind max-h-*): lower where space is short, as in a sticky header. */
  readonly boxHeight?: string;
}

export function ClippedText({ text, max = VALUE_CLIP_CHARS, className = '', testId, boxHeight = 'max-h-64' }: Props) {
  const [expanded, setExpanded] = useState(false);
  if (text.length <= max) {
    return (
      <span className={className} data-testid={testId}>
        {text}
      </span>
    );
  }
  if (!expanded) {
    return (
      <span className={className} data-testid={testId} data-clipped="true">
        {clipText(text, max)}{' '}
        <button type="button" data-testid="show-all" onClick={() => setExpanded(true)} className="font-sans text-[11px] font-medium whitespace-nowrap text-sky-700 hover:underline dark:text-sky-300">
          Show all ({formatCount(text.length)} characters)
        </button>
      </span>
    );
  }
  return <AllOfValue text={text} className={className} testId={testId} boxHeight={boxHeight} onCollapse={() => setExpanded(false)} />;
}

function AllOfValue({ text, className, testId, boxHeight, onCollapse }: { text: string; className: string; testId: string | undefined; boxHeight: string; onCollapse(): void }) {
  const [page, setPage] = useState(0);
  const pages = Math.ceil(text.length / PAGE_CHARS);
  const [start, end] = pageBounds(text.length, page, PAGE_CHARS, text);
  const link = 'font-sans text-[11px] font-medium text-sky-700 hover:underline disabled:text-slate-400 disabled:no-underline dark:text-sky-300';
  return (
    <span className="block" data-testid={testId}>
      <span
        data-testid="show-all-box"
        tabIndex={0}
        className={`block ${boxHeight} overflow-auto rounded border border-slate-200 bg-slate-50 p-1.5 text-slate-800 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100 ${className} break-all whitespace-pre-wrap`}
      >
        {text.slice(start, end)}
      </span>
      <span className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-0.5 font-sans text-[11px] text-slate-500 dark:text-slate-400">
        <span data-testid="show-all-range" className="tabular-nums">
          {pages > 1 ? `${formatCount(start + 1)}–${formatCount(end)} of ${formatCount(text.length)} characters` : `${formatCount(text.length)} characters`}
        </span>
        {pages > 1 ? (
          <>
            <button type="button" className={link} disabled={page === 0} onClick={() => setPage(page - 1)}>
              ‹ Previous
            </button>
            <button type="button" data-testid="show-all-next" className={link} disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
              Next ›
            </button>
          </>
        ) : null}
        <button type="button" className={link} onClick={() => void navigator.clipboard?.writeText(text)}>
          Copy all
        </button>
        <button type="button" data-testid="show-less" className={link} onClick={onCollapse}>
          Show less
        </button>
      </span>
    </span>
  );
}
