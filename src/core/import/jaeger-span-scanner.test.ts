// The span scanner is a fast path: every span it reads must come out exactly as JSON.parse + addSpan
// would have made it. A span with `"process": null` always takes the slow path (the scanner leaves
// inline processes to it) and means the same as no process, so each file is compared with itself.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpCollection } from '../model/dump.ts';
import { getSpanDetails } from '../model/span-details.ts';
import type { TraceCollection } from '../model/trace-model.ts';
import { FIXTURES_DIR, readFixture } from './fixture-test-helpers.ts';
import { JsonCursor } from '../json/json-cursor.ts';
import { importTraces } from './index.ts';
import { JaegerSpanScanner } from './jaeger-span-scanner.ts';

const SLOW_MARK = '{"process":null,';

function everything(c: TraceCollection): unknown {
  return {
    dump: dumpCollection(c, Infinity),
    spans: c.traces.map((m) => Array.from({ length: m.spanCount }, (_, i) => ({ ...getSpanDetails(m, i, c.linkTargets), warnings: m.spanWarnings.get(i) }))),
    warnings: c.warnings,
  };
}

function load(text: string): TraceCollection {
  return importTraces(new TextEncoder().encode(text), { fileName: 'trace.json' });
}

/** The same spans, each starting with the mark that sends it down the slow path. */
function slowVariant(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(slowVariant);
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).map(([k, v]) => [k, slowVariant(v)]);
  return 'spanID' in value && !('process' in value) ? Object.fromEntries([['process', null], ...entries]) : Object.fromEntries(entries);
}

function expectSameBothWays(fast: string, slow: string): void {
  expect(slow).not.toBe(fast);
  expect(everything(load(fast))).toEqual(everything(load(slow)));
}

function scans(text: string): boolean {
  const bytes = new TextEncoder().encode(text);
  return new JaegerSpanScanner(bytes).scan(new JsonCursor(bytes));
}

const span = (fields: string) => `{"traceID":"0af7651916cd43dd8448eb211c80319c","spanID":"b7ad6b7169203331",${fields}}`;

describe('Jaeger span scanner', () => {
  it.each(readdirSync(join(FIXTURES_DIR, 'real/jaeger')).filter((f) => f.endsWith('.json')))('reads %s as JSON.parse does', (file) => {
    const value: unknown = JSON.parse(new TextDecoder().decode(readFixture(`real/jaeger/${file}`)));
    expectSameBothWays(JSON.stringify(value, null, 2), JSON.stringify(slowVariant(value), null, 2));
  });

  it('reads every scalar shape as JSON.parse does', () => {
    const spans = [
      span(
        '"operationName":"GET /caf\\u00e9 \\"quoted\\"","references":[],"startTime":1735689600000001,"duration":12.5e2,' +
          '"tags":[{"key":"span.kind","type":"string","value":"server"},{"key":"f","type":"float64","value":-0.25},' +
          '{"key":"big","type":"int64","value":12345678901234567890},{"key":"neg","type":"int64","value":-42},' +
          '{"key":"s","type":"int64","value":"77"},{"key":"b","type":"bool","value":"true"},{"key":"n","value":null},' +
          '{"key":"nt","type":"float64","value":null},{"type":"string","value":"x","key":"reordered","extra":1},' +
          '{"key":"ünï","type":"string","value":"日本"},{"key":"error","type":"bool","value":true},' +
          '{"key":"otel.status_description","type":"string","value":"boom"}],' +
          '"logs":[{"timestamp":1735689600000002,"fields":[{"key":"message","type":"string","value":"m"},{"key":"event","type":"string","value":"e"}]},' +
          '{"timestamp":"1735689600000003","fields":[{"key":"level","value":3}]},{"fields":[]}],' +
          '"processID":"p1","warnings":["w1","w2"],"flags":1',
      ),
      `{ "traceID" : "0af7651916cd43dd8448eb211c80319c" ,\n "spanID" : "00000000000000c1" , "parentSpanID" : "b7ad6b7169203331",\n` +
        ` "operationName" : null , "startTime" : 1735689600000100 , "duration" : 0 , "tags" : [ ] , "processID" : "p2" , "warnings" : null }`,
      `{"traceID":"0AF7651916CD43DD8448EB211C80319C","spanID":"C2","operationName":"refs","startTime":1735689600000200,"duration":5,` +
        `"references":[{"refType":"FOLLOWS_FROM","traceID":"0af7651916cd43dd8448eb211c80319c","spanID":"b7ad6b7169203331"},` +
        `{"refType":"CHILD_OF","traceID":"00000000000000000000000000000abc","spanID":"0000000000000def"}],"processID":"nope"}`,
    ];
    const doc = (list: string[]) =>
      `{"data":[{"traceID":"0af7651916cd43dd8448eb211c80319c","spans":[${list.join(',')}],` +
      `"processes":{"p1":{"serviceName":"api","tags":[{"key":"host","type":"string","value":"h1"}]},"p2":{"serviceName":"db","tags":[]}}}]}`;
    expectSameBothWays(doc(spans), doc(spans.map((s) => s.replace(/^\{/, SLOW_MARK))));
    // …and the fast path did read them.
    for (const s of spans) expect(scans(s)).toBe(true);
    expect(scans(spans[0].replace(/^\{/, SLOW_MARK))).toBe(false);
  });

  it('tells apart repeated tags that differ only past the bytes it hashes', () => {
    const long = 'k'.repeat(70);
    const spans = Array.from({ length: 40 }, (_, i) =>
      span(`"spanID":"00000000000000${(i + 16).toString(16)}","operationName":"x","startTime":${1735689600000000 + i},"duration":1,` +
        `"tags":[{"key":"${long}","type":"string","value":"v${i % 3}"},{"key":"${long}","type":"int64","value":${i % 2}},{"key":"span.kind","type":"string","value":"${i % 2 ? 'client' : 'server'}"}]`),
    );
    const doc = (list: string[]) => `[${list.join(',')}]`;
    expectSameBothWays(doc(spans), doc(spans.map((s) => s.replace(/^\{/, SLOW_MARK))));
  });

  it('leaves cut-off and malformed spans to the slow path', () => {
    const whole = span('"operationName":"x","startTime":1,"duration":2,"tags":[{"key":"k","type":"int64","value":12}]');
    for (let cut = 1; cut < whole.length; cut++) expect(scans(whole.slice(0, cut))).toBe(false);
    for (const bad of ['"duration":01', '"duration":1.', '"duration":tru', '"duration":nullx', '"tags":[{"key":"k",}]', '"tags":[{"value":1}]', '"tags":[1]']) {
      expect(scans(span(`"operationName":"x",${bad}`))).toBe(false);
    }
  });
});
