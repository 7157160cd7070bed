// One benchmark measurement in a fresh process (bench.ts spawns it per input, so one input's garbage
// and RSS high-water mark never colour the next): loads the file `runs` times with loadBytes and
// prints a LoadMeasurement as JSON on stdout.
//   node --import tsx --expose-gc bench/measure-load.ts FILE [--runs 3] [--export]
import { performance } from 'node:perf_hooks';
import { readInputFile } from '../cli/cli-io.ts';
import { writeOtlpJson } from '../src/core/export/otlp-json.ts';
import { loadBytes } from '../src/core/import/index.ts';
import type { TraceCollection } from '../src/core/model/trace-model.ts';
import { median } from './median.ts';

export interface LoadMeasurement {
  readonly file: string;
  readonly bytes: number;
  readonly format: string;
  readonly traces: number;
  readonly spans: number;
  /** Wall time of each loadBytes run, ms. */
  readonly runsMs: readonly number[];
  readonly medianMs: number;
  readonly spansPerSecond: number;
  readonly megabytesPerSecond: number;
  /** Highest process.memoryUsage() values sampled while loading (any run), bytes. */
  readonly peakRssBytes: number;
  readonly peakHeapUsedBytes: number;
  /** After the last load, after a full GC, with the collection still referenced: bytes. */
  readonly heapAfterLoadBytes: number;
  /** heapAfterLoadBytes minus the heap before loading: what the model itself costs. */
  readonly modelHeapBytes: number;
  readonly rssAfterLoadBytes: number;
  /** Time to write the loaded collection as OTLP/JSON into a counting sink (with --export), ms. */
  readonly exportOtlpMs?: number;
  readonly exportOtlpBytes?: number;
}

// A collection dropped right after `await loadBytes()` stays reachable for a couple of event-loop
// turns (seen: freed only after the 3rd setImmediate), so turn the loop a few times, collecting each time.
async function collectGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  for (let k = 0; k < 5; k++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc();
}


export async function measureLoad(file: string, runs: number, exportOtlp: boolean): Promise<LoadMeasurement> {
  const bytes = readInputFile(file);
  let peakRss = 0;
  let peakHeap = 0;
  // loadBytes cannot be interrupted by timers (the import is one synchronous pass), so memory is
  // sampled from its progress callback, every few thousand array items.
  const sample = () => {
    const m = process.memoryUsage();
    if (m.rss > peakRss) peakRss = m.rss;
    if (m.heapUsed > peakHeap) peakHeap = m.heapUsed;
  };
  const runsMs: number[] = [];
  const holder: { collection?: TraceCollection } = {};
  // In its own function so no stale reference to a previous run's collection survives in this
  // (suspended, async) frame while the next run is measured.
  const loadOnce = async (keep: boolean): Promise<number> => {
    const t0 = performance.now();
    const loaded = await loadBytes(bytes, { onProgress: sample });
    const ms = performance.now() - t0;
    sample();
    if (keep) holder.collection = loaded;
    return ms;
  };
  let heapBefore = 0;
  for (let r = 0; r < runs; r++) {
    await collectGarbage();
    heapBefore = process.memoryUsage().heapUsed;
    runsMs.push(await loadOnce(r === runs - 1));
  }
  const collection = holder.collection;
  if (!collection) throw new Error('the last load run kept no collection');
  await collectGarbage();
  const after = process.memoryUsage();
  const spans = collection.traces.reduce((n, t) => n + t.spanCount, 0);
  const medianMs = median(runsMs);

  let exportOtlpMs: number | undefined;
  let exportOtlpBytes: number | undefined;
  if (exportOtlp) {
    let chars = 0;
    const t0 = performance.now();
    writeOtlpJson(collection, (chunk) => {
      chars += chunk.length;
    });
    exportOtlpMs = performance.now() - t0;
    exportOtlpBytes = chars;
  }

  return {
    file,
    bytes: bytes.length,
    format: collection.format,
    traces: collection.traces.length,
    spans,
    runsMs: runsMs.map((ms) => Math.round(ms)),
    medianMs: Math.round(medianMs),
    spansPerSecond: Math.round(spans / (medianMs / 1000)),
    megabytesPerSecond: Math.round((bytes.length / 1e6 / (medianMs / 1000)) * 10) / 10,
    peakRssBytes: peakRss,
    peakHeapUsedBytes: peakHeap,
    heapAfterLoadBytes: after.heapUsed,
    modelHeapBytes: after.heapUsed - heapBefore,
    rssAfterLoadBytes: after.rss,
    ...(exportOtlpMs === undefined ? {} : { exportOtlpMs: Math.round(exportOtlpMs), exportOtlpBytes }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const file = args.find((a, k) => !a.startsWith('--') && args[k - 1] !== '--runs');
  const runsAt = args.indexOf('--runs');
  if (!file) {
    process.stderr.write('usage: node --import tsx --expose-gc bench/measure-load.ts FILE [--runs N] [--export]\n');
    process.exit(2);
  }
  const result = await measureLoad(file, runsAt >= 0 ? Math.max(1, Number(args[runsAt + 1])) : 3, args.includes('--export'));
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
