// The app's header: home, the open file (with its trace list, when it has many), search, open, paste, share, theme.
import { formatBytes } from '../components/format.ts';
import type { TraceSummary } from '../core/analysis/trace-summary.ts';
import { ShareButton } from '../features/share/ShareButton.tsx';
import type { useLiveTraceStatus } from '../queries/live-trace-status.ts';
import type { LoadedFile } from '../worker/protocol.ts';
import { ThemeButton } from './ThemeButton.tsx';

interface Props {
  readonly file: LoadedFile | undefined;
  readonly selected: TraceSummary | undefined;
  readonly liveStatus: ReturnType<typeof useLiveTraceStatus>['data'];
  readonly page: 'search' | undefined;
  onShowList(): void;
  onOpenSearch(): void;
  onOpenFile(file: File): void;
  onPaste(): void;
}

export function AppHeader({ file, selected, liveStatus, page, onShowList, onOpenSearch, onOpenFile, onPaste }: Props) {
  const multi = (file?.summary.traces.length ?? 0) > 1;
  return (
    <header className="flex h-12 shrink-0 items-center gap-4 border-b border-slate-200 bg-white px-4 dark:border-slate-800 dark:bg-slate-900">
      <button type="button" onClick={onShowList} className="flex items-center gap-2 font-semibold tracking-tight text-slate-900 dark:text-slate-50" title="Spanscope">
        <svg aria-hidden width="20" height="20" viewBox="0 0 20 20">
          <rect x="1" y="3" width="11" height="3" rx="1" fill="#0072B2" />
          <rect x="5" y="8.5" width="12" height="3" rx="1" fill="#44AA99" />
          <rect x="8" y="14" width="8" height="3" rx="1" fill="#E69F00" />
        </svg>
        Spanscope
      </button>
      {file ? (
        <nav className="flex min-w-0 items-center gap-2 text-sm text-slate-500 dark:text-slate-400" aria-label="Breadcrumb">
          <span className="truncate font-mono text-slate-700 dark:text-slate-200" data-testid="source-name">
            {file.sourceName}
          </span>
          <span className="shrink-0 rounded bg-slate-100 px-1.5 py-0.5 text-[11px] dark:bg-slate-800">{file.summary.formatLabel}</span>
          <span className="shrink-0 text-xs">{formatBytes(file.byteLength)}</span>
          {liveStatus?.receiving ? (
            <span
              data-testid="trace-receiving"
              title={`Spans still arriving (${liveStatus.spanCount} so far); the view refreshes as they come`}
              className="flex shrink-0 items-center gap-1.5 rounded-full bg-sky-100 px-2 py-0.5 text-[11px] font-medium text-sky-800 dark:bg-sky-900/60 dark:text-sky-200"
            >
              <span className="h-1.5 w-1.5 animate-pulse rounded-full bg-sky-500" aria-hidden />
              incomplete · still receiving
            </span>
          ) : null}
          {multi && selected ? (
            <>
              <span>›</span>
              <button type="button" data-testid="back-to-list" onClick={onShowList} className="shrink-0 text-sky-600 hover:underline dark:text-sky-400">
                all {file.summary.traces.length} traces
              </button>
            </>
          ) : null}
        </nav>
      ) : null}
      <div className="ml-auto flex items-center gap-2">
        <button type="button" className={page === 'search' ? 'btn-primary' : 'btn-secondary'} data-testid="nav-search" aria-current={page === 'search' ? 'page' : undefined} onClick={onOpenSearch}>
          Search
        </button>
        <label className="btn-secondary cursor-pointer">
          Open file…
          <input
            type="file"
            data-testid="header-file-input"
            className="hidden"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) onOpenFile(f);
              e.target.value = '';
            }}
          />
        </label>
        <button type="button" className="btn-secondary" onClick={onPaste}>
          Paste
        </button>
        {file && page !== 'search' ? <ShareButton /> : null}
        <ThemeButton />
      </div>
    </header>
  );
}
