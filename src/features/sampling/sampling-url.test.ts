import { describe, expect, it } from 'vitest';
import { readSamplingParams, readSamplingVerdict, samplingParamsEdit, samplingVerdictEdit } from './sampling-url.ts';

describe('the sampling lab in the URL', () => {
  const apply = (edit: (url: URL) => void) => {
    const url = new URL('http://x/?trace=ab&tab=sampling');
    edit(url);
    return url.search;
  };
  it('keeps config, head and scope; absent means the defaults, no head is "none"', () => {
    const open = { start: undefined, end: undefined };
    const params = { config: 'policies:\n  - {name: a, type: always_sample}\n', head: '', scope: 'trace', range: open } as const;
    expect(readSamplingParams(apply(samplingParamsEdit(params)))).toEqual(params);
    expect(readSamplingParams(apply(samplingParamsEdit({ config: undefined, head: undefined, scope: 'all', range: open })))).toEqual({ config: undefined, head: undefined, scope: 'all', range: open });
    expect(apply(samplingParamsEdit({ config: undefined, head: undefined, scope: 'all', range: open }))).toBe('?trace=ab&tab=sampling');
  });
  it('the store scope keeps its absolute range; other scopes drop it; a bad bound reads as open', () => {
    const store = { config: undefined, head: undefined, scope: 'store', range: { start: 1_765_000_000_000, end: undefined } } as const;
    expect(apply(samplingParamsEdit(store))).toBe('?trace=ab&tab=sampling&sscope=store&sfrom=1765000000000');
    expect(readSamplingParams(apply(samplingParamsEdit(store)))).toEqual(store);
    expect(apply(samplingParamsEdit({ ...store, scope: 'all' }))).toBe('?trace=ab&tab=sampling');
    expect(readSamplingParams('?sscope=store&sfrom=yesterday&sto=-5').range).toEqual({ start: undefined, end: undefined });
  });
  it('the verdict shown on a trace opened from the lab; a policy name may hold a colon', () => {
    const verdict = { traceId: 'ab', kept: false, headDropped: false, tailSampled: false, policy: 'errors:strict' };
    expect(readSamplingVerdict(apply(samplingVerdictEdit(verdict)))).toEqual(verdict);
    expect(readSamplingVerdict(apply(samplingVerdictEdit({ ...verdict, headDropped: true, policy: undefined })))).toEqual({ ...verdict, headDropped: true, policy: undefined });
    expect(readSamplingVerdict('?sdec=nonsense')).toBeUndefined();
  });
});
