// Turns at the store's write lock for the intake workers, in memory they share: the worker that waits
// wakes the moment the other commits (Atomics.notify), where SQLite's busy handler would sleep between
// tries (up to 100 ms each). Other writers (the documents worker's shares, the main thread) still meet at SQLite's own lock.

/** The shared cell: 0 when free, else the holder's number. */
export function writeTurnCell(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4));
}

/** Runs each write while holding the turn; `holder` (≥ 1) names this worker. */
export function takingTurns(cell: Int32Array, holder: number): <T>(write: () => T) => T {
  return (write) => {
    // Ours already (a write inside a write): waiting for ourselves would never end.
    if (Atomics.load(cell, 0) === holder) return write();
    for (let held = Atomics.compareExchange(cell, 0, 0, holder); held !== 0; held = Atomics.compareExchange(cell, 0, 0, holder)) {
      Atomics.wait(cell, 0, held, 1000);
    }
    try {
      return write();
    } finally {
      Atomics.store(cell, 0, 0);
      Atomics.notify(cell, 0, 1);
    }
  };
}

/** Frees the turn if `holder` had it (a worker that died in its write). */
export function freeTurnOf(cell: Int32Array, holder: number): void {
  if (Atomics.compareExchange(cell, 0, holder, 0) === holder) Atomics.notify(cell, 0, 1);
}
