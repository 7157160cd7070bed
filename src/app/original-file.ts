// The file a trace was opened from, for the Download menu: a dropped file or pasted text as they are; a
// URL, a share or a backend trace fetched again from where the worker read it.
import type { OriginalFile } from '../features/trace-export/DownloadMenu.tsx';
import { workerSource } from '../features/open-trace/use-open-trace.ts';
import type { OpenTarget } from '../state/app-store.ts';

export function originalFileOf(source: OpenTarget | undefined): OriginalFile | undefined {
  if (!source) return undefined;
  if (source.kind === 'file') return { name: source.file.name, read: async () => source.file };
  if (source.kind === 'text') return { name: source.name, read: async () => new Blob([source.text], { type: 'application/json' }) };
  const fetched = workerSource(source);
  if (fetched.kind !== 'url') return undefined;
  const name = source.kind === 'backend' ? `${source.backend}-${source.traceId}.json` : source.kind === 'share' ? `shared-${source.id}.json` : fileNameOf(fetched.url);
  return {
    name,
    read: async () => {
      const response = await fetch(fetched.url);
      if (!response.ok) throw new Error(`${fetched.url} answered ${response.status} ${response.statusText}`);
      return response.blob();
    },
  };
}

/** The last part of a URL's path ("/demo/orders.jsonl" → "orders.jsonl"), relative URLs included. */
function fileNameOf(url: string): string {
  const path = new URL(url, window.location.href).pathname;
  return decodeURIComponent(path.slice(path.lastIndexOf('/') + 1)) || 'trace.json';
}
