// Jaeger and Zipkin answer a search with whole traces: they are read with the app's own importer (the
// same code the browser runs) and summarized into the rows of the trace list.
import type { TraceSearchHit, TraceSearchResult } from '../../src/core/api/backend-api.ts';
import { summarizeTrace, type TraceSummary } from '../../src/core/analysis/trace-summary.ts';
import { loadBytes } from '../../src/core/import/index.ts';
import { LoadError } from '../../src/core/import/load-error.ts';
import type { UpstreamConfig } from '../config.ts';
import { HttpError } from '../http-error.ts';

/**
 * `emptyResult` recognizes (from the parsed JSON) an answer that holds no traces, which the importer
 * rightly refuses as a file, and returns its warnings.
 */
export async function searchResultFromTraces(
  upstream: UpstreamConfig,
  path: string,
  bytes: Uint8Array,
  emptyResult: (json: unknown) => string[] | undefined,
): Promise<TraceSearchResult> {
  try {
    // A gzip body is inflated with the same cap as the response, so it cannot grow past it.
    const collection = await loadBytes(bytes, { fileName: `${upstream.type}-search.json`, maxDecompressedBytes: upstream.maxResponseBytes });
    return { traces: collection.traces.map((model) => toHit(summarizeTrace(model))), warnings: collection.warnings };
  } catch (err) {
    if (!(err instanceof LoadError)) throw err;
    if (err.info.kind === 'too-large') {
      throw new HttpError(502, 'Backend response too large', `${err.message} (this server reads at most ${upstream.maxResponseBytes} bytes from a backend)`, upstream.name);
    }
    const warnings = emptyResult(parseOrUndefined(bytes));
    if (warnings) return { traces: [], warnings };
    const detail = err.info.detail ? `${err.message}: ${err.info.detail}` : err.message;
    const error = err.info.kind === 'invalid-json' ? 'Backend sent invalid JSON' : 'Backend sent an unreadable search response';
    throw new HttpError(502, error, `${upstream.name} answered ${path} with traces Spanscope cannot read: ${detail}`, upstream.name);
  }
}

function toHit(summary: TraceSummary): TraceSearchHit {
  const { traceId, rootService, rootName, traceStart, durationNs, spanCount, errorCount, services } = summary;
  return { traceId, rootService, rootName, traceStart, durationNs, spanCount, errorCount, services };
}

function parseOrUndefined(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}
