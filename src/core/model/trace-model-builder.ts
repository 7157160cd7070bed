// Every importer writes through this builder. Spans may arrive in any order, from several traces,
// with missing parents, duplicate ids or parent cycles; build() turns them into pre-ordered columnar
// TraceModels without recursion, whatever the depth.
import { AttributeStore, type AttrType, type AttrValue } from './attributes.ts';
import { buildTrace, TraceGroup, type BuiltTrace } from './build-trace.ts';
import { StringTable } from './string-table.ts';
import { compareEpoch, type EpochNanos } from './time.ts';
import {
  LINK_KINDS,
  SPAN_KINDS,
  STATUS_CODES,
  type EventStore,
  type LinkKind,
  type LinkStore,
  type ResourceInfo,
  type ScopeInfo,
  type SpanKind,
  type StatusCode,
  type TraceCollection,
  type TraceFormat,
} from './trace-model.ts';

export interface SpanInput {
  /** 32 lowercase hex (see ids.ts). */
  readonly traceId: string;
  /** 16 lowercase hex. */
  readonly spanId: string;
  /** 16 lowercase hex, or '' / undefined for a root. */
  readonly parentSpanId?: string;
  readonly name: string;
  readonly service: string;
  /** From addResource(); resource attributes of the span. */
  readonly resource?: number;
  /** From addScope(). */
  readonly scope?: number;
  readonly kind?: SpanKind;
  /** undefined when the file has no start time (the span is placed at its parent's start). */
  readonly start: EpochNanos | undefined;
  /** NaN or negative when missing or broken (shown as 0 with a warning). */
  readonly durationNs: number;
  readonly status?: StatusCode;
  readonly statusMessage?: string;
  readonly traceState?: string;
}

/** Returned by addSpan; pass to setParent. */
export interface SpanHandle {
  readonly traceId: string;
  readonly index: number;
}

const KIND_IDS = Object.fromEntries(SPAN_KINDS.map((k, i) => [k, i])) as Record<SpanKind, number>;
const STATUS_IDS = Object.fromEntries(STATUS_CODES.map((k, i) => [k, i])) as Record<StatusCode, number>;

type Owner = 'span' | 'event' | 'link' | 'resource' | 'scope';

export class TraceModelBuilder {
  readonly strings = new StringTable();
  readonly attributes = new AttributeStore(this.strings);
  private readonly resources: ResourceInfo[] = [];
  private readonly scopes: ScopeInfo[] = [];
  private readonly events: EventStore = { timeMs: [], timeNsOfMs: [], nameId: [], attrStart: [], attrCount: [] };
  private readonly links: LinkStore = { traceId: [], spanId: [], kind: [], traceState: [], attrStart: [], attrCount: [] };
  private readonly groups = new Map<string, TraceGroup>();
  private readonly fileWarnings: string[] = [];
  private current: TraceGroup | undefined;
  private currentSpan = -1;
  private owner: Owner | undefined;

  constructor(readonly format: TraceFormat) {}

  get spanCount(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.size;
    return n;
  }

  get warningList(): readonly string[] {
    return this.fileWarnings;
  }

  warn(message: string): void {
    if (!this.fileWarnings.includes(message)) this.fileWarnings.push(message);
  }

  addResource(service: string): number {
    this.resources.push({ serviceId: this.strings.intern(service), attrStart: this.attributes.length, attrCount: 0 });
    this.owner = 'resource';
    return this.resources.length - 1;
  }

  /** The service name a resource was added with. */
  resourceService(resource: number): string {
    return this.strings.get(this.resources[resource].serviceId);
  }

  addScope(name: string, version = ''): number {
    this.scopes.push({ name, version, attrStart: this.attributes.length, attrCount: 0 });
    this.owner = 'scope';
    return this.scopes.length - 1;
  }

