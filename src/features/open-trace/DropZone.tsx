import { useRef, useState, type DragEvent } from 'react';
import { DemoTraces } from './DemoTraces.tsx';

interface Props {
  onFile(file: File): void;
  onPaste(): void;
  onSearch(): void;
}

/** The welcome panel: drop a file, pick one, paste JSON, or open a demo trace. */
export function DropZone({ onFile, onPaste, onSearch }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    setOver(false);
    const file = e.dataTransfer.files[0];
    if (file) onFile(file);
  };
  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-6 px-6 py-10">
      <div
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
        className={`flex flex-col items-center gap-4 rounded-xl border-2 border-dashed px-8 py-14 text-center transition-colors ${
          over ? 'border-sky-500 bg-sky-50 dark:bg-sky-950/40' : 'border-slate-300 bg-white dark:border-slate-700 dark:bg-slate-900'
        }`}
      >
        <svg aria-hidden width="44" height="44" viewBox="0 0 24 24" className="text-slate-400">
          <path fill="currentColor" d="M3 5h10v2H3zm2 4h12v2H5zm4 4h12v2H9zm-2 4h8v2H7z" />
        </svg>
        <div>
          <p className="text-lg font-semibold text-slate-800 dark:text-slate-100">Drop a trace file here</p>
          <p className="mt-1 text-sm text-slate-500 dark:text-slate-400">
            Jaeger, OTLP, Tempo, Zipkin v1/v2 or Datadog JSON — NDJSON and .gz too. Files are read in your browser.
          </p>
        </div>
        <div className="flex gap-3">
          <button type="button" onClick={() => input.current?.click()} className="btn-primary">
            Choose a file…
          </button>
          <button type="button" onClick={onPaste} className="btn-secondary">
            Paste JSON
          </button>
          <button type="button" onClick={onSearch} className="btn-secondary" data-testid="dropzone-search">
            Search stored traces
          </button>
        </div>
        <input
          ref={input}
          data-testid="file-input"
          type="file"
          className="hidden"
          accept=".json,.jsonl,.ndjson,.gz,.txt,application/json"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onFile(file);
            e.target.value = '';
          }}
        />
      </div>
      <DemoTraces />
    </div>
  );
}
