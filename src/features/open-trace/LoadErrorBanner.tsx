import type { LoadErrorInfo } from '../../core/import/load-error.ts';

export function LoadErrorBanner({ error, onDismiss }: { error: LoadErrorInfo; onDismiss(): void }) {
  return (
    <div
      role="alert"
      data-testid="load-error"
      className="mx-4 mt-3 flex items-start gap-3 rounded-lg border border-red-300 bg-red-50 px-4 py-3 text-sm text-red-900 dark:border-red-800 dark:bg-red-950/60 dark:text-red-100"
    >
      <svg aria-hidden width="18" height="18" viewBox="0 0 20 20" className="mt-0.5 shrink-0 text-red-600 dark:text-red-400">
        <path fill="currentColor" d="M10 1.5 19 18H1L10 1.5zm-1 6v5h2v-5H9zm0 6.5v2h2v-2H9z" />
      </svg>
      <div className="min-w-0 flex-1">
        <p className="font-semibold">
          {error.fileName ? <span className="font-mono">{error.fileName}: </span> : null}
          {error.message}
        </p>
        {error.detail ? <p className="mt-1 break-words whitespace-pre-wrap text-red-800 dark:text-red-200">{error.detail}</p> : null}
      </div>
      <button type="button" onClick={onDismiss} aria-label="Dismiss" className="rounded px-1 text-red-700 hover:bg-red-100 dark:text-red-300 dark:hover:bg-red-900">
        ✕
      </button>
    </div>
  );
}
