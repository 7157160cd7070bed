import { describe, expect, it } from 'vitest';
import { indentPx } from './TreeRowHead.tsx';

describe('indentation of deep rows', () => {
  it('full 14 px steps for the first levels, 3 px after, never past the cap', () => {
    expect([indentPx(0, 8), indentPx(8, 8), indentPx(9, 8), indentPx(39, 8)]).toEqual([0, 112, 115, 205]);
    // A 340 px span column (1280 px with the details beside it) gives at most 40%: rows from depth 16 on stop there.
    expect([indentPx(15, 8, 136), indentPx(16, 8, 136), indentPx(39, 8, 136)]).toEqual([133, 136, 136]);
  });
});
