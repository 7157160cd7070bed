// The shell: follows the URL, opens what is dropped, pasted or picked, and shows the header and the page.
import { useCallback, useState } from 'react';
import { LoadErrorBanner } from '../features/open-trace/LoadErrorBanner.tsx';
import { PasteDialog } from '../features/open-trace/PasteDialog.tsx';
import { useOpenTrace } from '../features/open-trace/use-open-trace.ts';
import { useAppStore, type OpenTarget } from '../state/app-store.ts';
import { AppHeader } from './AppHeader.tsx';
import { PageBody } from './PageBody.tsx';
import { useFollowUrl } from './use-follow-url.ts';
import { useLiveReload } from './use-live-reload.ts';
import { useDropToOpen, usePasteToOpen } from './use-open-by-hand.ts';
import { useOpenFile } from './use-open-file.ts';
import { useShellMoves } from './use-shell-moves.ts';

export function App() {
  const open = useOpenTrace();
  const pages = useFollowUrl(open);
  const { setPage } = pages;
  const openLocal = useCallback(
    (target: OpenTarget) => {
      setPage(undefined);
      void open(target);
    },
    [open, setPage],
  );
  const liveStatus = useLiveReload(open);
  usePasteToOpen(openLocal);
  const drop = useDropToOpen(openLocal);
  const [pasting, setPasting] = useState(false);
  const file = useOpenFile();
  const moves = useShellMoves(open, pages, file.shown);
  const error = useAppStore((s) => s.error);
  const dismissError = useAppStore((s) => s.dismissError);

  return (
    <div className="flex h-screen flex-col overflow-hidden bg-slate-50 text-slate-800 dark:bg-slate-950 dark:text-slate-200" {...drop.handlers}>
      <AppHeader
        file={file.shown}
        selected={file.selected}
        liveStatus={liveStatus}
        page={pages.page}
        onShowList={() => moves.choose(undefined)}
        onOpenSearch={moves.openSearch}
        onOpenFile={(f) => openLocal({ kind: 'file', file: f })}
        onPaste={() => setPasting(true)}
      />
      {error ? <LoadErrorBanner error={error} onDismiss={dismissError} /> : null}
      <main className="flex min-h-0 flex-1 flex-col overflow-auto">
        <PageBody
          page={pages.page}
          search={pages.search}
          file={file}
          onSearch={(form) => pages.setSearch({ form, submittedAt: Date.now() })}
          onOpenBackendTrace={moves.openFromBackend}
          onOpenSearchResults={moves.openSearchResults}
          onChooseTrace={moves.choose}
          onOpenAggregate={moves.openAggregate}
          onOpenFile={(f) => openLocal({ kind: 'file', file: f })}
          onPaste={() => setPasting(true)}
          onOpenSearch={moves.openSearch}
        />
      </main>
      {pasting ? (
        <PasteDialog
          onClose={() => setPasting(false)}
          onSubmit={(text) => {
            setPasting(false);
            openLocal({ kind: 'text', text, name: 'pasted JSON' });
          }}
        />
      ) : null}
      {drop.dragging ? (
        <div className="pointer-events-none fixed inset-0 z-50 flex items-center justify-center bg-sky-500/10 ring-4 ring-sky-500 ring-inset">
          <p className="rounded-lg bg-white px-5 py-3 text-base font-semibold text-sky-700 shadow-lg dark:bg-slate-900 dark:text-sky-300">Drop to open the trace file</p>
        </div>
      ) : null}
    </div>
  );
}
