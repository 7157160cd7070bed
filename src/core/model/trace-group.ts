// The spans of one trace in insertion order, as the builder collects them until build() sorts them;
// and the same columns as plain data (a GroupPart), so a builder on another thread can hand its spans
// over (see TraceModelBuilder.exportPart and absorb).
import { f64Column, i32Column, u32Column, u8Column } from './growable-column.ts';

export class TraceGroup {
  readonly spanIds: string[] = [];
  readonly parentSpanIds: string[] = [];
  readonly explicitParent = i32Column();
  readonly nameId = u32Column();
  readonly serviceId = u32Column();
  readonly resourceId = i32Column();
  readonly scopeId = i32Column();
  readonly kind = u8Column();
  readonly status = u8Column();
  readonly startMs = f64Column();
  readonly startNsOfMs = f64Column();
  readonly durationNs = f64Column();
  readonly attrStart = u32Column();
  readonly attrCount = u32Column();
  readonly eventStart = u32Column();
  readonly eventCount = u32Column();
  readonly linkStart = u32Column();
  readonly linkCount = u32Column();
  readonly statusMessage = new Map<number, string>();
  readonly traceState = new Map<number, string>();
  readonly spanWarnings = new Map<number, string[]>();
  readonly warnings: string[] = [];

  constructor(readonly traceId: string) {}

  get size(): number {
    return this.spanIds.length;
  }
}

/** A group's columns as copies that can be transferred to another thread. */
export interface GroupPart {
  readonly traceId: string;
  readonly spanIds: string[];
  readonly parentSpanIds: string[];
  readonly explicitParent: Int32Array;
  readonly nameId: Uint32Array;
  readonly serviceId: Uint32Array;
  readonly resourceId: Int32Array;
  readonly scopeId: Int32Array;
  readonly kind: Uint8Array;
  readonly status: Uint8Array;
  readonly startMs: Float64Array;
  readonly startNsOfMs: Float64Array;
  readonly durationNs: Float64Array;
  readonly attrStart: Uint32Array;
  readonly attrCount: Uint32Array;
  readonly eventStart: Uint32Array;
  readonly eventCount: Uint32Array;
  readonly linkStart: Uint32Array;
  readonly linkCount: Uint32Array;
  readonly statusMessage: Map<number, string>;
  readonly traceState: Map<number, string>;
  readonly spanWarnings: Map<number, string[]>;
  readonly warnings: string[];
}

export function groupPart(g: TraceGroup): GroupPart {
  return {
    traceId: g.traceId,
    spanIds: g.spanIds,
    parentSpanIds: g.parentSpanIds,
    explicitParent: g.explicitParent.view().slice(),
    nameId: g.nameId.view().slice(),
    serviceId: g.serviceId.view().slice(),
    resourceId: g.resourceId.view().slice(),
    scopeId: g.scopeId.view().slice(),
    kind: g.kind.view().slice(),
    status: g.status.view().slice(),
    startMs: g.startMs.view().slice(),
    startNsOfMs: g.startNsOfMs.view().slice(),
    durationNs: g.durationNs.view().slice(),
    attrStart: g.attrStart.view().slice(),
    attrCount: g.attrCount.view().slice(),
    eventStart: g.eventStart.view().slice(),
    eventCount: g.eventCount.view().slice(),
    linkStart: g.linkStart.view().slice(),
    linkCount: g.linkCount.view().slice(),
    statusMessage: g.statusMessage,
    traceState: g.traceState,
    spanWarnings: g.spanWarnings,
    warnings: g.warnings,
  };
}

/** Where a part's ids land in the builder that absorbs it. */
export interface PartOffsets {
  /** The part's string id → the builder's. */
  readonly stringIds: Uint32Array;
  readonly resource: number;
  readonly scope: number;
  readonly attribute: number;
  readonly event: number;
  readonly link: number;
}

/** Appends a part's spans to a group; returns the index its first span got. */
export function appendGroupPart(g: TraceGroup, part: GroupPart, at: PartOffsets): number {
  const base = g.size;
  const n = part.spanIds.length;
  for (let i = 0; i < n; i++) {
    g.spanIds.push(part.spanIds[i]);
    g.parentSpanIds.push(part.parentSpanIds[i]);
    const parent = part.explicitParent[i];
    g.explicitParent.push(parent < 0 ? parent : parent + base);
    g.nameId.push(at.stringIds[part.nameId[i]]);
    g.serviceId.push(at.stringIds[part.serviceId[i]]);
    g.resourceId.push(part.resourceId[i] < 0 ? -1 : part.resourceId[i] + at.resource);
    g.scopeId.push(part.scopeId[i] < 0 ? -1 : part.scopeId[i] + at.scope);
  }
  g.kind.append(part.kind);
  g.status.append(part.status);
  g.startMs.append(part.startMs);
  g.startNsOfMs.append(part.startNsOfMs);
  g.durationNs.append(part.durationNs);
  g.attrStart.append(part.attrStart, at.attribute);
  g.attrCount.append(part.attrCount);
  g.eventStart.append(part.eventStart, at.event);
  g.eventCount.append(part.eventCount);
  g.linkStart.append(part.linkStart, at.link);
  g.linkCount.append(part.linkCount);
  for (const [i, m] of part.statusMessage) g.statusMessage.set(i + base, m);
  for (const [i, s] of part.traceState) g.traceState.set(i + base, s);
  for (const [i, list] of part.spanWarnings) g.spanWarnings.set(i + base, list);
  g.warnings.push(...part.warnings);
  return base;
}

/** The typed arrays of a part, to transfer rather than copy. */
export function groupPartBuffers(part: GroupPart): ArrayBuffer[] {
  const arrays = [
    part.explicitParent, part.nameId, part.serviceId, part.resourceId, part.scopeId, part.kind, part.status, part.startMs,
    part.startNsOfMs, part.durationNs, part.attrStart, part.attrCount, part.eventStart, part.eventCount, part.linkStart, part.linkCount,
  ];
  return arrays.map((a) => a.buffer as ArrayBuffer);
}
