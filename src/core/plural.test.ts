import { describe, expect, it } from 'vitest';
import { plural } from './plural.ts';

describe('plural', () => {
  it('says 1 trace, 0 and 2 traces, groups thousands, and takes irregular plurals', () => {
    expect(plural(1, 'trace')).toBe('1 trace');
    expect(plural(0, 'trace')).toBe('0 traces');
    expect(plural(2, 'connected trace')).toBe('2 connected traces');
    expect(plural(1204, 'span')).toBe('1,204 spans');
    expect(plural(1, 'child', 'children')).toBe('1 child');
    expect(plural(3, 'child', 'children')).toBe('3 children');
  });
});
