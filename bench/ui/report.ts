// Medians over runs, the tables `npm run bench:ui` prints, the peer baseline beside them and the targets.
import type { FrameStats, LongFrame, RunResult } from './measure-run.ts';
import { median } from '../median.ts';

/**
 * Jaeger UI v2.20 on the same machine kind, files from ../shared/bench/gen-jaeger-trace.mjs, as recorded in
 * /work/shared/NOTES.md ("Peer baseline"): drop → first rows painted, longest main-thread task during the
 * load, heap after load. 700k spans (a 637 MB file) could not be opened.
 */
export const PEER: Readonly<Record<number, { loadS: number; longestTaskS: number; heapMb: number } | 'cannot open'>> = {
  10_000: { loadS: 1.31, longestTaskS: 0.3, heapMb: 82 },
  100_000: { loadS: 4.26, longestTaskS: 2.98, heapMb: 357 },
  300_000: { loadS: 10.6, longestTaskS: 8.6, heapMb: 974 },
  500_000: { loadS: 19.2, longestTaskS: 16.6, heapMb: 1580 },
  700_000: 'cannot open',
};
export const PEER_INTERACTION = 'peer: scrolling stalls 0.45–0.8 s every few hundred rows at every size; expand-all ≈ 0.5 s';

/** The targets of the issue. */
export const TARGETS = {
  firstPaintS: { 100_000: 1.0, 300_000: 2.5, 1_000_000: 8 } as Readonly<Record<number, number>>,
  loadLongestTaskMs: 50,
  frameMaxMs: 50,
  frameP95Ms: 20,
  collapseExpandMs: 100,
  heapBytesPerSpan: 1024,
};

export function peerFor(spans: number | null): { loadS: number; longestTaskS: number; heapMb: number } | 'cannot open' | undefined {
  if (spans === null) return undefined;
  if (PEER[spans]) return PEER[spans];
  return spans >= 700_000 ? 'cannot open' : undefined;
}

function medianOrNull(values: readonly number[]): number | null {
  return values.length === 0 ? null : median(values);
}

const m = (runs: readonly RunResult[], pick: (r: RunResult) => number | null | undefined) => medianOrNull(runs.map(pick).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));

export interface FrameSummary {
  readonly maxFrameMs: number | null;
  readonly p95FrameMs: number | null;
  readonly longestTaskMs: number | null;
}

/** The tabs bench:ui --views times (as measure-run's VIEW_TABS). */
const VIEW_NAMES = ['services', 'operations', 'stats', 'flame'] as const;

export interface InputSummary {
  readonly label: string;
  readonly file: string;
  readonly bytes: number;
  /** The generator's nominal size (for the peer and target columns), else the spans read off the page. */
  readonly nominalSpans: number | null;
  readonly spans: number | null;
  readonly runs: number;
  readonly failedRuns: number;
  readonly loadMs: number | null;
  readonly loadRunsMs: readonly (number | null)[];
  readonly readMs: number | null;
  readonly parseMs: number | null;
  readonly viewMs: number | null;
  readonly renderMs: number | null;
  readonly loadLongestTaskMs: number | null;
  readonly loadLongTasks: number | null;
  readonly pageHeapMb: number | null;
  readonly workerHeapMb: number | null;
  readonly arrayBuffersMb: number | null;
  readonly totalHeapMb: number | null;
  readonly bytesPerSpan: number | null;
  readonly traceBytesPerSpan: number | null;
  readonly pageMetricJsHeapMb: number | null;
  readonly peakProcessMb: number | null;
  readonly scrollJump: FrameSummary;
  readonly scrollFine: FrameSummary;
  readonly scrollThumb: FrameSummary;
  readonly zoomMinimap: FrameSummary & { readonly applyMs: number | null };
  readonly zoomResetMs: number | null;
  readonly zoomWheel: FrameSummary;
  readonly collapseAllMs: number | null;
  readonly expandAllMs: number | null;
  readonly collapseExpandLongestTaskMs: number | null;
  readonly reachedBottom: boolean;
  readonly collapseAllScrolledRows: number | null;
  /** The longest animation frames over all runs: during the load, and in any interaction (which one). */
  readonly longestLoadFrame: LongFrame | null;
  readonly longestInteractionFrame: (LongFrame & { readonly interaction: string }) | null;
  readonly views: readonly { readonly tab: string; readonly ms: number | null; readonly longestTaskMs: number | null }[];
  readonly errors: readonly string[];
}

