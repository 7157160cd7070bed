// One run of the UI benchmark: a fresh Chromium, context and page; open one file through the hidden
// file input and measure load, long tasks, heap, scrolling, zooming and collapse/expand-all.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CDPSession, Page } from '@playwright/test';
import { launchBrowser, memorySampler, sampleMemory, WorkerTargets, type LaunchedBrowser, type MemorySample } from './browser.ts';
import type { UiInput } from './inputs.ts';
import {
  PAGE_INSTRUMENTATION,
  type FrameRecording,
  type PageEventTiming,
  type PageInput,
  type PageLoaf,
  type PageLongTask,
  type PageWorkerMessage,
  type RowsChange,
} from './page-instrumentation.ts';
import { formatProfileSummary, summarizeProfile, type CpuProfile, type ProfileSummary, type SourceMaps } from './profile.ts';

/** window.__bench as page.evaluate callbacks see it. */
interface BenchApi {
  longtasks: PageLongTask[];
  loafs: PageLoaf[];
  events: PageEventTiming[];
  worker: PageWorkerMessage[];
  inputs: PageInput[];
  marks: { inputStart?: number; firstRowInDom?: number; firstRowPainted?: number };
  rowsChange: Promise<RowsChange>;
  presence: Promise<RowsChange>;
  afterPaint(): Promise<number>;
  frame(): Promise<number>;
  rowCount(): number;
  armRowsChange(timeoutMs: number): number;
  armPresence(selector: string, present: boolean, timeoutMs: number): void;
  startFrames(): number;
  stopFrames(): FrameRecording;
}
type BenchWindow = Window & { __bench: BenchApi };

export interface RunOptions {
  readonly url: string;
  readonly input: UiInput;
  readonly run: number;
  readonly loadTimeoutMs: number;
  readonly stepTimeoutMs: number;
  readonly settleMs: number;
  readonly profile: boolean;
  /** Skip scrolling, zooming and collapse/expand (quicker iterations on load time). */
  readonly loadOnly: boolean;
  /** Also time the trace page's other tabs (service graph, operations, statistics, flamegraph). */
  readonly views: boolean;
  readonly profileDir: string;
  readonly maps: SourceMaps;
  readonly viewport: { width: number; height: number };
  log(message: string): void;
}

export interface LongTaskStats {
  /** Tasks over 50 ms (the Long Tasks API reports nothing shorter). */
  readonly count: number;
  readonly longestMs: number;
  readonly totalMs: number;
}

export interface LongFrame {
  readonly atMs: number;
  readonly durationMs: number;
  /** Time spent in style and layout and after (render start → end of frame), ms. */
  readonly renderMs: number;
  readonly scripts: readonly LoafScript[];
}

export interface FrameStats extends LongTaskStats {
  readonly frames: number;
  readonly maxFrameMs: number;
  readonly p95FrameMs: number;
  readonly medianFrameMs: number;
  /** Frames longer than 50 ms. */
  readonly framesOver50: number;
  readonly durationMs: number;
  /** The longest long animation frame (≥ 50 ms) in the interaction, with its scripts mapped to sources. */
  readonly longestFrame: LongFrame | null;
}

export interface ActionTiming extends LongTaskStats {
  /** From the trusted input event's timestamp to the paint after the DOM changed, ms. */
  readonly ms: number | null;
  /** Event Timing's duration of the click (input → next paint, 8 ms granularity), when ≥ 16 ms. */
  readonly eventTimingMs: number | null;
  readonly rowsBefore: number;
  readonly rowsAfter: number;
}

export interface LoafScript {
  readonly durationMs: number;
  readonly invoker: string;
  readonly source: string;
}

