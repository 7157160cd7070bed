// The embedded store as a backend: searchable like Jaeger, always there, seeded with the demo traces.
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { BackendInfo, TraceSearchQuery, TraceSearchResult } from '../../src/core/api/backend-api.ts';
import { DEFAULT_SEARCH_LIMIT } from '../../src/core/api/backend-api.ts';
import { HttpError } from '../http-error.ts';
import type { LiveTraces } from '../store/live-traces.ts';
import type { TraceStore } from '../store/trace-store.ts';
import type { Backend, TraceDocument } from './backend.ts';

/** The most traces one context search returns (a context copied into thousands of messages is not one flow). */
const MAX_CONTEXT_CARRIERS = 200;

/** `live`: spans from the receivers, preferred over a stored file of the same trace (it grows). */
export function createEmbeddedBackend(name: string, store: TraceStore, live?: LiveTraces): Backend {
  const info: BackendInfo = { name, type: 'embedded', supports: { operations: true, traceQl: false, tags: true } };
  return {
    info,
    services: async () => store.services(),
    operations: async (service) => store.operations(service),
    tagNames: async () => store.tagNames(),
    tagValues: async (tag) => store.tagValues(tag),
    search: async (query: TraceSearchQuery): Promise<TraceSearchResult> => ({
      traces: store.search(query, query.limit ?? DEFAULT_SEARCH_LIMIT, live?.options.quietMs),
      warnings: [],
    }),
    contextCarriers: async (traceId, startMs, endMs) => store.contextCarriers(traceId, startMs, endMs, MAX_CONTEXT_CARRIERS),
    liveStatus: (traceId) => live?.status(traceId),
    trace: async (traceId) => {
      const received = live?.document(traceId);
      if (received) return { body: received, contentType: 'application/x-ndjson', byteLength: received.byteLength };
      const fileId = store.fileOfTrace(traceId);
      if (!fileId) throw new HttpError(404, 'Trace not found', `The embedded store "${name}" has no trace ${traceId}`, name);
      return storedFileDocument(store, fileId);
    },
  };
}

/** A stored file as the gzip it is kept in; the browser's worker sniffs and inflates it. */
export function storedFileDocument(store: TraceStore, fileId: string): TraceDocument {
  const content = store.fileContent(fileId);
  if (!content) throw new HttpError(404, 'Shared trace not found', `No stored file has the id ${fileId}`);
  return { body: new Uint8Array(content.gzip), contentType: 'application/gzip', byteLength: content.gzip.byteLength };
}

/** For clients that cannot take gzip: the same document inflated on the fly. */
export function inflated(doc: TraceDocument): Readable {
  const source = doc.body instanceof Uint8Array ? Readable.from([doc.body]) : doc.body;
  return source.pipe(createGunzip());
}