const INTERACTIONS = ['scrollJump', 'scrollFine', 'scrollThumb', 'zoomMinimap', 'zoomWheel'] as const;

const MB = 1e6;

function frames(runs: readonly RunResult[], pick: (r: RunResult) => FrameStats | null): FrameSummary {
  return {
    maxFrameMs: m(runs, (r) => pick(r)?.maxFrameMs),
    p95FrameMs: m(runs, (r) => pick(r)?.p95FrameMs),
    longestTaskMs: m(runs, (r) => pick(r)?.longestMs),
  };
}

export function summarize(runs: readonly RunResult[], nominalSpans: number | undefined): InputSummary {
  const ok = runs.filter((r) => r.loadMs !== null);
  const spans = m(ok, (r) => r.spans);
  return {
    label: runs[0].label,
    file: runs[0].file,
    bytes: runs[0].bytes,
    nominalSpans: nominalSpans ?? spans,
    spans,
    runs: runs.length,
    failedRuns: runs.length - ok.length,
    loadMs: m(ok, (r) => r.loadMs),
    loadRunsMs: runs.map((r) => r.loadMs),
    readMs: m(ok, (r) => r.phases.readMs),
    parseMs: m(ok, (r) => r.phases.parseMs),
    viewMs: m(ok, (r) => r.phases.viewMs),
    renderMs: m(ok, (r) => r.phases.renderMs),
    loadLongestTaskMs: m(ok, (r) => r.loadLongTasks.longestMs),
    loadLongTasks: m(ok, (r) => r.loadLongTasks.count),
    pageHeapMb: m(ok, (r) => r.heap && r.heap.pageUsed / MB),
    workerHeapMb: m(ok, (r) => r.heap && r.heap.workerUsed / MB),
    arrayBuffersMb: m(ok, (r) => r.heap && (r.heap.pageArrayBuffers + r.heap.workerArrayBuffers) / MB),
    totalHeapMb: m(ok, (r) => r.heap && r.heap.totalBytes / MB),
    bytesPerSpan: m(ok, (r) => r.heap?.bytesPerSpan),
    traceBytesPerSpan: m(ok, (r) => r.heap?.traceBytesPerSpan),
    pageMetricJsHeapMb: m(ok, (r) => r.heap && r.heap.pageMetricJsHeap / MB),
    peakProcessMb: m(ok, (r) => r.processMemory && r.processMemory.peakDuringLoad.totalBytes / MB),
    scrollJump: frames(ok, (r) => r.scrollJump),
    scrollFine: frames(ok, (r) => r.scrollFine),
    scrollThumb: frames(ok, (r) => r.scrollThumb),
    zoomMinimap: { ...frames(ok, (r) => r.zoomMinimap), applyMs: m(ok, (r) => r.zoomMinimap?.applyMs) },
    zoomResetMs: m(ok, (r) => r.zoomReset?.ms),
    zoomWheel: frames(ok, (r) => r.zoomWheel),
    collapseAllMs: m(ok, (r) => r.collapseAll?.ms),
    expandAllMs: m(ok, (r) => r.expandAll?.ms),
    collapseExpandLongestTaskMs: m(ok, (r) => Math.max(r.collapseAll?.longestMs ?? 0, r.expandAll?.longestMs ?? 0)),
    reachedBottom: ok.every((r) => r.scrollJump?.reachedBottom !== false),
    collapseAllScrolledRows: m(ok, (r) => r.collapseAllScrolledRows),
    longestLoadFrame: ok.flatMap((r) => r.loadLongFrames).sort((a, b) => b.durationMs - a.durationMs)[0] ?? null,
    longestInteractionFrame:
      ok
        .flatMap((r) => INTERACTIONS.flatMap((k) => (r[k]?.longestFrame ? [{ ...r[k].longestFrame, interaction: k }] : [])))
        .sort((a, b) => b.durationMs - a.durationMs)[0] ?? null,
    views: VIEW_NAMES.flatMap((tab) => {
      const timed = ok.flatMap((r) => r.views.filter((v) => v.tab === tab));
      return timed.length ? [{ tab, ms: medianOrNull(timed.map((v) => v.ms)), longestTaskMs: medianOrNull(timed.map((v) => v.longestTaskMs)) }] : [];
    }),
    errors: [...new Set(runs.flatMap((r) => r.errors))],
  };
}

