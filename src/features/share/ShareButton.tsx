// Share: a URL that reopens this exact view (source, trace, selected span, zoom, collapsed spans,
// search — all already in the address bar). A file or pasted text has no URL yet, so it is stored on
// the server first; when the server cannot store it, a link carrying the trace in its fragment (small
// traces) or a download is offered instead, with the reason.
import { useRef, useState } from 'react';
import { useDismiss } from '../../components/use-dismiss.ts';
import { downloadBlob } from '../../components/download.ts';
import { formatBytes } from '../../components/format.ts';
import { useKeepInViewport } from '../../components/keep-in-viewport.ts';
import { useBackends } from '../../queries/backends.ts';
import { ApiFailure } from '../../queries/api-fetch.ts';
import { useShareUpload } from '../../queries/share.ts';
import { useAppStore, type OpenTarget } from '../../state/app-store.ts';
import { useUrlStore } from '../../state/url-context.ts';
import { urlStateEdit } from '../../state/url.ts';
import { encodeFragment, FRAGMENT_KEY, FRAGMENT_LIMIT_CHARS } from './fragment-codec.ts';

type ShareState =
  | { readonly step: 'idle' }
  | { readonly step: 'uploading' }
  | { readonly step: 'done'; readonly url: string; readonly copied: boolean }
  | { readonly step: 'fallback'; readonly reason: string; readonly fragmentUrl: string | undefined; readonly fragmentProblem: string | undefined; readonly file: Blob; readonly fileName: string };

/** The bytes behind a source that has no URL of its own. */
function sourceFile(source: OpenTarget): { blob: Blob; name: string } | undefined {
  if (source.kind === 'file') return { blob: source.file, name: source.file.name };
  if (source.kind === 'text') return { blob: new Blob([source.text], { type: 'application/json' }), name: 'trace.json' };
  return undefined;
}

export function ShareButton() {
  const source = useAppStore((s) => s.source);
  const setSource = useAppStore((s) => s.setSource);
  const multiTrace = useAppStore((s) => (s.file?.summary.traces.length ?? 0) > 1);
  const selectedTraceId = useAppStore((s) => s.selectedTraceId);
  const address = useUrlStore();
  const backends = useBackends();
  const upload = useShareUpload();
  const [state, setState] = useState<ShareState>({ step: 'idle' });
  const panel = useRef<HTMLDivElement>(null);
  const sharePanel = useRef<HTMLDivElement>(null);
  useKeepInViewport(sharePanel);

  useDismiss(panel, state.step !== 'idle' && state.step !== 'uploading', () => setState({ step: 'idle' }));

  if (!source) return null;

  const finish = async (url: string) => setState({ step: 'done', url, copied: await copy(url) });

  const share = async () => {
    const file = sourceFile(source);
    if (!file) return finish(address.appUrl().href);
    const sharing = backends.data?.sharing;
    let reason: string | undefined;
    if (backends.isError) reason = `No Spanscope server answered (${backends.error.message}), so the file cannot be stored for a link.`;
    else if (sharing && !sharing.enabled) reason = sharing.reason ?? 'Sharing is turned off on this server.';
    else if (sharing && file.blob.size > sharing.maxUploadBytes) reason = `The file (${formatBytes(file.blob.size)}) is larger than this server's upload limit of ${formatBytes(sharing.maxUploadBytes)}.`;
    if (reason === undefined) {
      setState({ step: 'uploading' });
      try {
        const receipt = await upload.mutateAsync({ body: file.blob, name: file.name });
        setSource({ kind: 'share', id: receipt.id });
        address.change('replace', [urlStateEdit({ shareId: receipt.id, sourceUrl: undefined, backend: undefined, traceId: multiTrace ? selectedTraceId : undefined })]);
        return finish(address.appUrl().href);
      } catch (err) {
        reason = err instanceof ApiFailure ? `${err.body.error}: ${err.body.detail}` : String(err);
      }
    }
    setState({ step: 'fallback', reason, file: file.blob, fileName: file.name, ...(await fragmentLink(address.appUrl(), file.blob, multiTrace ? selectedTraceId : undefined)) });
  };

  return (
    <div className="relative" ref={panel}>
      <button type="button" className="btn-secondary" data-testid="share-button" disabled={state.step === 'uploading'} onClick={() => void share()}>
        {state.step === 'uploading' ? 'Storing…' : 'Share'}
      </button>
      {state.step === 'done' || state.step === 'fallback' ? (
        <div
          role="dialog"
          aria-label="Share this view"
          ref={sharePanel}
          data-testid="share-panel"
          className="absolute top-full right-0 z-40 mt-2 w-[28rem] rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          {state.step === 'done' ? (
            <>
              <p className="mb-2 font-medium text-slate-800 dark:text-slate-100">{state.copied ? 'Link copied' : 'Copy this link'}</p>
              <UrlField url={state.url} testId="share-url" />
              <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">Opens this trace with the same selection, zoom, collapsed spans and search.</p>
            </>
          ) : (
            <>
              <p className="mb-1 font-medium text-slate-800 dark:text-slate-100">This trace could not be stored for a link</p>
              <p className="mb-3 text-xs break-words text-red-700 dark:text-red-300" data-testid="share-error">
                {state.reason}
              </p>
              {state.fragmentUrl ? (
                <>
                  <p className="mb-1 text-xs text-slate-600 dark:text-slate-300">A link that carries the trace itself (no server needed):</p>
                  <UrlField url={state.fragmentUrl} testId="share-fragment-url" />
                </>
              ) : (
                <p className="text-xs text-slate-600 dark:text-slate-300" data-testid="share-fragment-problem">
                  {state.fragmentProblem}
                </p>
              )}
              <button type="button" className="btn-secondary mt-3" data-testid="share-download" onClick={() => downloadBlob(state.file, state.fileName)}>
                Download the file instead
              </button>
            </>
          )}
        </div>
      ) : null}
    </div>
  );
}

function UrlField({ url, testId }: { url: string; testId: string }) {
  return (
    <input
      readOnly
      value={url}
      data-testid={testId}
      onFocus={(e) => e.currentTarget.select()}
      className="w-full rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs text-slate-700 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-200"
    />
  );
}

async function fragmentLink(appUrl: URL, file: Blob, traceId: string | undefined): Promise<{ fragmentUrl: string | undefined; fragmentProblem: string | undefined }> {
  // Trace JSON compresses at most ~20×: a bigger file cannot fit, so it is not compressed to find out.
  if (file.size > FRAGMENT_LIMIT_CHARS * 20) {
    return { fragmentUrl: undefined, fragmentProblem: `Too large for a link that carries the trace: the file is ${formatBytes(file.size)}; a link holds about ${formatBytes(FRAGMENT_LIMIT_CHARS)} compressed.` };
  }
  const payload = await encodeFragment(file);
  if (payload.length > FRAGMENT_LIMIT_CHARS) {
    return {
      fragmentUrl: undefined,
      fragmentProblem: `Too large for a link that carries the trace: ${formatBytes(payload.length)} compressed, the limit is ${formatBytes(FRAGMENT_LIMIT_CHARS)}.`,
    };
  }
  const url = appUrl;
  for (const key of ['url', 'backend', 'share', 'page']) url.searchParams.delete(key);
  if (traceId) url.searchParams.set('trace', traceId);
  else url.searchParams.delete('trace');
  url.hash = `${FRAGMENT_KEY}=${payload}`;
  return { fragmentUrl: url.href, fragmentProblem: undefined };
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

