// The traces of a sampling scope (TraceStore.samplingScope) read back into models, a batch at a time:
// each demo file parsed once for all its traces in the scope, received traces from their batches. The
// event loop gets a turn between batches, so other requests are served while a large scope loads.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { loadBytes } from '../../src/core/import/index.ts';
import type { TraceModel } from '../../src/core/model/trace-model.ts';
import { receivedDocument } from './live-traces.ts';
import type { SamplingScopeTrace, TraceStore } from './trace-store.ts';

/** A scope trace, read; `model` undefined (with the reason) when it is gone or cannot be read. */
export type ScopeTraceRead =
  | { readonly traceId: string; readonly model: TraceModel }
  | { readonly traceId: string; readonly model: undefined; readonly reason: string };

/** Received traces read per batch. */
const RECEIVED_BATCH = 100;

/** Yields the scope's traces in batches (a file's traces, or up to RECEIVED_BATCH received ones). */
export async function* readScopeTraces(store: TraceStore, scope: readonly SamplingScopeTrace[]): AsyncGenerator<readonly ScopeTraceRead[]> {
  const byFile = new Map<string, Set<string>>();
  const received: string[] = [];
  for (const { traceId, fileId } of scope) {
    if (fileId === undefined) received.push(traceId);
    else byFile.set(fileId, (byFile.get(fileId) ?? new Set()).add(traceId));
  }
  for (const [fileId, traceIds] of byFile) {
    yield await readFileTraces(store, fileId, traceIds);
    await nextTurn();
  }
  for (let i = 0; i < received.length; i += RECEIVED_BATCH) {
    const batch: ScopeTraceRead[] = [];
    for (const traceId of received.slice(i, i + RECEIVED_BATCH)) batch.push(await readReceivedTrace(store, traceId));
    yield batch;
    await nextTurn();
  }
}

async function readFileTraces(store: TraceStore, fileId: string, traceIds: ReadonlySet<string>): Promise<ScopeTraceRead[]> {
  const content = store.fileContent(fileId);
  const missing = (reason: string) => [...traceIds].map((traceId) => ({ traceId, model: undefined, reason }));
  if (!content) return missing(`the stored file ${fileId} is gone`);
  let models: readonly TraceModel[];
  try {
    models = (await loadBytes(new Uint8Array(content.gzip), { fileName: content.name })).traces;
  } catch (err) {
    return missing(`the stored file ${content.name} cannot be read: ${(err as Error).message}`);
  }
  const found = new Map(models.filter((m) => traceIds.has(m.traceId)).map((m) => [m.traceId, m]));
  return [...traceIds].map((traceId) => {
    const model = found.get(traceId);
    return model ? { traceId, model } : { traceId, model: undefined, reason: `not in the stored file ${content.name}` };
  });
}

async function readReceivedTrace(store: TraceStore, traceId: string): Promise<ScopeTraceRead> {
  const doc = receivedDocument(store, traceId);
  if (!doc) return { traceId, model: undefined, reason: 'its received spans were pruned meanwhile' };
  try {
    const model = (await loadBytes(doc, { fileName: `${traceId}.json` })).traces.find((t) => t.traceId === traceId);
    return model ? { traceId, model } : { traceId, model: undefined, reason: 'its received spans hold no such trace' };
  } catch (err) {
    return { traceId, model: undefined, reason: `its received spans cannot be read: ${(err as Error).message}` };
  }
}