export interface RunResult {
  readonly label: string;
  readonly file: string;
  readonly bytes: number;
  readonly run: number;
  /** Spans of the opened trace (from the waterfall's "Overview · N spans"). */
  readonly spans: number | null;
  /** setInputFiles → first waterfall row painted, ms (page clock). */
  readonly loadMs: number | null;
  /** The same, from the Node side (includes the CDP round trips), ms. */
  readonly loadWallMs: number | null;
  /** How long Playwright's setInputFiles call itself took, ms (a local path is not read by Playwright). */
  readonly setInputFilesMs: number;
  readonly phases: {
    /** input change → first 'parsing' progress from the worker (reading the file into bytes). */
    readonly readMs: number | null;
    /** first 'parsing' progress → 'loaded' (import + summaries in the worker). */
    readonly parseMs: number | null;
    /** 'loaded' → 'trace' (main thread renders the trace page, worker builds the view columns). */
    readonly viewMs: number | null;
    /** 'trace' arrives → first row painted (main thread: store, rows, minimap, first paint). */
    readonly renderMs: number | null;
  };
  readonly loadLongTasks: LongTaskStats & { readonly top: readonly { readonly atMs: number; readonly durationMs: number }[] };
  /** The longest animation frames of the load with their scripts, mapped to sources. */
  readonly loadLongFrames: readonly LongFrame[];
  readonly heap: {
    /** Runtime.getHeapUsage after HeapProfiler.collectGarbage, bytes. */
    readonly pageUsed: number;
    readonly pageArrayBuffers: number;
    readonly pageEmbedder: number;
    readonly workerUsed: number;
    readonly workerArrayBuffers: number;
    /** Performance.getMetrics JSHeapUsedSize of the page alone (what most tools show), bytes. */
    readonly pageMetricJsHeap: number;
    /** page + worker: JS heaps, ArrayBuffer backing stores and the embedder (DOM) heap, bytes. */
    readonly totalBytes: number;
    readonly bytesPerSpan: number | null;
    /** The same for the page before the file was opened (the empty app; no worker yet), bytes. */
    readonly baselineBytes: number;
    /** (totalBytes − baselineBytes) / spans: what the trace itself costs. */
    readonly traceBytesPerSpan: number | null;
  } | null;
  readonly processMemory: { readonly peakDuringLoad: MemorySample; readonly afterLoad: MemorySample } | null;
  readonly scrollJump: (FrameStats & { readonly reachedBottom: boolean; readonly lastSpan: number }) | null;
  readonly scrollFine: FrameStats | null;
  readonly scrollThumb: (FrameStats & { readonly reachedTop: boolean }) | null;
  readonly zoomMinimap: (FrameStats & { readonly applyMs: number | null }) | null;
  readonly zoomReset: ActionTiming | null;
  readonly zoomWheel: FrameStats | null;
  readonly collapseAll: ActionTiming | null;
  readonly expandAll: ActionTiming | null;
  /** Rows in the DOM after collapse-all while scrolled to the bottom (0 = an empty waterfall). */
  readonly collapseAllScrolledRows: number | null;
  /** Per tab: from the click until its content is drawn, and the longest main-thread task meanwhile. */
  readonly views: readonly ViewTiming[];
  readonly errors: readonly string[];
  readonly profiles?: Record<string, ProfileSummary>;
}

export interface ViewTiming {
  readonly tab: string;
  readonly ms: number;
  readonly longestTaskMs: number;
}

/** The tabs timed by --views, and what shows that each is drawn. */
const VIEW_TABS = [
  ['services', '[data-testid=service-graph-node]'],
  ['operations', '[data-testid=operation-graph-node]'],
  ['stats', '[data-testid=stats-row]'],
  ['flame', '[data-testid=flamegraph-canvas]'],
] as const;

