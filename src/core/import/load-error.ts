/** A failure to load a file, as the UI and the CLI show it. */
/**
 * 'superseded': another load began before this one ended (the page waits for that one only).
 * 'cancelled': the user stopped the load.
 */
export type LoadErrorKind = 'empty' | 'binary' | 'invalid-json' | 'unknown-format' | 'no-spans' | 'bad-shape' | 'too-large' | 'read-failed' | 'superseded' | 'cancelled';

export interface LoadErrorInfo {
  readonly kind: LoadErrorKind;
  /** One line: what is wrong. */
  readonly message: string;
  /** More context: what was expected, what was found, where. */
  readonly detail?: string;
  readonly fileName?: string;
  readonly line?: number;
  readonly column?: number;
  readonly offset?: number;
}

export class LoadError extends Error {
  constructor(readonly info: LoadErrorInfo) {
    super(info.message);
    this.name = 'LoadError';
  }
}
