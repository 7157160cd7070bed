// STUB: replaced by the real importer.
import type { TraceImporter } from './importer.ts';

export const datadogImporter: TraceImporter = {
  format: 'datadog',
  label: 'datadog',
  fileNameHint: /^$/,
  looksLike: () => false,
  read() {},
};
