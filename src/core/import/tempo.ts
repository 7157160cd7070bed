// STUB: replaced by the real importer.
import type { TraceImporter } from './importer.ts';

export const tempoImporter: TraceImporter = {
  format: 'tempo',
  label: 'tempo',
  fileNameHint: /^$/,
  looksLike: () => false,
  read() {},
};
