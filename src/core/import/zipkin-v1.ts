// STUB: replaced by the real importer.
import type { TraceImporter } from './importer.ts';

export const zipkinV1Importer: TraceImporter = {
  format: 'zipkin-v1',
  label: 'zipkin-v1',
  fileNameHint: /^$/,
  looksLike: () => false,
  read() {},
};
