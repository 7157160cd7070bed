// Shared by the per-format fixture tests: load a file from fixtures/ the way the app does (no file
// name, so detection is tested on content alone) and compare a readable dump with a snapshot file.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import { dumpCollection } from '../model/dump.ts';
import type { TraceCollection, TraceFormat } from '../model/trace-model.ts';
import { loadTraces } from './index.ts';

export const FIXTURES_DIR = join(import.meta.dirname, '../../../fixtures');

export function readFixture(relPath: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES_DIR, relPath)));
}

export async function loadFixture(relPath: string): Promise<TraceCollection> {
  return loadTraces(readFixture(relPath));
}

/** Loads without a file name, checks the detected format and matches __snapshots__/<file>.txt. */
export async function checkFixtureSnapshot(relPath: string, format: TraceFormat): Promise<TraceCollection> {
  const collection = await loadFixture(relPath);
  expect(collection.format).toBe(format);
  await expect(dumpCollection(collection)).toMatchFileSnapshot(join(import.meta.dirname, '__snapshots__', `${basename(relPath)}.txt`));
  return collection;
}
