// The share quota: uploaded files together stay within sharing.maxBytes, the least recently opened
// going first to make room, and a share nobody opened for sharing.maxAgeDays is deleted (on upload and
// every few minutes). Received traces have their own budget (retention, LiveTraces.prune); demo files
// count for neither.
import type { ShareQuota } from '../access-config.ts';
import { HttpError } from '../http-error.ts';
import type { TraceStore } from './trace-store.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const AGE_PRUNE_INTERVAL_MS = 10 * 60 * 1000;

/** A 507 before anything is parsed or deleted: a file larger than the whole quota never fits. */
export function checkShareFits(byteLength: number, quota: ShareQuota): void {
  if (byteLength > quota.maxBytes) {
    throw new HttpError(
      507,
      'Share quota exceeded',
      `This file is ${byteLength} bytes; this server keeps at most ${quota.maxBytes} bytes of shared files (sharing.maxBytes)`,
    );
  }
}

/** Prunes aged shares, then evicts the least recently opened until `byteLength` more fits. Returns how many went. */
export function makeRoomForShare(store: TraceStore, byteLength: number, quota: ShareQuota, nowMs: number): number {
  checkShareFits(byteLength, quota);
  return pruneAgedShares(store, quota, nowMs) + store.evictSharesBeyond(quota.maxBytes - byteLength).length;
}

/** Deletes the shares not opened for maxAgeDays (one indexed DELETE). */
export function pruneAgedShares(store: TraceStore, quota: ShareQuota, nowMs: number): number {
  return store.deleteSharesOpenedBefore(nowMs - quota.maxAgeDays * DAY_MS);
}

/** The periodic age pruning of a running server; the returned function stops it. */
export function startShareAgePruning(store: TraceStore, quota: ShareQuota, onPruned: (count: number) => void, onError: (err: unknown) => void): () => void {
  const timer = setInterval(() => {
    try {
      const count = pruneAgedShares(store, quota, Date.now());
      if (count > 0) onPruned(count);
    } catch (err) {
      onError(err);
    }
  }, AGE_PRUNE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
