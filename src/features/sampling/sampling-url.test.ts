import { describe, expect, it } from 'vitest';
import { readSamplingParams, readSamplingVerdict, samplingParamsEdit, samplingVerdictEdit } from './sampling-url.ts';

describe('the sampling lab in the URL', () => {
  const apply = (edit: (url: URL) => void) => {
    const url = new URL('http://x/?trace=ab&tab=sampling');
    edit(url);
    return url.search;
  };
  it('keeps config, head and scope; absent means the defaults, no head is "none"', () => {
    const params = { config: 'policies:\n  - {name: a, type: always_sample}\n', head: '', scope: 'trace' } as const;
    expect(readSamplingParams(apply(samplingParamsEdit(params)))).toEqual(params);
    expect(readSamplingParams(apply(samplingParamsEdit({ config: undefined, head: undefined, scope: 'all' })))).toEqual({ config: undefined, head: undefined, scope: 'all' });
    expect(apply(samplingParamsEdit({ config: undefined, head: undefined, scope: 'all' }))).toBe('?trace=ab&tab=sampling');
  });
  it('the verdict shown on a trace opened from the lab; a policy name may hold a colon', () => {
    const verdict = { traceId: 'ab', kept: false, headDropped: false, tailSampled: false, policy: 'errors:strict' };
    expect(readSamplingVerdict(apply(samplingVerdictEdit(verdict)))).toEqual(verdict);
    expect(readSamplingVerdict(apply(samplingVerdictEdit({ ...verdict, headDropped: true, policy: undefined })))).toEqual({ ...verdict, headDropped: true, policy: undefined });
    expect(readSamplingVerdict('?sdec=nonsense')).toBeUndefined();
  });
});
