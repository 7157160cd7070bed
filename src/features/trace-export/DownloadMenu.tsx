// The trace header's Download menu: the file as it was opened, or this trace written as OTLP JSON or
// Jaeger JSON (in the worker, as a Blob: a big trace never becomes one string).
import { useRef, useState } from 'react';
import { useDismiss } from '../../components/use-dismiss.ts';
import { downloadBlob } from '../../components/download.ts';
import type { ExportFormat } from '../../core/export/chunks.ts';
import { useTraceWorker } from '../../state/trace-worker-context.ts';

/** The bytes the trace was opened from, fetched again when asked for (a URL, a share, a backend). */
export interface OriginalFile {
  readonly name: string;
  read(): Promise<Blob>;
}

type Choice = 'original' | ExportFormat;

interface Props {
  readonly traceId: string;
  readonly original: OriginalFile | undefined;
}

export function DownloadMenu({ traceId, original }: Props) {
  const getWorker = useTraceWorker();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState<Choice | undefined>();
  const [error, setError] = useState<string | undefined>();
  const box = useRef<HTMLDivElement>(null);
  useDismiss(box, open, () => setOpen(false));

  const base = `trace-${traceId.replace(/[^\w.-]+/g, '_')}`;
  const save = async (choice: Choice) => {
    setBusy(choice);
    setError(undefined);
    try {
      if (choice === 'original') {
        if (!original) return;
        downloadBlob(await original.read(), original.name);
      } else downloadBlob(await getWorker().exportTrace(traceId, choice), `${base}.${choice}.json`);
      setOpen(false);
    } catch (err) {
      setError(`The download failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      setBusy(undefined);
    }
  };

  const item = (choice: Choice, title: string, detail: string, disabled = false) => (
    <li>
      <button
        type="button"
        role="menuitem"
        disabled={disabled || busy !== undefined}
        data-testid={`download-${choice}`}
        onClick={() => void save(choice)}
        className="flex w-full flex-col items-start rounded px-2.5 py-1.5 text-left hover:bg-sky-50 disabled:cursor-default disabled:opacity-50 disabled:hover:bg-transparent dark:hover:bg-slate-800"
      >
        <span className="text-sm font-medium text-slate-800 dark:text-slate-100">
          {title}
          {busy === choice ? <span className="ml-1 font-normal text-slate-500"> preparing…</span> : null}
        </span>
        <span className="max-w-full text-xs break-all text-slate-500 dark:text-slate-400">{detail}</span>
      </button>
    </li>
  );

  return (
    <div className="relative" ref={box}>
      <button type="button" className="btn-secondary px-2 py-1 text-xs" aria-haspopup="menu" aria-expanded={open} data-testid="download-button" onClick={() => setOpen(!open)}>
        Download ▾
      </button>
      {open ? (
        <div className="absolute top-full right-0 z-40 mt-1 w-80 max-w-[calc(100vw-2rem)] rounded-lg border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900" data-testid="download-menu">
          <ul role="menu" aria-label="Download the trace">
            {item('original', 'Original file', original ? original.name : 'Not available for this view', !original)}
            {item('otlp', 'OTLP JSON', 'This trace, as OpenTelemetry tools read it')}
            {item('jaeger', 'Jaeger JSON', 'This trace, as the Jaeger UI opens it')}
          </ul>
          {error ? (
            <p role="alert" className="px-2.5 py-1.5 text-xs break-words text-red-700 dark:text-red-300">
              {error}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
