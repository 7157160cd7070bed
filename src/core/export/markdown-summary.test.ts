import { describe, expect, it } from 'vitest';
import { errorMessage } from '../analysis/errors.ts';
import { computeSelfTime } from '../analysis/self-time.ts';
import { summarizeTrace } from '../analysis/trace-summary.ts';
import { loadFixture, spanById } from '../import/fixture-test-helpers.ts';
import { getSpanDetails } from '../model/span-details.ts';
import { escapeMarkdown, spanMarkdown, traceMarkdown } from './markdown-summary.ts';

// fixtures/demo/demo-orders.jsonl: the order whose card was declined (trace 9211727a…, 16 spans,
// 4 errors). payment.charge failed with the card's message; its server span POST /charge answered 402.
async function declinedOrder() {
  const collection = await loadFixture('demo/demo-orders.jsonl');
  const model = collection.traces.find((t) => t.traceId === '9211727aec4d3980e464b134425b6294');
  if (!model) throw new Error('the demo trace is missing');
  const span = (id: string) => {
    const i = spanById(model, id);
    return { markdown: (link: string | undefined) => spanMarkdown({ ...getSpanDetails(model, i, collection.linkTargets), errorMessage: errorMessage(model, i) }, computeSelfTime(model)[i], link) };
  };
  return { model, span };
}

describe('Markdown for a ticket', () => {
  it('a failed span: name, service, duration, the error message, its own attributes and the link', async () => {
    const { span } = await declinedOrder();
    expect(span('c8fdcd3d6549dff2').markdown('http://127.0.0.1:4173/?url=%2Fdemo%2Fdemo-orders.jsonl&trace=9211727a&s=13&details=1')).toBe(
      [
        '**payment-service: payment.charge** — 21.54ms — **error**',
        '',
        '- Service: `payment-service` · kind internal',
        '- Duration: 21.54ms (self time 21.54ms), started 2026-11-22T00:32:38.969000000Z, +37ms into the trace',
        '- Status: error: `card declined for ord-0005: insufficient funds`',
        '- Trace `9211727aec4d3980e464b134425b6294`, span `c8fdcd3d6549dff2`, parent `02fe39e054d521d0`',
        '- Attributes:',
        '  - `order.id`: `ord-0005`',
        '  - `order.total_amount`: `99.94`',
        '  - `customer.tier`: `silver`',
        '  - `otlp.flags`: `257`',
        '- Link: <http://127.0.0.1:4173/?url=%2Fdemo%2Fdemo-orders.jsonl&trace=9211727a&s=13&details=1>',
        '',
      ].join('\n'),
    );
  });

  it('an HTTP server span lists the semantic-convention attributes first; no link says why', async () => {
    const { span } = await declinedOrder();
    const text = span('02fe39e054d521d0').markdown(undefined);
    expect(text.split('\n').slice(0, 1)).toEqual(['**payment-service: POST /charge** — 27.53ms']);
    expect(text).toContain('- Status: unset\n');
    expect(text).toContain('- Attributes:\n  - `http.request.method`: `POST`\n  - `http.route`: `/charge`\n  - `url.path`: `/charge`\n  - `http.response.status_code`: `402`\n');
    expect(text).toContain('- Link: none (opened from a local file; Share gives it one)\n');
  });

  it('a trace: root, duration, spans, errors, services and the link', async () => {
    const { model } = await declinedOrder();
    expect(traceMarkdown(summarizeTrace(model), 'https://spanscope.example/?share=abc')).toBe(
      [
        '**api-gateway: POST /api/orders** — 66.46ms — **4 errors**',
        '',
        '- Trace `9211727aec4d3980e464b134425b6294`, started 2026-11-22T00:32:38.932000000Z',
        '- Duration: 66.46ms; 16 spans, depth 7; 4 errors',
        '- Services (4): `api-gateway`, `inventory-service`, `order-service`, `payment-service`',
        '- Link: <https://spanscope.example/?share=abc>',
        '',
      ].join('\n'),
    );
  });

  it('escapes what Markdown would format, and fences code that holds backticks', () => {
    expect(escapeMarkdown('GET /items/[id] *all* `x`')).toBe('GET /items/\\[id\\] \\*all\\* \\`x\\`');
  });
});
