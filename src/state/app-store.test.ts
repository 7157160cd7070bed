import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { summarizeCollection } from '../core/analysis/trace-summary.ts';
import { loadBytes } from '../core/import/index.ts';
import { createAppStore } from './app-store.ts';

// Two traces whose 128-bit ids have their low 64 bits zero: 0000000000000001 0000000000000000 and …02….
const FILE = new URL('../../fixtures/real/otlp/jaeger__memory-otel_traces_01.json', import.meta.url);

async function storeWithFile() {
  const summary = summarizeCollection(await loadBytes(readFileSync(FILE)));
  const store = createAppStore();
  store.getState().startLoading(1, 'traces.json');
  store.getState().finishLoading(1, { requestId: 1, sourceName: 'traces.json', byteLength: 1, summary }, { kind: 'url', url: '/traces.json' }, undefined);
  return { store, ids: summary.traces.map((t) => t.traceId) };
}

describe('selectTraceFromUrl (Back/Forward)', () => {
  it('selects the trace a short id in the URL names, as opening the file does', async () => {
    const { store, ids } = await storeWithFile();
    expect(ids).toEqual(['00000000000000010000000000000000', '00000000000000020000000000000000']);
    store.getState().selectTraceFromUrl('20000000000000000');
    expect(store.getState().selectedTraceId).toBe('00000000000000020000000000000000');
  });

  it('selects nothing (the trace list) for an id the file does not hold', async () => {
    const { store } = await storeWithFile();
    store.getState().selectTraceFromUrl('30000000000000000');
    expect(store.getState().selectedTraceId).toBeUndefined();
  });
});

describe('load progress', () => {
  it('never goes back across phases, though each phase reports from 0 again', () => {
    const store = createAppStore();
    store.getState().startLoading(7, 'big.json.gz');
    const shown: number[] = [];
    const steps = [
      ['reading', 0.2],
      ['reading', 0.9],
      ['decompressing', 0],
      ['reading', 0.5], // a late reading report after parsing began elsewhere
      ['parsing', 0],
      ['parsing', 0.5],
      ['parsing', 0.3], // out of order
      ['parsing', 1],
      ['building', 0],
      ['building', 1],
    ] as const;
    for (const [phase, fraction] of steps) {
      store.getState().setProgress(7, phase, fraction);
      shown.push(store.getState().loading?.fraction ?? -1);
    }
    expect(shown.every((f, k) => k === 0 || f >= shown[k - 1])).toBe(true);
    expect(shown[0]).toBeCloseTo(0.08);
    expect(shown.at(-1)).toBe(1);
    expect(store.getState().loading?.phase).toBe('building');
  });
});
