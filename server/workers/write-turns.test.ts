import { describe, expect, it } from 'vitest';
import { freeTurnOf, takingTurns, writeTurnCell } from './write-turns.ts';

describe('write turns', () => {
  it('holds the turn for the write only, and frees it when the write throws', () => {
    const cell = writeTurnCell();
    const takeTurn = takingTurns(cell, 2);
    expect(takeTurn(() => Atomics.load(cell, 0))).toBe(2);
    expect(Atomics.load(cell, 0)).toBe(0);
    expect(() => takeTurn(() => { throw new Error('constraint failed'); })).toThrow('constraint failed');
    expect(Atomics.load(cell, 0)).toBe(0);
    // A write inside a write keeps the turn until the outer one ends.
    expect(takeTurn(() => [takeTurn(() => Atomics.load(cell, 0)), Atomics.load(cell, 0)])).toEqual([2, 2]);
    expect(Atomics.load(cell, 0)).toBe(0);
  });

  it("frees a dead worker's turn, and only its own", () => {
    const cell = writeTurnCell();
    Atomics.store(cell, 0, 1);
    freeTurnOf(cell, 2);
    expect(Atomics.load(cell, 0)).toBe(1);
    freeTurnOf(cell, 1);
    expect(Atomics.load(cell, 0)).toBe(0);
  });
});
