// The span rules both Jaeger paths share, on one span filled the slow way (fillFromParsed); that the
// byte scanner fills JaegerSpanFields the same way is jaeger-span-scanner.test.ts's job.
import { describe, expect, it } from 'vitest';
import { getSpanDetails } from '../model/span-details.ts';
import { TraceModelBuilder } from '../model/trace-model-builder.ts';
import { addJaegerSpan, JaegerSpanFields, parentReference } from './jaeger-span.ts';

const TRACE = '0af7651916cd43dd8448eb211c80319c';
const OTHER = '00000000000000000000000000000abc';
const ref = (refType: string, traceID: string, spanID: string) => ({ refType, traceID, spanID });

function fields(span: Record<string, unknown>): JaegerSpanFields {
  const f = new JaegerSpanFields();
  f.fillFromParsed(span);
  return f;
}

describe('parentReference', () => {
  it('takes the first CHILD_OF in the same trace, else the first FOLLOWS_FROM in it, else none', () => {
    const follows = ref('FOLLOWS_FROM', TRACE, '00000000000000a1');
    const childElsewhere = ref('CHILD_OF', OTHER, '00000000000000b1');
    const child = ref('CHILD_OF', TRACE.toUpperCase(), '00000000000000c1');
    expect(parentReference(fields({ references: [follows, childElsewhere, child] }), TRACE)).toBe(2);
    expect(parentReference(fields({ references: [childElsewhere, follows] }), TRACE)).toBe(1);
    expect(parentReference(fields({ references: [childElsewhere] }), TRACE)).toBe(-1);
  });
});

describe('addJaegerSpan', () => {
  it('reads kind and status from tags, names events from log fields, and keeps the other references as links', () => {
    const span = fields({
      operationName: 'GET /x',
      startTime: 1735689600000000,
      duration: 5,
      tags: [
        { key: 'span.kind', type: 'string', value: 'SERVER' },
        { key: 'otel.status_code', type: 'string', value: 'ERROR' },
        { key: 'otel.status_description', type: 'string', value: 'boom' },
        'not a tag',
      ],
      logs: [
        { timestamp: 1735689600000001, fields: [{ key: 'message', value: 'm' }, { key: 'event', value: 'e' }] },
        { timestamp: 1735689600000002, fields: [{ key: 'message', value: 'only a message' }] },
        { timestamp: 1735689600000003, fields: [{ key: 'level', value: 'info' }] },
      ],
      // The FOLLOWS_FROM parent stays a link too; the other trace's CHILD_OF is a link.
      references: [ref('FOLLOWS_FROM', TRACE, '00000000000000a1'), ref('CHILD_OF', OTHER, '00000000000000b1')],
      warnings: ['w'],
    });
    const b = new TraceModelBuilder('jaeger');
    addJaegerSpan(b, span, TRACE, '00000000000000d1', undefined, false);
    const m = b.build().traces[0];
    const d = getSpanDetails(m, 0);
    expect([d.kind, d.status, d.statusMessage, d.parentSpanId]).toEqual(['server', 'error', 'boom', '00000000000000a1']);
    expect(d.events.map((e) => e.name)).toEqual(['e', 'only a message', 'log']);
    expect(d.links.map((l) => [l.traceId, l.spanId, l.kind])).toEqual([
      [TRACE, '00000000000000a1', 'follows_from'],
      [OTHER, '00000000000000b1', 'child_of'],
    ]);
    expect(d.warnings).toEqual(expect.arrayContaining(['process null is not in the trace\'s processes', 'w']));
  });
});
