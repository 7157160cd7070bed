// Shared by the per-format fixture tests: load a file from fixtures/ the way the app does (no file
// name, so detection is tested on content alone) and compare a readable dump with a snapshot file.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import { dumpCollection } from '../model/dump.ts';
import type { AttrValue } from '../model/attributes.ts';
import { SPAN_KINDS, type TraceCollection, type TraceFormat, type TraceModel } from '../model/trace-model.ts';
import { loadBytes } from './index.ts';

export const FIXTURES_DIR = join(import.meta.dirname, '../../../fixtures');

export function readFixture(relPath: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES_DIR, relPath)));
}

export async function loadFixture(relPath: string): Promise<TraceCollection> {
  return loadBytes(readFixture(relPath));
}

/** Loads without a file name, checks the detected format and matches __snapshots__/<file>.txt. */
export async function checkFixtureSnapshot(relPath: string, format: TraceFormat): Promise<TraceCollection> {
  const collection = await loadFixture(relPath);
  expect(collection.format).toBe(format);
  await expect(dumpCollection(collection)).toMatchFileSnapshot(join(import.meta.dirname, '__snapshots__', `${basename(relPath)}.txt`));
  return collection;
}

// ---- reading one span of a model in tests ----

/** Index of the span with this id (and kind, when given). */
export function spanById(m: TraceModel, id: string, kind?: string): number {
  for (let i = 0; i < m.spanCount; i++) if (m.spanIds[i] === id && (kind === undefined || SPAN_KINDS[m.kind[i]] === kind)) return i;
  throw new Error(`no span ${id} ${kind ?? ''}`);
}

export function spanAttrs(m: TraceModel, i: number): Record<string, AttrValue> {
  return Object.fromEntries(m.stores.attributes.read(m.attrStart[i], m.attrCount[i]).map((a) => [a.key, a.value]));
}

export function resourceAttrs(m: TraceModel, i: number): Record<string, AttrValue> {
  const r = m.stores.resources[m.resourceId[i]];
  return Object.fromEntries(m.stores.attributes.read(r.attrStart, r.attrCount).map((a) => [a.key, a.value]));
}

export function eventNames(m: TraceModel, i: number): string[] {
  const names: string[] = [];
  for (let e = m.eventStart[i]; e < m.eventStart[i] + m.eventCount[i]; e++) names.push(m.stores.strings.get(m.stores.events.nameId[e]));
  return names;
}

/**
 * dumpCollection plus every span's ids, attributes, events, links, status message and warnings: two imports
 * that give the same text gave the same model, down to each attribute's type.
 */
export function detailedDump(collection: TraceCollection): string {
  const lines = [dumpCollection(collection, Infinity)];
  for (const m of collection.traces) {
    const attrsAt = (start: number, count: number) => m.stores.attributes.read(start, count).map((a) => [a.key, a.type, a.value]);
    const { events, links } = m.stores;
    for (let i = 0; i < m.spanCount; i++) {
      const spanEvents = Array.from({ length: m.eventCount[i] }, (_, k) => m.eventStart[i] + k).map((e) => [m.stores.strings.get(events.nameId[e]), events.timeMs[e], events.timeNsOfMs[e], attrsAt(events.attrStart[e], events.attrCount[e])]);
      const spanLinks = Array.from({ length: m.linkCount[i] }, (_, k) => m.linkStart[i] + k).map((l) => [links.traceId[l], links.spanId[l], links.kind[l], links.traceState[l], attrsAt(links.attrStart[l], links.attrCount[l])]);
      const span = [m.spanIds[i], m.parentSpanIds[i], m.statusMessage.get(i), m.spanWarnings.get(i), attrsAt(m.attrStart[i], m.attrCount[i]), spanEvents, spanLinks];
      lines.push(JSON.stringify(span, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)));
    }
  }
  return lines.join('\n');
}
