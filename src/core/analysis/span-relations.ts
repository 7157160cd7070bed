// How spans call each other, for the service and operation graphs: the kind of a parent → child call,
// and span links resolved between the traces given to an analysis.
import { LINK_KINDS, type LinkStore, type TraceModel } from '../model/trace-model.ts';
import { blocksParent } from './critical-path.ts';

/**
 * sync: the parent waits (client → server, in-process calls); messaging: PRODUCER / CONSUMER spans and
 * messaging-system hops; follows_from: a child that FOLLOWS_FROM its parent; link: a span link (or a
 * reference other than the parent) from a span of one service to a span of another.
 */
export const CALL_KINDS = ['sync', 'messaging', 'follows_from', 'link'] as const;
export type CallKind = (typeof CALL_KINDS)[number];
export const CALL_SYNC = 0;
export const CALL_MESSAGING = 1;
export const CALL_FOLLOWS_FROM = 2;
export const CALL_LINK = 3;

const KIND_PRODUCER = 4;
const KIND_CONSUMER = 5;
const LINK_FOLLOWS_FROM = LINK_KINDS.indexOf('follows_from');

export function isMessagingKind(kind: number): boolean {
  return kind === KIND_PRODUCER || kind === KIND_CONSUMER;
}

/** The call kind (an index into CALL_KINDS) from the parent of span `i` to `i`; the same rule as the critical path's. */
export function parentCallKind(model: TraceModel, i: number): number {
  if (isMessagingKind(model.kind[i])) return CALL_MESSAGING;
  return blocksParent(model, i) ? CALL_SYNC : CALL_FOLLOWS_FROM;
}

/**
 * Calls `visit` for each link from a span of `traces` to a span of `traces`, as resolved by the loader
 * (TraceModel.inboundLinks: targets within the same load), except a span's reference to its own parent
 * (that is the parent relation, classified by parentCallKind). Cost: O(spans) typed reads plus the links.
 */
export function forEachLinkBetween(
  traces: readonly TraceModel[],
  visit: (source: number, sourceSpan: number, target: number, targetSpan: number, linkKind: number) => void,
): void {
  // Who owns each link: per link store (one per load), link index → trace * 2^26 + span.
  const owners = new Map<LinkStore, Map<number, number>>();
  traces.forEach((model, t) => {
    if (model.stores.links.kind.length === 0) return;
    let byLink = owners.get(model.stores.links);
    if (!byLink) owners.set(model.stores.links, (byLink = new Map()));
    for (let i = 0; i < model.spanCount; i++) {
      for (let l = model.linkStart[i], end = l + model.linkCount[i]; l < end; l++) byLink.set(l, t * 2 ** 26 + i);
    }
  });
  traces.forEach((target, tt) => {
    const byLink = owners.get(target.stores.links);
    if (!byLink) return;
    for (const [targetSpan, links] of target.inboundLinks) {
      for (const l of links) {
        const owner = byLink.get(l);
        if (owner === undefined) continue;
        const source = Math.floor(owner / 2 ** 26);
        const sourceSpan = owner % 2 ** 26;
        if (source === tt && target.parent[sourceSpan] === targetSpan) continue;
        visit(source, sourceSpan, tt, targetSpan, target.stores.links.kind[l]);
      }
    }
  });
}

/** follows_from for FOLLOWS_FROM references, link for everything else. */
export function linkCallKind(linkKind: number): number {
  return linkKind === LINK_FOLLOWS_FROM ? CALL_FOLLOWS_FROM : CALL_LINK;
}
