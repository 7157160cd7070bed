import { describe, expect, it } from 'vitest';
import type { SampledTraceRow } from '../../core/view-format/analysis-answers.ts';
import { decisionsCsv } from './sampling-export.ts';

const row: SampledTraceRow = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  rootService: 'shop',
  rootName: 'GET /cart, "fast"',
  startMs: 1_700_000_000_000,
  durationNs: 12_500_000,
  spans: 4,
  errorCount: 1,
  decision: 'not_sampled',
  policy: null,
  head: 'not_sampled',
  kept: false,
  late: 0,
  bytes: 900,
};

describe('decisionsCsv', () => {
  it('one row per trace, a name with a comma and quotes quoted, no policy empty', () => {
    expect(decisionsCsv([row]).split('\r\n')).toEqual([
      'traceId,rootService,rootName,startMs,durationMs,spans,errors,decision,policy,head,kept,late,bytes',
      '0af7651916cd43dd8448eb211c80319c,shop,"GET /cart, ""fast""",1700000000000,12.5,4,1,not_sampled,,not_sampled,false,0,900',
      '',
    ]);
  });
});