const fmt = (v: number | null | undefined, digits = 0, unit = '') => (v === null || v === undefined ? '–' : `${v.toFixed(digits)}${unit}`);
const s = (ms: number | null | undefined) => (ms === null || ms === undefined ? '–' : (ms / 1000).toFixed(ms < 10_000 ? 2 : 1));
const mark = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? ' ✓' : ' ✗');

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: readonly string[]) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function countLabel(n: number | null): string {
  if (n === null) return '?';
  return n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 1e3 === 0 ? `${n / 1e3}k` : String(n);
}

export function formatReport(summaries: readonly InputSummary[], runs: number): string {
  const out: string[] = [];
  out.push(`Load (median of ${runs} run${runs === 1 ? '' : 's'}; times in s; peer = Jaeger UI v2.20, /work/shared/NOTES.md)`);
  out.push(
    table(
      ['input', 'spans', 'MB', 'load s', 'target', 'peer', 'read', 'parse', 'view', 'render', 'longest task ms', '>50ms', 'peer longest', 'heap page/worker/AB MB', 'total MB', 'B/span all/trace', 'peer heap', 'peak procs MB'],
      summaries.map((x) => {
        const peer = peerFor(x.nominalSpans);
        const target = x.nominalSpans === null ? undefined : TARGETS.firstPaintS[x.nominalSpans];
        return [
          x.label,
          countLabel(x.spans),
          (x.bytes / MB).toFixed(0),
          `${s(x.loadMs)}${x.failedRuns ? ` (${x.failedRuns} failed)` : ''}${mark(target === undefined || x.loadMs === null ? undefined : x.loadMs <= target * 1000)}`,
          target === undefined ? '–' : `≤ ${target}`,
          peer === undefined ? '–' : peer === 'cannot open' ? 'cannot open' : String(peer.loadS),
          s(x.readMs),
          s(x.parseMs),
          s(x.viewMs),
          s(x.renderMs),
          `${fmt(x.loadLongestTaskMs)}${mark(x.loadLongestTaskMs === null ? undefined : x.loadLongestTaskMs <= TARGETS.loadLongestTaskMs)}`,
          fmt(x.loadLongTasks),
          peer === undefined || peer === 'cannot open' ? '–' : String(peer.longestTaskS * 1000),
          `${fmt(x.pageHeapMb)}/${fmt(x.workerHeapMb)}/${fmt(x.arrayBuffersMb)}`,
          fmt(x.totalHeapMb),
          `${fmt(x.bytesPerSpan)}/${fmt(x.traceBytesPerSpan)}${mark(x.traceBytesPerSpan === null ? undefined : x.traceBytesPerSpan <= TARGETS.heapBytesPerSpan)}`,
          peer === undefined || peer === 'cannot open' ? '–' : String(peer.heapMb),
          fmt(x.peakProcessMb),
        ];
      }),
    ),
  );
  out.push(
    `targets: first paint ≤ 1.0 s at 100k, ≤ 2.5 s at 300k, ≤ 8 s at 1M; no main-thread task > ${TARGETS.loadLongestTaskMs} ms during load; heap ≤ ${TARGETS.heapBytesPerSpan} B/span.`,
    'read = file → bytes in the worker; parse = import in the worker; view = trace page + view columns; render = columns → first rows painted.',
    'heap = page + worker after a full GC: JS heaps (page/worker) + ArrayBuffers (AB) + DOM; B/span: all of it / minus the empty app (✓/✗ on the latter);',
    'peak procs = all Chromium processes (PSS, sampled every 0.5 s) during the load.',
    '',
  );
  const f = (x: FrameSummary) => `${fmt(x.maxFrameMs)}/${fmt(x.p95FrameMs)}${mark(x.maxFrameMs === null || x.p95FrameMs === null ? undefined : x.maxFrameMs <= TARGETS.frameMaxMs && x.p95FrameMs <= TARGETS.frameP95Ms)}`;
  out.push('Interaction (median; frames: max/p95 ms of requestAnimationFrame deltas while the interaction runs)');
  out.push(
    table(
      ['input', 'jump scroll', 'fine scroll', 'thumb drag', 'minimap zoom', 'zoom applied ms', 'reset ms', 'ctrl+wheel zoom', 'collapse-all ms', 'expand-all ms', 'longest task ms'],
      summaries.map((x) => [
        x.label,
        `${f(x.scrollJump)}${x.reachedBottom ? '' : ' (bottom not reached)'}`,
        f(x.scrollFine),
        f(x.scrollThumb),
        f(x.zoomMinimap),
        fmt(x.zoomMinimap.applyMs),
        fmt(x.zoomResetMs),
        f(x.zoomWheel),
        `${fmt(x.collapseAllMs)}${mark(x.collapseAllMs === null ? undefined : x.collapseAllMs <= TARGETS.collapseExpandMs)}`,
        `${fmt(x.expandAllMs)}${mark(x.expandAllMs === null ? undefined : x.expandAllMs <= TARGETS.collapseExpandMs)}`,
        fmt(Math.max(x.scrollJump.longestTaskMs ?? 0, x.scrollFine.longestTaskMs ?? 0, x.scrollThumb.longestTaskMs ?? 0, x.zoomMinimap.longestTaskMs ?? 0, x.zoomWheel.longestTaskMs ?? 0, x.collapseExpandLongestTaskMs ?? 0)),
      ]),
    ),
  );
  out.push(`targets: scroll/zoom frames ≤ ${TARGETS.frameMaxMs} ms, p95 ≤ ${TARGETS.frameP95Ms} ms; collapse/expand-all ≤ ${TARGETS.collapseExpandMs} ms at 1M. ${PEER_INTERACTION}.`);
  const frameLine = (f: LongFrame) =>
    `${f.durationMs} ms (render ${f.renderMs} ms) — ${f.scripts.length ? f.scripts.map((sc) => `${sc.durationMs} ms ${sc.invoker} → ${sc.source}`).join('; ') : 'no script attributed (style/layout/paint or GC)'}`;
  const frameNotes = summaries.flatMap((x) => [
    ...(x.longestLoadFrame ? [`  ${x.label}, load: ${frameLine(x.longestLoadFrame)}`] : []),
    ...(x.longestInteractionFrame ? [`  ${x.label}, ${x.longestInteractionFrame.interaction}: ${frameLine(x.longestInteractionFrame)}`] : []),
  ]);
  if (frameNotes.length) out.push('', 'Longest animation frames (long-animation-frame entries, scripts mapped through the source maps):', ...frameNotes);
  if (summaries.some((x) => x.views.length)) {
    out.push('', 'Other views (median; ms from the tab click to the first frame with the view drawn / longest main-thread task meanwhile)');
    out.push(table(['input', ...VIEW_NAMES], summaries.map((x) => [x.label, ...VIEW_NAMES.map((tab) => {
      const v = x.views.find((w) => w.tab === tab);
      return v ? `${fmt(v.ms)} / ${fmt(v.longestTaskMs)}` : '–';
    })])));
  }
  const problems = summaries.flatMap((x) => [
    ...x.errors.map((e) => `${x.label}: ${e}`),
    ...(x.collapseAllScrolledRows === 0 ? [`${x.label}: collapse-all while scrolled to the bottom leaves the waterfall empty (0 rows shown until the next scroll)`] : []),
  ]);
  if (problems.length) out.push('', 'Problems:', ...problems.map((p) => `  - ${p}`));
  return out.join('\n');
}
