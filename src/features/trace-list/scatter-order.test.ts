import { describe, expect, it } from 'vitest';
import { scatterDrawOrder } from './scatter-order.ts';

describe('scatterDrawOrder', () => {
  it('draws failing traces after every normal one, big dots before small ones', () => {
    const traces = [
      { id: 'err-small', errorCount: 1, spanCount: 3 },
      { id: 'ok-small', errorCount: 0, spanCount: 2 },
      { id: 'err-big', errorCount: 4, spanCount: 900 },
      { id: 'ok-big', errorCount: 0, spanCount: 500 },
    ];
    expect(scatterDrawOrder(traces).map((t) => t.id)).toEqual(['ok-big', 'ok-small', 'err-big', 'err-small']);
    expect(traces[0].id).toBe('err-small'); // the input is left as it was
  });
});