/** Opens each tab from the waterfall and back, timing it from the click to the first frame with its content. */
async function timeViews(page: Page, timeoutMs: number, log: (line: string) => void): Promise<ViewTiming[]> {
  const out: ViewTiming[] = [];
  for (const [tab, ready] of VIEW_TABS) {
    const started = await page.evaluate(() => performance.now());
    await page.click(`[data-testid=tab-${tab}]`);
    await page.waitForSelector(ready, { timeout: timeoutMs });
    await nextFrame(page);
    const { ended, tasks } = await page.evaluate(() => ({ ended: performance.now(), tasks: (window as unknown as BenchWindow).__bench.longtasks }));
    const timing = { tab, ms: Math.round(ended - started), longestTaskMs: longTaskStats(tasks, started, ended).longestMs };
    log(`${tab}: drawn after ${timing.ms} ms, longest task ${timing.longestTaskMs} ms`);
    out.push(timing);
    await page.click('[data-testid=tab-waterfall]');
    await page.waitForSelector('[data-testid=waterfall-row]', { timeout: timeoutMs });
  }
  return out;
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const round1 = (x: number) => Math.round(x * 10) / 10;

function longTaskStats(tasks: readonly PageLongTask[], from: number, to: number): LongTaskStats {
  const inside = tasks.filter((t) => t.start >= from && t.start <= to);
  return {
    count: inside.length,
    longestMs: round1(Math.max(0, ...inside.map((t) => t.duration))),
    totalMs: round1(inside.reduce((s, t) => s + t.duration, 0)),
  };
}

function longFrame(f: PageLoaf, origin: number, maps: SourceMaps): LongFrame {
  return {
    atMs: Math.round(f.start - origin),
    durationMs: round1(f.duration),
    renderMs: round1(f.renderStart > 0 ? f.start + f.duration - f.renderStart : 0),
    scripts: [...f.scripts]
      .sort((a, b) => b.duration - a.duration)
      .slice(0, 3)
      .map((s) => {
        const o = s.sourceURL ? maps.originalAtChar(s.sourceURL, s.sourceCharPosition) : undefined;
        return { durationMs: round1(s.duration), invoker: s.invoker, source: o ? `${o.source}:${o.line}${o.name ? ` (${o.name})` : ''}` : `${s.sourceFunctionName || '?'} ${s.sourceURL}` };
      }),
  };
}

async function frameStats(page: Page, started: number, recording: FrameRecording, maps: SourceMaps): Promise<FrameStats> {
  const { tasks, loafs } = await page.evaluate(() => {
    const b = (window as unknown as BenchWindow).__bench;
    return { tasks: b.longtasks, loafs: b.loafs };
  });
  const longest = loafs.filter((f) => f.start >= started && f.start <= recording.stopped).sort((a, b) => b.duration - a.duration)[0];
  const d = recording.deltas;
  return {
    frames: d.length,
    maxFrameMs: round1(Math.max(0, ...d)),
    p95FrameMs: round1(percentile(d, 95)),
    medianFrameMs: round1(percentile(d, 50)),
    framesOver50: d.filter((x) => x > 50).length,
    durationMs: Math.round(recording.stopped - started),
    ...longTaskStats(tasks, started, recording.stopped),
    longestFrame: longest ? longFrame(longest, started, maps) : null,
  };
}

const nextFrame = (page: Page) => page.evaluate(() => (window as unknown as BenchWindow).__bench.frame());

async function center(page: Page, selector: string): Promise<{ x: number; y: number; box: { x: number; y: number; width: number; height: number } }> {
  const box = await page.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} has no box`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2, box };
}

/** Clicks (a trusted input) and times input → paint after the awaited DOM change, armed beforehand. */
async function timedClick(page: Page, selector: string, arm: () => Promise<unknown>, wait: () => Promise<RowsChange>): Promise<ActionTiming> {
  await arm();
  const inputsBefore = await page.evaluate(() => (window as unknown as BenchWindow).__bench.inputs.length);
  await page.click(selector);
  const change = await wait();
  const { inputs, events, longtasks } = await page.evaluate(() => {
    const b = (window as unknown as BenchWindow).__bench;
    return { inputs: b.inputs, events: b.events, longtasks: b.longtasks };
  });
  const click = inputs.slice(inputsBefore).find((i) => i.type === 'click' && i.trusted);
  const mousedown = inputs.slice(inputsBefore).find((i) => i.type === 'mousedown' && i.trusted);
  const start = click?.t ?? change.changedAt;
  const timing = events.filter((e) => (e.name === 'click' || e.name === 'pointerup' || e.name === 'mouseup') && Math.abs(e.start - start) < 20);
  return {
    ms: change.changed ? round1(change.paintedAt - start) : null,
    eventTimingMs: timing.length ? Math.max(...timing.map((e) => e.duration)) : null,
    rowsBefore: change.before,
    rowsAfter: change.after,
    ...longTaskStats(longtasks, mousedown?.t ?? start, change.paintedAt),
  };
}

interface ProfilerControl {
  stop(): Promise<Record<string, CpuProfile>>;
}

async function startPageProfiler(cdp: CDPSession): Promise<ProfilerControl> {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
  await cdp.send('Profiler.start');
  return {
    async stop() {
      const { profile } = await cdp.send('Profiler.stop');
      return { main: profile as unknown as CpuProfile };
    },
  };
}

export async function measureRun(opts: RunOptions): Promise<RunResult> {
  const errors: string[] = [];
  const log = (m: string) => opts.log(`  [${opts.input.label} #${opts.run}] ${m}`);
  let launched: LaunchedBrowser | undefined;
  const profiles: Record<string, ProfileSummary> = {};
  const result: { -readonly [K in keyof RunResult]: RunResult[K] } = {
    label: opts.input.label,
    file: opts.input.file,
    bytes: opts.input.bytes,
    run: opts.run,
    spans: null,
    loadMs: null,
    loadWallMs: null,
    setInputFilesMs: 0,
    phases: { readMs: null, parseMs: null, viewMs: null, renderMs: null },
    loadLongTasks: { count: 0, longestMs: 0, totalMs: 0, top: [] },
    loadLongFrames: [],
    heap: null,
    processMemory: null,
    scrollJump: null,
    scrollFine: null,
    scrollThumb: null,
    zoomMinimap: null,
    zoomReset: null,
    zoomWheel: null,
    collapseAll: null,
    expandAll: null,
    collapseAllScrolledRows: null,
    views: [],
    errors,
  };
  if (opts.profile) result.profiles = profiles; // filled in by saveProfiles
  const saveProfiles = (phase: string, found: Record<string, CpuProfile>) => {
    mkdirSync(opts.profileDir, { recursive: true });
    const base = `${opts.input.label.replace(/[^\w.-]+/g, '_')}-run${opts.run}-${phase}`;
    for (const [thread, profile] of Object.entries(found)) {
      const path = join(opts.profileDir, `${base}-${thread}.cpuprofile`);
      writeFileSync(path, JSON.stringify(profile));
      const summary = summarizeProfile(profile, opts.maps);
      profiles[`${phase}-${thread}`] = summary;
      opts.log(`${formatProfileSummary(`profile ${phase} (${thread} thread) → ${path}`, summary)}`);
    }
  };

  try {
    launched = await launchBrowser();
    const context = await launched.browser.newContext({ viewport: opts.viewport, deviceScaleFactor: 1 });
    await context.addInitScript({ content: PAGE_INSTRUMENTATION });
    const page = await context.newPage();
    page.setDefaultTimeout(opts.stepTimeoutMs);
    let crashed = false;
    page.on('crash', () => {
      crashed = true;
      errors.push('the page crashed (renderer out of memory?)');
    });
    page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
    const cdp = await context.newCDPSession(page);
    const workers = new WorkerTargets(cdp);
    await workers.enable();
    await cdp.send('Performance.enable');

    await page.goto(opts.url);
    await page.locator('[data-testid=file-input]').waitFor({ state: 'attached' });

    // The empty app's heap, so the trace's own cost per span can be told from the fixed cost.
    await cdp.send('HeapProfiler.collectGarbage');
    const baseline = await cdp.send('Runtime.getHeapUsage');
    const baselineBytes = baseline.usedSize + (baseline.backingStorageSize ?? 0) + (baseline.embedderHeapUsedSize ?? 0);

    // ---- 1–3: load, long tasks, heap
    let pageProfiler: ProfilerControl | undefined;
    const workerProfiling = new Set<string>();
    let profilingWorkers: ReturnType<typeof setInterval> | undefined;
    if (opts.profile) {
      pageProfiler = await startPageProfiler(cdp);
      // The app creates its worker on the first load: start its profiler as soon as it is attached.
      profilingWorkers = setInterval(() => {
        for (const w of workers.workers()) {
          if (workerProfiling.has(w.sessionId)) continue;
          workerProfiling.add(w.sessionId);
          void (async () => {
            await workers.send(w.sessionId, 'Profiler.enable');
            await workers.send(w.sessionId, 'Profiler.setSamplingInterval', { interval: 250 });
            await workers.send(w.sessionId, 'Profiler.start');
          })().catch((err: Error) => errors.push(`worker profiler: ${err.message}`));
        }
      }, 5);
    }
    const sampler = memorySampler(launched);
    const inputStart = await page.evaluate(() => ((window as unknown as BenchWindow).__bench.marks.inputStart = performance.now()));
    const wall0 = performance.now();
    await page.setInputFiles('[data-testid=file-input]', opts.input.file, { timeout: opts.loadTimeoutMs });
    result.setInputFilesMs = Math.round(performance.now() - wall0);
    log(`file set (${result.setInputFilesMs} ms); loading…`);
    const crash = new Promise<'crash'>((resolve) => page.once('crash', () => resolve('crash')));
    const waitFor = (alsoTraceList: boolean) =>
      Promise.race([
        page
          .waitForFunction(
            (list) =>
              (window as unknown as BenchWindow).__bench.marks.firstRowPainted !== undefined ||
              document.querySelector('[data-testid=load-error]') !== null ||
              (list && document.querySelector('[data-testid=trace-row]') !== null),
            alsoTraceList,
            { polling: 100, timeout: opts.loadTimeoutMs },
          )
          .then(() => 'done' as const),
        crash,
      ]);
    let outcome = await waitFor(true);
    // A file of several traces opens the trace list: open its first trace (timing goes on to its rows).
    if (outcome === 'done' && !crashed && (await page.evaluate(() => (window as unknown as BenchWindow).__bench.marks.firstRowPainted === undefined && document.querySelector('[data-testid=trace-row]') !== null))) {
      const traces = await page.locator('[data-testid=trace-row]').count();
      errors.push(`note: the file holds ${traces} traces; the first one of the trace list was opened (load time includes the list)`);
      await page.locator('[data-testid=trace-row]').first().click();
      outcome = await waitFor(false);
    }
    if (outcome === 'crash' || crashed) throw new Error('the page crashed while loading');
    result.loadWallMs = Math.round(performance.now() - wall0);
    const loadError = await page.locator('[data-testid=load-error]').first().textContent({ timeout: 100 }).catch(() => null);
    if (loadError) throw new Error(`the app could not open the file: ${loadError.replace(/\s+/g, ' ').trim()}`);
    await page.waitForTimeout(opts.settleMs);
    const peakDuringLoad = sampler.stop();
    if (profilingWorkers) clearInterval(profilingWorkers);

    const loaded = await page.evaluate(() => {
      const b = (window as unknown as BenchWindow).__bench;
      const text = document.querySelector('[data-testid=waterfall]')?.textContent ?? '';
      return { marks: b.marks, worker: b.worker, inputs: b.inputs, longtasks: b.longtasks, loafs: b.loafs, overview: /Overview · ([\d,]+) spans/.exec(text)?.[1] ?? null };
    });
    const painted = loaded.marks.firstRowPainted;
    if (painted === undefined) throw new Error('the page finished loading without marking firstRowPainted');
    result.loadMs = Math.round(painted - inputStart);
    result.spans = loaded.overview ? Number(loaded.overview.replace(/,/g, '')) : null;
    const change = loaded.inputs.find((i) => i.type === 'change')?.t ?? inputStart;
    const firstParsing = loaded.worker.find((m) => m.type === 'progress' && m.phase === 'parsing')?.t;
    // The worker's answers are 'result' messages named by their call (src/worker/protocol.ts).
    const loadedAt = loaded.worker.find((m) => m.type === 'result' && m.call === 'load')?.t;
    const traceAt = loaded.worker.find((m) => m.type === 'result' && m.call === 'openTrace')?.t;
    result.phases = {
      readMs: firstParsing !== undefined ? Math.round(firstParsing - change) : null,
      parseMs: firstParsing !== undefined && loadedAt !== undefined ? Math.round(loadedAt - firstParsing) : null,
      viewMs: loadedAt !== undefined && traceAt !== undefined ? Math.round(traceAt - loadedAt) : null,
      renderMs: traceAt !== undefined ? Math.round(painted - traceAt) : null,
    };
    const loadEnd = painted + opts.settleMs;
    const loadTasks = loaded.longtasks.filter((t) => t.start >= inputStart && t.start <= loadEnd);
    result.loadLongTasks = {
      ...longTaskStats(loaded.longtasks, inputStart, loadEnd),
      top: [...loadTasks]
        .sort((a, b) => b.duration - a.duration)
        .slice(0, 5)
        .map((t) => ({ atMs: Math.round(t.start - inputStart), durationMs: round1(t.duration) })),
    };
    result.loadLongFrames = loaded.loafs
      .filter((f) => f.start >= inputStart && f.start <= loadEnd)
      .sort((a, b) => b.duration - a.duration)
      .slice(0, 3)
      .map((f) => longFrame(f, inputStart, opts.maps));
    log(`first rows painted after ${result.loadMs} ms; ${result.spans ?? '?'} spans; longest task ${result.loadLongTasks.longestMs} ms`);

    if (pageProfiler) {
      const found = await pageProfiler.stop();
      for (const w of workers.workers()) {
        if (!workerProfiling.has(w.sessionId)) continue;
        try {
          const { profile } = await workers.send<{ profile: CpuProfile }>(w.sessionId, 'Profiler.stop');
          found.worker = profile;
        } catch (err) {
          errors.push(`worker profile: ${(err as Error).message}`);
        }
      }
      saveProfiles('load', found);
    }

    // Heap: a full GC in the page and in each worker, then each one's usage.
    try {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const pageHeap = await cdp.send('Runtime.getHeapUsage');
      const metrics = await cdp.send('Performance.getMetrics');
      let workerUsed = 0;
      let workerArrayBuffers = 0;
      let workerEmbedder = 0;
      const ws = workers.workers();
      if (ws.length === 0) errors.push('no worker target attached: worker heap not measured');
      for (const w of ws) {
        await workers.send(w.sessionId, 'HeapProfiler.collectGarbage');
        await workers.send(w.sessionId, 'HeapProfiler.collectGarbage');
        const h = await workers.send<{ usedSize: number; backingStorageSize?: number; embedderHeapUsedSize?: number }>(w.sessionId, 'Runtime.getHeapUsage');
        workerUsed += h.usedSize;
        workerArrayBuffers += h.backingStorageSize ?? 0;
        workerEmbedder += h.embedderHeapUsedSize ?? 0;
      }
      const totalBytes = pageHeap.usedSize + (pageHeap.backingStorageSize ?? 0) + (pageHeap.embedderHeapUsedSize ?? 0) + workerUsed + workerArrayBuffers + workerEmbedder;
      result.heap = {
        pageUsed: pageHeap.usedSize,
        pageArrayBuffers: pageHeap.backingStorageSize ?? 0,
        pageEmbedder: pageHeap.embedderHeapUsedSize ?? 0,
        workerUsed,
        workerArrayBuffers,
        pageMetricJsHeap: metrics.metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0,
        totalBytes,
        bytesPerSpan: result.spans ? Math.round(totalBytes / result.spans) : null,
        baselineBytes,
        traceBytesPerSpan: result.spans ? Math.round((totalBytes - baselineBytes) / result.spans) : null,
      };
      result.processMemory = { peakDuringLoad, afterLoad: sampleMemory(launched.processTree()) };
      log(`heap: page ${(pageHeap.usedSize / 1e6).toFixed(0)} MB + worker ${(workerUsed / 1e6).toFixed(0)} MB JS, ArrayBuffers ${(((pageHeap.backingStorageSize ?? 0) + workerArrayBuffers) / 1e6).toFixed(0)} MB; total ${(totalBytes / 1e6).toFixed(0)} MB`);
    } catch (err) {
      errors.push(`heap: ${(err as Error).message}`);
    }

    if (opts.loadOnly) {
      if (opts.views) result.views = await timeViews(page, opts.stepTimeoutMs, log).catch((err: Error) => (errors.push(`views: ${err.message.split('\n')[0]}`), []));
      await context.close();
      return result;
    }
    // ---- 4–6: interactions (each guarded: one failing step does not hide the others)
    const spans = result.spans ?? opts.input.spans ?? 1000;
    const step = async <T>(name: string, fn: () => Promise<T>): Promise<T | null> => {
      if (crashed) return null;
      try {
        return await fn();
      } catch (err) {
        errors.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
        log(`${name} failed: ${(err as Error).message.split('\n')[0]}`);
        return null;
      }
    };
    const interactionProfiler = opts.profile ? await startPageProfiler(cdp) : undefined;
    const canvas = await center(page, '[data-testid=waterfall-canvas]');
    await page.mouse.move(canvas.x, canvas.y);
    await page.focus('[data-testid=waterfall]');
    await page.waitForTimeout(200);

    // Jump scroll top → bottom in 50 wheel steps, one step per frame.
    result.scrollJump = await step('scroll (jump)', async () => {
      const dy = Math.ceil(spans / 50) * 24 + 24;
      const started = await page.evaluate(() => (window as unknown as BenchWindow).__bench.startFrames());
      for (let k = 0; k < 50; k++) {
        await page.mouse.wheel(0, dy);
        await nextFrame(page);
      }
      await nextFrame(page);
      const rec = await page.evaluate(() => (window as unknown as BenchWindow).__bench.stopFrames());
      const lastSpan = await page.evaluate(() => Math.max(-1, ...[...document.querySelectorAll('[data-testid=waterfall-row]')].map((r) => Number(r.getAttribute('data-span')))));
      return { ...(await frameStats(page, started, rec, opts.maps)), lastSpan, reachedBottom: lastSpan === spans - 1 };
    });
    log(`scroll jump: max frame ${result.scrollJump?.maxFrameMs ?? '–'} ms, p95 ${result.scrollJump?.p95FrameMs ?? '–'} ms`);

    // Fine scroll: 200 small wheel steps (100 px) upwards from the bottom.
    result.scrollFine = await step('scroll (fine)', async () => {
      const started = await page.evaluate(() => (window as unknown as BenchWindow).__bench.startFrames());
      for (let k = 0; k < 200; k++) {
        await page.mouse.wheel(0, -100);
        await nextFrame(page);
      }
      await nextFrame(page);
      const rec = await page.evaluate(() => (window as unknown as BenchWindow).__bench.stopFrames());
      return frameStats(page, started, rec, opts.maps);
    });
    log(`scroll fine: max frame ${result.scrollFine?.maxFrameMs ?? '–'} ms, p95 ${result.scrollFine?.p95FrameMs ?? '–'} ms`);

    // Drag the scroll thumb to the top in 50 steps.
    result.scrollThumb = await step('scroll (thumb drag)', async () => {
      if ((await page.locator('[data-testid=waterfall-scroll-thumb]').count()) === 0) throw new Error('no scroll thumb (all rows fit on screen)');
      const thumb = await center(page, '[data-testid=waterfall-scroll-thumb]');
      const body = await center(page, '[data-testid=waterfall-body]');
      const targetY = body.box.y + 2;
      const started = await page.evaluate(() => (window as unknown as BenchWindow).__bench.startFrames());
      await page.mouse.move(thumb.x, thumb.y);
      await page.mouse.down();
      for (let k = 1; k <= 50; k++) {
        await page.mouse.move(thumb.x, thumb.y + ((targetY - thumb.y) * k) / 50);
        await nextFrame(page);
      }
      await page.mouse.up();
      await nextFrame(page);
      const rec = await page.evaluate(() => (window as unknown as BenchWindow).__bench.stopFrames());
      const firstSpan = await page.evaluate(() => document.querySelector('[data-testid=waterfall-row]')?.getAttribute('data-span'));
      return { ...(await frameStats(page, started, rec, opts.maps)), reachedTop: firstSpan === '0' };
    });
    log(`scroll thumb: max frame ${result.scrollThumb?.maxFrameMs ?? '–'} ms, p95 ${result.scrollThumb?.p95FrameMs ?? '–'} ms`);

    // Zoom in with the minimap brush (10% → 20% of its width), then Reset zoom.
    result.zoomMinimap = await step('zoom (minimap)', async () => {
      const mm = await center(page, '[data-testid=minimap]');
      const y = mm.y;
      const started = await page.evaluate(() => (window as unknown as BenchWindow).__bench.startFrames());
      const inputsBefore = await page.evaluate(() => (window as unknown as BenchWindow).__bench.inputs.length);
      await page.mouse.move(mm.box.x + mm.box.width * 0.1, y);
      await page.mouse.down();
      for (let k = 1; k <= 10; k++) {
        await page.mouse.move(mm.box.x + mm.box.width * (0.1 + 0.01 * k), y);
        await nextFrame(page);
      }
      await page.evaluate((t) => (window as unknown as BenchWindow).__bench.armPresence('[data-testid=reset-zoom]', true, t), Math.min(opts.stepTimeoutMs, 60_000));
      await page.mouse.up();
      const change = await page.evaluate(() => (window as unknown as BenchWindow).__bench.presence);
      await nextFrame(page);
      const rec = await page.evaluate(() => (window as unknown as BenchWindow).__bench.stopFrames());
      const inputs = await page.evaluate(() => (window as unknown as BenchWindow).__bench.inputs);
      const up = inputs.slice(inputsBefore).find((i) => i.type === 'mouseup' && i.trusted);
      return { ...(await frameStats(page, started, rec, opts.maps)), applyMs: change.changed && up ? round1(change.paintedAt - up.t) : null };
    });
    log(`zoom (minimap): applied in ${result.zoomMinimap?.applyMs} ms, max frame ${result.zoomMinimap?.maxFrameMs} ms`);
    result.zoomReset = await step('zoom (reset)', () =>
      timedClick(
        page,
        '[data-testid=reset-zoom]',
        () => page.evaluate((t) => (window as unknown as BenchWindow).__bench.armPresence('[data-testid=reset-zoom]', false, t), Math.min(opts.stepTimeoutMs, 60_000)),
        () => page.evaluate(() => (window as unknown as BenchWindow).__bench.presence),
      ),
    );

    // Zoom in with ctrl + wheel over the bars, 30 steps, then reset.
    result.zoomWheel = await step('zoom (ctrl+wheel)', async () => {
      await page.mouse.move(canvas.x, canvas.y);
      const started = await page.evaluate(() => (window as unknown as BenchWindow).__bench.startFrames());
      await page.keyboard.down('Control');
      for (let k = 0; k < 30; k++) {
        await page.mouse.wheel(0, -100);
        await nextFrame(page);
      }
      await page.keyboard.up('Control');
      await nextFrame(page);
      const rec = await page.evaluate(() => (window as unknown as BenchWindow).__bench.stopFrames());
      const stats = await frameStats(page, started, rec, opts.maps);
      if (await page.locator('[data-testid=reset-zoom]').count()) await page.click('[data-testid=reset-zoom]');
      else errors.push('zoom (ctrl+wheel): the window did not zoom');
      return stats;
    });
    log(`zoom (ctrl+wheel): max frame ${result.zoomWheel?.maxFrameMs} ms, p95 ${result.zoomWheel?.p95FrameMs} ms`);

    // Collapse all, expand all (at the top of the list).
    // Collapse/expand take milliseconds; a minute without a change means nothing changed (e.g. one span).
    const armRows = () => page.evaluate((t) => (window as unknown as BenchWindow).__bench.armRowsChange(t), Math.min(opts.stepTimeoutMs, 60_000));
    const rowsChange = () => page.evaluate(() => (window as unknown as BenchWindow).__bench.rowsChange);
    await page.waitForTimeout(300);
    const collapsible = spans > 1;
    if (collapsible) {
      result.collapseAll = await step('collapse all', () => timedClick(page, '[data-testid=collapse-all]', armRows, rowsChange));
      if (result.collapseAll?.ms === null) errors.push('collapse all: the rows did not change within 60 s');
      await page.waitForTimeout(300);
      result.expandAll = await step('expand all', () => timedClick(page, '[data-testid=expand-all]', armRows, rowsChange));
      if (result.expandAll?.ms === null) errors.push('expand all: the rows did not change within 60 s');
    }
    log(`collapse all ${result.collapseAll?.ms} ms (${result.collapseAll?.rowsBefore} → ${result.collapseAll?.rowsAfter} rows), expand all ${result.expandAll?.ms} ms`);

    if (interactionProfiler) saveProfiles('interactions', await interactionProfiler.stop());
    if (opts.views) result.views = (await step('views', () => timeViews(page, opts.stepTimeoutMs, log))) ?? [];

    // Check: collapse all while scrolled to the bottom.
    if (collapsible && result.scrollThumb) result.collapseAllScrolledRows = await step('collapse all while scrolled', async () => {
      await page.mouse.move(canvas.x, canvas.y);
      await page.mouse.wheel(0, spans * 24 + 1000);
      await nextFrame(page);
      await page.waitForTimeout(300);
      const c = await timedClick(page, '[data-testid=collapse-all]', armRows, rowsChange);
      await page.click('[data-testid=expand-all]');
      return c.rowsAfter;
    });

    await context.close();
  } catch (err) {
    errors.push((err as Error).message.split('\n')[0]);
    opts.log(`  [${opts.input.label} #${opts.run}] failed: ${(err as Error).message.split('\n')[0]}`);
  } finally {
    await launched?.browser.close().catch(() => undefined);
  }
  return result;
}
