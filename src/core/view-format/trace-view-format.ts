// The wire format of a trace view: the flat columns the waterfall and the flamegraph draw, as the worker
// builds them (src/worker/trace-view-data.ts) and the main thread reads them. Shared by both sides, so
// the page never imports worker code to read a view. Typed arrays only, so the whole view moves by
// transfer (no per-span objects cross the boundary); strings travel once, as small tables.
import type { IdleGap } from '../analysis/idle-gaps.ts';
import type { DensityGrid } from '../analysis/span-density.ts';
import type { TraceModel } from '../model/trace-model.ts';

/** Bits of TraceViewData.flags. */
export const FLAG_ERROR = 1;
export const FLAG_ERROR_ANCESTOR = 2;
export const FLAG_OUT_LINKS = 4;
export const FLAG_IN_LINKS = 8;
export const FLAG_ORPHAN = 16;
export const FLAG_WARNINGS = 32;

/** The opt-in clock-skew adjustment: the same trace with shifted starts and the analyses redone. */
export interface SkewAdjustedTimes {
  /** Spans whose own start the adjustment moves (their subtrees move with them). */
  readonly adjustedSpans: number;
  /** Per span: the shift applied to it, 0 when untouched. */
  readonly shiftNs: Float64Array;
  /** From the adjusted trace start, which is `originNs` from the recorded one. */
  readonly startNs: Float64Array;
  readonly originNs: number;
  readonly traceDurationNs: number;
  readonly selfTimeNs: Float64Array;
  readonly topSelfTime: Uint32Array;
  readonly criticalSpan: Uint32Array;
  readonly criticalStartNs: Float64Array;
  readonly criticalEndNs: Float64Array;
  readonly idleGaps: readonly IdleGap[];
  readonly density: DensityGrid;
}

/** The model's own tree and time columns, copied as they are. */
type ModelColumns = Pick<
  TraceModel,
  'traceId' | 'spanCount' | 'traceStart' | 'traceDurationNs' | 'parent' | 'depth' | 'subtreeEnd' | 'childCount' | 'startNs' | 'durationNs' | 'kind'
>;

export interface TraceViewData extends ModelColumns {
  readonly selfTimeNs: Float64Array;
  /** 0, 1, 2 … spanCount − 1: the rows while nothing is collapsed or filtered (made here, off the main thread). */
  readonly everyRow: Uint32Array;
  /** The spans with the most self time, largest first. */
  readonly topSelfTime: Uint32Array;
  /** Index into services. */
  readonly service: Uint16Array;
  /** The span's one-line summary, as an index into the label table (read it with spanLabelOf). */
  readonly label: Uint32Array;
  readonly flags: Uint8Array;
  /** The error spans, in pre-order (for previous / next error). */
  readonly errorSpans: Uint32Array;
  /** Error spans among each span's descendants (shown on a collapsed row). */
  readonly descendantErrors: Uint32Array;
  readonly services: readonly string[];
  /**
   * The distinct labels' UTF-16 code units back to back: label k is labelText[labelStart[k] ..
   * labelStart[k + 1]). Packed so the table moves by transfer; a trace can have a label per span and
   * structured-cloning a million strings stalls the main thread.
   */
  readonly labelText: Uint16Array;
  readonly labelStart: Uint32Array;
  /** Critical path segments, by time: span, start and end (ns from the trace start). */
  readonly criticalSpan: Uint32Array;
  readonly criticalStartNs: Float64Array;
  readonly criticalEndNs: Float64Array;
  /**
   * Links between two spans of this trace (not to the span's own parent), drawn as arrows: from
   * linkFrom[k] to linkTo[k]; linkInferred[k] = 1 when the broken-trace finder inferred it.
   */
  readonly linkFrom: Uint32Array;
  readonly linkTo: Uint32Array;
  readonly linkInferred: Uint8Array;
  /**
   * Time spent waiting in a queue before span queueWaitSpan[k] picked the work up (a stitched view's
   * end-to-end path): from queueWaitStartNs[k] to queueWaitEndNs[k]. Empty for a plain trace.
   */
  readonly queueWaitSpan: Uint32Array;
  readonly queueWaitStartNs: Float64Array;
  readonly queueWaitEndNs: Float64Array;
  /** Span events as ticks: eventOffset[i]..eventOffset[i+1] index eventTimeNs / eventIsException. */
  readonly eventOffset: Uint32Array;
  readonly eventTimeNs: Float64Array;
  readonly eventIsException: Uint8Array;
  /** The minimap's picture: span density by time and depth. */
  readonly density: DensityGrid;
  /** Stretches where no span runs, long enough to be worth squeezing. */
  readonly idleGaps: readonly IdleGap[];
  /** Present when spans sit outside their parent across services and a shift would fix them. */
  readonly skew: SkewAdjustedTimes | undefined;
  /** A search term on an attribute key this trace has, for the search box's placeholder. */
  readonly searchExample: string | undefined;
}

/** The label of a span, from the packed table (see TraceViewData.labelText). */
export function spanLabelOf(view: Pick<TraceViewData, 'label' | 'labelText' | 'labelStart'>, span: number): string {
  const k = view.label[span];
  const units = view.labelText.subarray(view.labelStart[k], view.labelStart[k + 1]);
  return units.length <= MAX_APPLY_UNITS ? String.fromCharCode.apply(null, units as unknown as number[]) : utf16.decode(units);
}

const MAX_APPLY_UNITS = 4096;
const PACK_BATCH = 1 << 14;
const utf16 = new TextDecoder('utf-16le');

/** Packs labels into the table spanLabelOf reads (see TraceViewData.labelText). */
export function packLabels(labels: readonly string[]): { labelText: Uint16Array; labelStart: Uint32Array } {
  const labelStart = new Uint32Array(labels.length + 1);
  for (let k = 0; k < labels.length; k++) labelStart[k + 1] = labelStart[k] + labels[k].length;
  const labelText = new Uint16Array(labelStart[labels.length]);
  // Joined in batches first: labels made by concatenation are string trees, each of which charCodeAt
  // would flatten on its own; a joined batch is one flat string.
  for (let k = 0; k < labels.length; k += PACK_BATCH) {
    const batch = labels.slice(k, k + PACK_BATCH).join('');
    const at = labelStart[k];
    for (let c = 0; c < batch.length; c++) labelText[at + c] = batch.charCodeAt(c);
  }
  return { labelText, labelStart };
}

/**
 * The buffers to transfer with a value (a TraceViewData, search matches): every typed array found in it,
 * nested objects included, so a column added later moves with the rest instead of being copied.
 * Shared memory is left out (it is shared, not moved).
 */
export function transferList(value: unknown): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const walk = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer) buffers.add(v.buffer);
    } else if (typeof v === 'object' && v !== null) {
      for (const field of Object.values(v)) walk(field);
    }
  };
  walk(value);
  return [...buffers];
}
