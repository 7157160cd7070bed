// An uploaded trace file → parsed, checked against the limits, stored. Every refusal is a 4xx naming
// the limit or the parse error; only a stored (committed) file is acknowledged.
import type { ShareReceipt } from '../../src/core/api/backend-api.ts';
import { isGzip, loadBytes } from '../../src/core/import/index.ts';
import { LoadError } from '../../src/core/import/load-error.ts';
import type { TraceCollection } from '../../src/core/model/trace-model.ts';
import type { ShareQuota } from '../access-config.ts';
import type { ServerLimits } from '../config.ts';
import { HttpError, loadErrorDetail } from '../http-error.ts';
import { gunzipCapped } from '../inflate-body.ts';
import { checkShareFits, makeRoomForShare } from './share-quota.ts';
import { TraceStore, type StoredOrigin } from './trace-store.ts';

export type StoredShare = ShareReceipt & { readonly searchable: boolean; readonly created: boolean; readonly evicted: number };

export async function storeTraceFile(
  store: TraceStore,
  raw: Uint8Array,
  name: string,
  limits: ServerLimits,
  origin: StoredOrigin,
  /** For uploaded shares: the quota they must fit in (a 507 otherwise); older shares may be evicted. */
  quota?: ShareQuota,
): Promise<StoredShare> {
  if (raw.byteLength === 0) throw new HttpError(400, 'Empty upload', 'The request body is empty: send the trace file as the body');
  // Stored and content-addressed inflated: a file has one id whether it was sent gzipped or not.
  const bytes = isGzip(raw) ? await gunzipCapped(raw, { bytes: limits.decompressedBytes, setting: 'limits.decompressedBytes' }, 'Upload too large once decompressed') : raw;
  const id = TraceStore.contentId(bytes);
  const stored = store.fileMeta(id);
  if (stored) {
    if (quota) store.markShareOpened(id, Date.now());
    // Asked to be searchable: a private share of the same bytes becomes so (the sender has the file anyway).
    if (origin !== 'share') store.publish(id, origin);
    return { id: stored.id, traceIds: stored.traceIds, spanCount: stored.spanCount, searchable: stored.searchable || origin !== 'share', created: false, evicted: 0 };
  }
  if (quota) checkShareFits(bytes.byteLength, quota);
  const collection: TraceCollection = await asHttpError(loadBytes(bytes, { fileName: name }));
  const tooBig = collection.traces.find((t) => t.spanCount > limits.spansPerTrace);
  if (tooBig) {
    throw new HttpError(413, 'Trace has too many spans', `Trace ${tooBig.traceId} has ${tooBig.spanCount} spans; this server stores at most ${limits.spansPerTrace} per trace`);
  }
  // Synchronous from here to the commit: no other upload can take the room made.
  const evicted = quota ? makeRoomForShare(store, bytes.byteLength, quota, Date.now()) : 0;
  const meta = store.put(bytes, collection, name, origin, id);
  return { id: meta.id, traceIds: meta.traceIds, spanCount: meta.spanCount, searchable: meta.searchable, created: true, evicted };
}

/** A LoadError as the 4xx the uploader gets: 413 beyond a limit, else 400. */
async function asHttpError<T>(loading: Promise<T>): Promise<T> {
  try {
    return await loading;
  } catch (err) {
    if (!(err instanceof LoadError)) throw err;
    if (err.info.kind !== 'too-large') throw new HttpError(400, err.info.message, loadErrorDetail(err));
    throw new HttpError(413, err.info.message, loadErrorDetail(err));
  }
}
