// An error the API answers with a status and a JSON body `{error, detail, backend?}`; anything else
// thrown in a handler is a bug and becomes a logged 500 with a generic body.
import type { ApiErrorBody } from '../src/core/api/backend-api.ts';
import type { LoadError } from '../src/core/import/load-error.ts';

export class HttpError extends Error {
  readonly status: number;
  readonly detail: string;
  readonly backend: string | undefined;

  constructor(status: number, error: string, detail: string, backend?: string) {
    super(error);
    this.name = 'HttpError';
    this.status = status;
    this.detail = detail;
    this.backend = backend;
  }

  toBody(): ApiErrorBody {
    return this.backend === undefined ? { error: this.message, detail: this.detail } : { error: this.message, detail: this.detail, backend: this.backend };
  }
}

/** A LoadError's detail with where in the input it happened, for an HttpError's detail. */
export function loadErrorDetail(err: LoadError): string {
  const where = err.info.line !== undefined ? ` (line ${err.info.line}, column ${err.info.column})` : '';
  return `${err.info.detail ?? ''}${where}`.trim();
}
