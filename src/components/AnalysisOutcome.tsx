import type { ReactNode } from 'react';

interface Props<T> {
  /** A worker analysis as TanStack Query gives it. */
  readonly result: { readonly data: T | undefined; readonly error: Error | null };
  /** "The service graph could not be built": the error's message follows. */
  readonly failure: string;
  /** "Building the service graph…" */
  readonly pending: string;
  children(data: T): ReactNode;
}

/** An analysis's failure, the wait for it, or what `children` draws of it. */
export function AnalysisOutcome<T>({ result, failure, pending, children }: Props<T>) {
  if (result.error) {
    return (
      <p role="alert" className="text-sm text-red-700 dark:text-red-300">
        {failure}: {result.error.message}
      </p>
    );
  }
  if (result.data === undefined) return <p className="text-sm text-slate-500">{pending}</p>;
  return children(result.data);
}
