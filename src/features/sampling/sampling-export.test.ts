import { describe, expect, it } from 'vitest';
import type { SampledTraceRow } from '../../core/view-format/analysis-answers.ts';
import { decisionsCsv } from './sampling-export.ts';

const row: SampledTraceRow = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  rootService: 'shop',
  rootName: 'GET /cart, "fast"',
  durationNs: 12_500_000,
  spans: 4,
  errorCount: 1,
  decision: 'not_sampled',
  policy: undefined,
  head: false,
  kept: false,
  lateSpans: 0,
  bytes: 900,
};

describe('decisionsCsv', () => {
  it('one row per trace, a name with a comma and quotes quoted, no policy and no head as empty or named', () => {
    expect(decisionsCsv([row]).split('\r\n')).toEqual([
      'traceId,rootService,rootName,durationMs,spans,errors,decision,policy,head,kept,lateSpans,bytes',
      '0af7651916cd43dd8448eb211c80319c,shop,"GET /cart, ""fast""",12.5,4,1,not_sampled,,not_sampled,false,0,900',
      '',
    ]);
  });
});