  addSpan(input: SpanInput): SpanHandle {
    let group = this.groups.get(input.traceId);
    if (!group) {
      group = new TraceGroup(input.traceId);
      this.groups.set(input.traceId, group);
    }
    const g = group;
    g.spanIds.push(input.spanId);
    g.parentSpanIds.push(input.parentSpanId ?? '');
    g.explicitParent.push(-1);
    g.nameId.push(this.strings.intern(input.name));
    g.serviceId.push(this.strings.intern(input.service));
    g.resourceId.push(input.resource ?? -1);
    g.scopeId.push(input.scope ?? -1);
    g.kind.push(KIND_IDS[input.kind ?? 'unspecified']);
    g.status.push(STATUS_IDS[input.status ?? 'unset']);
    g.startMs.push(input.start ? input.start.ms : NaN);
    g.startNsOfMs.push(input.start ? input.start.nsOfMs : 0);
    g.durationNs.push(input.durationNs);
    g.attrStart.push(this.attributes.length);
    g.attrCount.push(0);
    g.eventStart.push(this.events.timeMs.length);
    g.eventCount.push(0);
    g.linkStart.push(this.links.traceId.length);
    g.linkCount.push(0);
    const index = g.size - 1;
    if (input.statusMessage) g.statusMessage.set(index, input.statusMessage);
    if (input.traceState) g.traceState.set(index, input.traceState);
    this.current = g;
    this.currentSpan = index;
    this.owner = 'span';
    return { traceId: input.traceId, index };
  }

  /** For formats that resolve parents themselves (Zipkin shared spans). Same trace only. */
  setParent(child: SpanHandle, parent: SpanHandle): void {
    if (child.traceId !== parent.traceId) throw new Error('setParent: the parent must be in the same trace');
    this.groupOf(child).explicitParent.data[child.index] = parent.index;
  }

  /** Gives an already added span its resource and service (formats that list them after the spans). */
  assignResource(span: SpanHandle, resource: number): void {
    const g = this.groupOf(span);
    g.resourceId.data[span.index] = resource;
    g.serviceId.data[span.index] = this.resources[resource].serviceId;
  }

  /** Adds a warning to an already added span. */
  warnSpan(span: SpanHandle, message: string): void {
    const g = this.groupOf(span);
    const list = g.spanWarnings.get(span.index);
    if (list) list.push(message);
    else g.spanWarnings.set(span.index, [message]);
  }

  /**
   * A field of the last added span has the wrong type (`problem`: "duration must be a number, got
   * \"invalid\""): a warning on the span, and the trace's warnings name the first such field with the
   * span's place in the file ("Jaeger span 3 of trace abc: …").
   */
  badField(formatLabel: string, problem: string): void {
    const g = this.requireSpan('badField');
    this.spanWarning(problem);
    g.badFields.count++;
    g.badFields.first ??= `${formatLabel} span ${this.currentSpan + 1} of trace ${g.traceId}: ${problem}`;
  }

  /** Changes the error status of the last added span (formats that learn of the error after the span). */
  setStatus(status: StatusCode, message?: string): void {
    const g = this.requireSpan('setStatus');
    g.status.data[this.currentSpan] = STATUS_IDS[status];
    if (message) g.statusMessage.set(this.currentSpan, message);
  }

  /** Adds a warning to the last added span. */
  spanWarning(message: string): void {
    const g = this.requireSpan('spanWarning');
    this.warnSpan({ traceId: g.traceId, index: this.currentSpan }, message);
  }

  /** Attribute of whatever was added last: resource, scope, span, event or link. */
  attr(key: string, value: AttrValue, type?: AttrType): void {
    switch (this.owner) {
      case 'resource':
        this.resources[this.resources.length - 1].attrCount++;
        break;
      case 'scope':
        this.scopes[this.scopes.length - 1].attrCount++;
        break;
      case 'span': {
        const g = this.requireSpan('attr');
        if (g.attrStart.data[this.currentSpan] + g.attrCount.data[this.currentSpan] !== this.attributes.length) {
          throw new Error('builder: span attributes must be added right after addSpan');
        }
        g.attrCount.data[this.currentSpan]++;
        break;
      }
      case 'event':
        this.events.attrCount[this.events.attrCount.length - 1]++;
        break;
      case 'link':
        this.links.attrCount[this.links.attrCount.length - 1]++;
        break;
      default:
        throw new Error('builder: attr() before any resource, scope or span');
    }
    this.attributes.add(key, value, type);
  }

  /** An event of the last span; its attributes follow with attr(). */
  addEvent(time: EpochNanos | undefined, name: string): void {
    const g = this.requireSpan('addEvent');
    const ev = this.events;
    if (g.eventStart.data[this.currentSpan] + g.eventCount.data[this.currentSpan] !== ev.timeMs.length) {
      throw new Error('builder: events must be added right after the span and its attributes');
    }
    g.eventCount.data[this.currentSpan]++;
    ev.timeMs.push(time ? time.ms : NaN);
    ev.timeNsOfMs.push(time ? time.nsOfMs : 0);
    ev.nameId.push(this.strings.intern(name));
    ev.attrStart.push(this.attributes.length);
    ev.attrCount.push(0);
    this.owner = 'event';
  }

  /** A link (or a non-parent reference) of the last span; its attributes follow with attr(). */
  addLink(traceId: string, spanId: string, kind: LinkKind, traceState?: string): void {
    const g = this.requireSpan('addLink');
    const l = this.links;
    if (g.linkStart.data[this.currentSpan] + g.linkCount.data[this.currentSpan] !== l.traceId.length) {
      throw new Error('builder: links must be added right after the span');
    }
    g.linkCount.data[this.currentSpan]++;
    l.traceId.push(traceId);
    l.spanId.push(spanId);
    l.kind.push(LINK_KINDS.indexOf(kind));
    l.traceState.push(traceState);
    l.attrStart.push(this.attributes.length);
    l.attrCount.push(0);
    this.owner = 'link';
  }

  private groupOf(span: SpanHandle): TraceGroup {
    const g = this.groups.get(span.traceId);
    if (!g) throw new Error(`builder: no span was added to trace ${span.traceId}`);
    return g;
  }

  private requireSpan(what: string): TraceGroup {
    if (!this.current || this.currentSpan < 0) throw new Error(`builder: ${what}() before addSpan()`);
    return this.current;
  }

  build(): TraceCollection {
    const stores = {
      strings: this.strings,
      attributes: this.attributes,
      resources: this.resources,
      scopes: this.scopes,
      events: this.events,
      links: this.links,
    };
    const built: BuiltTrace[] = [];
    for (const group of this.groups.values()) built.push(buildTrace(group, stores));
    built.sort((a, b) => compareEpoch(a.model.traceStart, b.model.traceStart));

    // Resolve links whose target span is in this load, and index them as inbound links of the target.
    const linkTargets = new Map<number, { trace: number; span: number }>();
    const traceIndexById = new Map<string, number>();
    built.forEach((b, i) => traceIndexById.set(b.model.traceId, i));
    built.forEach(({ model }) => {
      for (let s = 0; s < model.spanCount; s++) {
        const end = model.linkStart[s] + model.linkCount[s];
        for (let l = model.linkStart[s]; l < end; l++) {
          const t = traceIndexById.get(this.links.traceId[l]);
          if (t === undefined) continue;
          const inserted = built[t].idIndex.get(this.links.spanId[l]);
          if (inserted === undefined) continue;
          const target = built[t].modelIndex[inserted];
          linkTargets.set(l, { trace: t, span: target });
          const inbound = built[t].model.inboundLinks as Map<number, number[]>;
          const list = inbound.get(target);
          if (list) list.push(l);
          else inbound.set(target, [l]);
        }
      }
    });
    return { format: this.format, traces: built.map((b) => b.model), warnings: this.fileWarnings, linkTargets, stores };
  }
}
