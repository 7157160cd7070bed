import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { assert, describe, expect, it } from 'vitest';
import { summarizeTrace } from '../analysis/trace-summary.ts';
import { JsonCursor } from '../json/json-cursor.ts';
import { sampleJson } from '../json/json-sample.ts';
import type { Attribute } from '../model/attributes.ts';
import { hexToDecimal } from '../model/ids.ts';
import { LINK_KINDS, SPAN_KINDS, spanName, type TraceCollection, type TraceModel } from '../model/trace-model.ts';
import { datadogImporter, importDatadogTraces } from './datadog.ts';
import { checkFixtureSnapshot, detailedDump, FIXTURES_DIR, loadFixture, readFixture } from './fixture-test-helpers.ts';
import { loadBytes } from './index.ts';
import { LoadError } from './load-error.ts';

const DIR = 'real/datadog';

/** Decimal uint64 digits → 16 hex, with BigInt only (never a JS number). */
const hex16 = (digits: string) => BigInt(digits).toString(16).padStart(16, '0');

/** Every top-level value of JSON text or NDJSON, as the JSON reader gives them. */
function jsonValues(bytes: Uint8Array): unknown[] {
  const cursor = new JsonCursor(bytes);
  const values: unknown[] = [];
  while (!cursor.atEnd()) values.push(cursor.readValue());
  return values;
}

/** Imports the text as a file, and checks that its values read through importDatadogTraces give the same model. */
async function load(text: string): Promise<TraceCollection> {
  const bytes = new TextEncoder().encode(text);
  const collection = await loadBytes(bytes);
  expect(detailedDump(importDatadogTraces(jsonValues(bytes)))).toBe(detailedDump(collection));
  return collection;
}

function spanIndex(m: TraceModel, spanId: string): number {
  const i = m.spanIds.indexOf(spanId);
  expect(i, `span ${spanId}`).toBeGreaterThanOrEqual(0);
  return i;
}

function attrs(m: TraceModel, i: number): Record<string, Attribute> {
  const out: Record<string, Attribute> = {};
  for (const a of m.stores.attributes.read(m.attrStart[i], m.attrCount[i])) out[a.key] = a;
  return out;
}

function events(m: TraceModel, i: number) {
  const ev = m.stores.events;
  const out = [];
  for (let e = m.eventStart[i]; e < m.eventStart[i] + m.eventCount[i]; e++) {
    out.push({
      name: m.stores.strings.get(ev.nameId[e]),
      ms: ev.timeMs[e],
      nsOfMs: ev.timeNsOfMs[e],
      attributes: m.stores.attributes.read(ev.attrStart[e], ev.attrCount[e]),
    });
  }
  return out;
}

function links(m: TraceModel, i: number) {
  const l = m.stores.links;
  const out = [];
  for (let k = m.linkStart[i]; k < m.linkStart[i] + m.linkCount[i]; k++) {
    out.push({
      traceId: l.traceId[k],
      spanId: l.spanId[k],
      kind: LINK_KINDS[l.kind[k]],
      traceState: l.traceState[k],
      attributes: m.stores.attributes.read(l.attrStart[k], l.attrCount[k]),
    });
  }
  return out;
}

describe('Datadog agent JSON fixtures', () => {
  it('keeps uint64 ids beyond 2^53 exact in the Java agent payload (flat array, children before parents)', async () => {
    const file = `${DIR}/datadog-agent__trace_without_rates.json`;
    const c = await checkFixtureSnapshot(file, 'datadog');
    const text = new TextDecoder().decode(readFixture(file));
    // Literal digits from the file; Number() would round each of them.
    const traceDigits = '8944265761514513115';
    const brewInfo = '7817111743565077169'; // OpenTracingBrewInfo
    const recordOrder = '8738715541709330804'; // RecordOrder, listed before its parent OpenTracingBrewInfo
    const getOrder = '7429972426402361573'; // the error span
    const h2Query = '9053639831164273812';
    for (const d of [traceDigits, brewInfo, recordOrder, getOrder, h2Query]) {
      expect(text).toContain(`:${d},`);
      expect(BigInt(Number(d))).not.toBe(BigInt(d));
    }
    expect(text.indexOf(`"span_id":${recordOrder}`)).toBeLessThan(text.indexOf(`"span_id":${brewInfo}`));

    expect(c.traces).toHaveLength(1);
    const m = c.traces[0];
    expect(m.traceId).toBe(`0000000000000000${hex16(traceDigits)}`);
    expect(m.traceId).toBe('00000000000000007c206a5243c2e2db');
    expect(m.spanCount).toBe(14);
    const brew = spanIndex(m, hex16(brewInfo));
    const record = spanIndex(m, hex16(recordOrder));
    expect(m.parent[record]).toBe(brew);
    expect(hexToDecimal(m.spanIds[record])).toBe(recordOrder);
    const h2 = spanIndex(m, hex16(h2Query));
    expect(m.spanIds[h2]).toBe('7da4fd754cdfc494');
    expect(hexToDecimal(m.spanIds[h2])).toBe(h2Query);
    expect(m.roots).toEqual(Uint32Array.from([0]));
    expect(m.spanIds[0]).toBe(hex16('1916723410731922241'));
    expect(m.traceStart).toEqual({ ms: 1552906224845, nsOfMs: 32600 });

    expect(summarizeTrace(m).services).toEqual(['coffee-house', 'h2', 'mongo']);
    const err = spanIndex(m, hex16(getOrder));
    expect(m.errorCount).toBe(1);
    expect(m.status[err]).toBe(2);
    // Older tracers write error.msg instead of error.message.
    expect(m.statusMessage.get(err)).toBe('Thread interrupted for external calls timeout.');
    const [exception] = events(m, err);
    expect(exception.name).toBe('exception');
    const ex = Object.fromEntries(exception.attributes.map((a) => [a.key, a.value]));
    expect(ex['exception.type']).toBe('java.lang.InterruptedException');
    expect(ex['exception.message']).toBe('Thread interrupted for external calls timeout.');
    expect(String(ex['exception.stacktrace'])).toMatch(/^java\.lang\.InterruptedException: Thread interrupted[\s\S]*CoffeeHouse\.getOrder\(CoffeeHouse\.java:232\)/);
    // The event sits at the span's end: start 1552906226419 ms… + duration.
    expect(m.startNs[err] + m.durationNs[err]).toBe((exception.ms - m.traceStart.ms) * 1e6 + exception.nsOfMs - m.traceStart.nsOfMs);

    // "type": null → no span.type; resource and metrics kept.
    expect(attrs(m, record)['span.type']).toBeUndefined();
    expect(attrs(m, record)['resource.name'].value).toBe('RecordOrder');
    expect(attrs(m, 0)['span.type'].value).toBe('web');
    expect(attrs(m, 0)['_sampling_priority_v1']).toEqual({ key: '_sampling_priority_v1', type: 'double', value: 2 });
    expect(attrs(m, 0)['http.url'].value).toBe('http://localhost:8080/coffeehouse');
    expect(SPAN_KINDS[m.kind[0]]).toBe('server');
    expect(SPAN_KINDS[m.kind[h2]]).toBe('client');
  });

  it('reads the Django 500 snapshot: trace_id 0 with _dd.p.tid, 30 spans, two errors with a stack', async () => {
    const c = await checkFixtureSnapshot(`${DIR}/dd-trace-py__django-asgi_500.json`, 'datadog');
    expect(c.traces).toHaveLength(1);
    const m = c.traces[0];
    // trace_id 0 is legal in test-agent snapshots; the upper half comes from _dd.p.tid on the root.
    expect(m.traceId).toBe('69f240b6000000000000000000000000');
    expect(m.spanCount).toBe(30);
    expect(m.errorCount).toBe(2);
    expect(m.spanIds[0]).toBe('0000000000000001');
    expect(spanName(m, 0)).toBe('django.request');
    expect(attrs(m, 0)['resource.name'].value).toBe('GET ^error-500/$');
    expect(attrs(m, 0)['http.status_code']).toEqual({ key: 'http.status_code', type: 'string', value: '500' });
    // The root has error=1 but no error tags: no message, no synthesized event.
    expect(m.status[0]).toBe(2);
    expect(m.statusMessage.get(0)).toBeUndefined();
    expect(m.eventCount[0]).toBe(0);

    const view = spanIndex(m, hex16('26'));
    expect(spanName(m, view)).toBe('django.view');
    expect(m.parent[view]).toBe(spanIndex(m, hex16('23')));
    expect(m.statusMessage.get(view)).toBe('Error 500');
    const [exception] = events(m, view);
    const ex = Object.fromEntries(exception.attributes.map((a) => [a.key, a.value]));
    expect(ex['exception.message']).toBe('Error 500');
    expect(String(ex['exception.stacktrace'])).toMatch(/^Traceback \(most recent call last\):/);
    expect(attrs(m, view)['span.type'].value).toBe('');
  });

  it('turns meta._dd.span_links (a JSON string) into links with 128-bit trace ids and tracestate', async () => {
    const c = await checkFixtureSnapshot(`${DIR}/dd-trace-py__aiokafka-span-links.json`, 'datadog');
    expect(c.traces).toHaveLength(4);
    const consumer = c.traces.find((t) => t.traceId === '6a19ef51000000000000000000000000');
    assert(consumer);
    expect(SPAN_KINDS[consumer.kind[0]]).toBe('consumer');
    // One span carries the links; its meta string lists three.
    const all = links(consumer, 0);
    expect(all).toHaveLength(3);
    expect(all[0]).toEqual({
      traceId: '6a19ef4e0000000013ffe403d788d37c',
      spanId: '4946278831030841',
      kind: 'link',
      traceState: 'dd=s:1;t.dm:-0;t.tid:6a19ef4e00000000',
      attributes: [{ key: 'flags', type: 'int', value: 1 }],
    });
    expect(all.map((l) => l.spanId)).toEqual(['4946278831030841', 'ce29f130a0726f3b', '26b1bbabbfdc0b0a']);
    // Converted, so not kept as a text attribute too.
    expect(attrs(consumer, 0)['_dd.span_links']).toBeUndefined();
    expect(consumer.spanWarnings.size).toBe(0);
    const producers = c.traces.filter((t) => t !== consumer);
    expect(producers.map((t) => t.traceId).sort()).toEqual(['6a19ef4e000000000000000000000001', '6a19ef4e000000000000000000000002', '6a19ef4e000000000000000000000003']);
    for (const p of producers) expect(SPAN_KINDS[p.kind[0]]).toBe('producer');
  });

  it('reads the ray serve gRPC snapshot: 7 spans, 3 services, a 7-level chain', async () => {
    const c = await checkFixtureSnapshot(`${DIR}/dd-trace-py__ray-serve-grpc-context-propagation.json`, 'datadog');
    const m = c.traces[0];
    expect(m.traceId).toBe('6a01ffd6000000000000000000000000');
    expect(m.spanCount).toBe(7);
    const s = summarizeTrace(m);
    expect(s.services).toEqual(['grpc-client', 'ray._private.workers', 'tests.contrib.ray_serve']);
    expect(s.rootName).toBe('test.grpc_parent');
    expect(m.maxDepth).toBe(6);
    expect(SPAN_KINDS[m.kind[1]]).toBe('client');
    expect(attrs(m, 1)['grpc.method.path'].value).toBe('/ray.serve.UserDefinedService/__call__');
    expect(attrs(m, 2)['tracestate'].value).toBe('dd=p:f28ed12a11d56d25;s:1;t.dm:-0;t.tid:6a01ffd600000000');
    // One resource per distinct service, reused by every span of that service.
    expect(new Set(m.resourceId).size).toBe(3);
    expect(m.resourceId[3]).toBe(m.resourceId[2]);
  });

  it('turns meta.events (a JSON string) into events with array, double and bool attributes', async () => {
    const c = await checkFixtureSnapshot(`${DIR}/dd-trace-py__otel-span-events.json`, 'datadog');
    expect(c.traces).toHaveLength(2);
    const [first, second] = c.traces;
    expect(first.traceId).toBe('69eb932d000000000000000000000000');
    expect(second.traceId).toBe('69eb932d000000000000000000000001');
    const [unresponsive] = events(first, 0);
    expect(unresponsive.name).toBe('Web page unresponsive');
    expect([unresponsive.ms, unresponsive.nsOfMs]).toEqual([1714536311, 886000]);
    expect(unresponsive.attributes).toEqual([
      { key: 'error.code', type: 'string', value: '403' },
      { key: 'unknown values', type: 'array', value: [1, "['h', 'a', [False]]"] },
    ]);
    const ev = events(second, 0);
    expect(ev.map((e) => e.name)).toEqual(['Web page loaded', 'Button changed color']);
    expect(ev[1].attributes).toEqual([
      { key: 'colors', type: 'array', value: [112, 215, 70] },
      { key: 'response.time', type: 'double', value: 134.3 },
      { key: 'success', type: 'bool', value: true },
    ]);
    expect(attrs(second, 0).events).toBeUndefined();
    expect(attrs(second, 0)['resource.name'].value).toBe('web.response');
  });
});

describe('importDatadogTraces (values already parsed)', () => {
  const files = readdirSync(join(FIXTURES_DIR, DIR)).filter((f) => f.endsWith('.json'));

  it.each(files)('gives the same model as the file for %s', async (file) => {
    const bytes = readFixture(`${DIR}/${file}`);
    expect(detailedDump(importDatadogTraces(jsonValues(bytes)))).toBe(detailedDump(await loadBytes(bytes)));
  });

  it('warns about spans of one trace with different _dd.p.tid values as a file does', async () => {
    const c = await load(`[[{"trace_id":1,"span_id":1,"name":"r","start":1,"duration":5,"meta":{"_dd.p.tid":"00000000000000aa"}},
      {"trace_id":1,"span_id":2,"parent_id":1,"name":"c","start":2,"duration":1,"meta":{"_dd.p.tid":"00000000000000bb"}},
      {"trace_id":1,"span_id":3,"parent_id":1,"name":"d","start":3,"duration":1}]]`);
    expect(c.warnings).toEqual(['spans of trace 0000000000000001 carry different _dd.p.tid values; spans without one use 00000000000000aa']);
  });

  it('gives no-spans for empty traces and bad-shape when nothing in the values is a Datadog span', () => {
    const kindOf = (values: unknown[]) => {
      try {
        importDatadogTraces(values);
      } catch (err) {
        if (err instanceof LoadError) return err.info.kind;
      }
      return 'no error';
    };
    expect([kindOf([]), kindOf([[]]), kindOf([[[], []]])]).toEqual(['no-spans', 'no-spans', 'no-spans']);
    expect([kindOf([[['noise', 7]]]), kindOf([[[{ name: 'no ids' }]]])]).toEqual(['bad-shape', 'bad-shape']);
  });
});

describe('Datadog detection', () => {
  const others = ['jaeger', 'otlp', 'zipkin', 'zipkin-v1', 'tempo'].flatMap((dir) =>
    readdirSync(join(FIXTURES_DIR, 'real', dir))
      .filter((f) => /\.jsonl?$/.test(f))
      .map((f) => `real/${dir}/${f}`),
  );

  it('claims every Datadog fixture from a sample', () => {
    for (const f of readdirSync(join(FIXTURES_DIR, DIR)).filter((n) => n.endsWith('.json'))) {
      expect(datadogImporter.looksLike(sampleJson(readFixture(`${DIR}/${f}`))), f).toBe(true);
    }
  });

  it.each(others)('does not claim %s', async (file) => {
    expect(datadogImporter.looksLike(sampleJson(readFixture(file)))).toBe(false);
    // Whatever the other importers do (they may still be stubs), the file never loads as Datadog.
    const format = await loadFixture(file).then(
      (c) => c.format,
      () => 'not loaded',
    );
    expect(format).not.toBe('datadog');
  });

  it('does not claim arrays of other snake_case objects or empty payloads', () => {
    const sample = (text: string) => sampleJson(new TextEncoder().encode(text));
    expect(datadogImporter.looksLike(sample('[[]]'))).toBe(false);
    expect(datadogImporter.looksLike(sample('[{"trace_id":"5b8efff798038103d269b633813fc60c","span_id":"eee19b7ec3c1b174","name":"x"}]'))).toBe(false);
    expect(datadogImporter.looksLike(sample('[{"traceId":"1","id":"2","name":"x"}]'))).toBe(false);
  });
});

describe('Datadog synthetic cases', () => {
  it('keeps 18446744073709551615 and 9007199254740993 exact (ids, parent, start beyond 2^53)', async () => {
    const c = await load(`[[
      {"trace_id":18446744073709551615,"span_id":9007199254740993,"parent_id":0,"name":"root","service":"a","start":1700000000123456789,"duration":1000},
      {"trace_id":18446744073709551615,"span_id":18446744073709551615,"parent_id":9007199254740993,"name":"child","service":"a","start":1700000000123456790,"duration":10}
    ]]`);
    const m = c.traces[0];
    expect(m.traceId).toBe('0000000000000000ffffffffffffffff');
    expect(m.spanIds).toEqual(['0020000000000001', 'ffffffffffffffff']);
    expect(hexToDecimal(m.spanIds[0])).toBe('9007199254740993');
    expect(hexToDecimal(m.spanIds[1])).toBe('18446744073709551615');
    expect(m.parent[1]).toBe(0);
    expect(m.traceStart).toEqual({ ms: 1700000000123, nsOfMs: 456789 });
    expect(m.startNs[1]).toBe(1);
  });

  it('applies _dd.p.tid found on the root only to every span of the trace, across chunks and before the root', async () => {
    // Children arrive in a first chunk, the root (with the tid) in a later one.
    const c = await load(`[
      [{"trace_id":42,"span_id":2,"parent_id":1,"name":"child","service":"a","start":1000,"duration":5},
       {"trace_id":42,"span_id":3,"parent_id":2,"name":"grandchild","service":"b","start":1001,"duration":1}],
      [{"trace_id":42,"span_id":1,"parent_id":0,"name":"root","service":"a","start":999,"duration":10,"meta":{"_dd.p.tid":"640cfd8d00000000"}}],
      [{"trace_id":43,"span_id":1,"name":"other","service":"a","start":999,"duration":10}]
    ]`);
    expect(c.traces.map((t) => t.traceId).sort()).toEqual(['0000000000000000000000000000002b', '640cfd8d00000000000000000000002a']);
    const m = c.traces.find((t) => t.traceId === '640cfd8d00000000000000000000002a');
    assert(m);
    expect(m.spanCount).toBe(3);
    expect(Array.from(m.depth)).toEqual([0, 1, 2]);
    expect(m.warnings).toEqual([]);
    // The same for a flat single-trace array.
    const flat = await load(`[{"trace_id":7,"span_id":9,"parent_id":8,"name":"c","start":2,"duration":1},{"trace_id":7,"span_id":8,"name":"r","start":1,"duration":5,"meta":{"_dd.p.tid":"ABCDEF0100000000"}}]`);
    expect(flat.traces.map((t) => t.traceId)).toEqual(['abcdef01000000000000000000000007']);
  });

  it('reads native span_links (trace_id_high ‖ trace_id) and native typed span_events', async () => {
    const c = await load(`[[{"trace_id":1,"span_id":10,"name":"s","service":"a","start":1000000,"duration":500,
      "span_links":[
        {"trace_id":18446744073709551615,"trace_id_high":9007199254740993,"span_id":12345678901234567890,"attributes":{"link.name":"batch"},"tracestate":"dd=s:2","flags":1},
        {"trace_id":2,"span_id":3},
        {"trace_id":"x","span_id":3}
      ],
      "span_events":[{"time_unix_nano":1700000000123456789,"name":"retry","attributes":{
        "attempt":{"type":2,"int_value":12345678901234567890},"ok":{"type":1,"bool_value":false},
        "ratio":{"type":3,"double_value":0.5},"tags":{"type":4,"array_value":{"values":[{"type":0,"string_value":"x"},{"type":0,"string_value":"y"}]}}}}]
    }]]`);
    const m = c.traces[0];
    const [l1, l2] = links(m, 0);
    expect(m.linkCount[0]).toBe(2);
    expect(l1).toEqual({
      traceId: hex16('9007199254740993') + hex16('18446744073709551615'),
      spanId: hex16('12345678901234567890'),
      kind: 'link',
      traceState: 'dd=s:2',
      attributes: [
        { key: 'link.name', type: 'string', value: 'batch' },
        { key: 'flags', type: 'int', value: 1 },
      ],
    });
    expect(l1.traceId).toBe('0020000000000001ffffffffffffffff');
    expect(l2.traceId).toBe('00000000000000000000000000000002');
    expect(m.spanWarnings.get(0)?.join(' ')).toMatch(/span link with invalid ids/);
    const [retry] = events(m, 0);
    expect(retry.name).toBe('retry');
    expect([retry.ms, retry.nsOfMs]).toEqual([1700000000123, 456789]);
    expect(retry.attributes).toEqual([
      { key: 'attempt', type: 'int', value: 12345678901234567890n },
      { key: 'ok', type: 'bool', value: false },
      { key: 'ratio', type: 'double', value: 0.5 },
      { key: 'tags', type: 'array', value: ['x', 'y'] },
    ]);
  });

  it('keeps malformed meta JSON strings as text with a span warning instead of failing', async () => {
    const c = await load(`[[{"trace_id":1,"span_id":1,"name":"s","service":"a","start":1,"duration":1,
      "meta":{"_dd.span_links":"[{\\"trace_id\\": \\"abc","events":"not json","ok":"yes"}}]]`);
    const m = c.traces[0];
    expect(m.linkCount[0]).toBe(0);
    expect(m.eventCount[0]).toBe(0);
    const warnings = m.spanWarnings.get(0)?.join('\n');
    expect(warnings).toMatch(/meta _dd\.span_links is not valid JSON/);
    expect(warnings).toMatch(/meta events is not valid JSON/);
    expect(attrs(m, 0).events.value).toBe('not json');
    expect(attrs(m, 0)['_dd.span_links'].value).toBe('[{"trace_id": "abc');
    expect(attrs(m, 0).ok.value).toBe('yes');
  });

  it('reads errors, kinds, metrics, meta_struct and bad spans the Datadog way', async () => {
    const c = await load(`[[
      {"trace_id":5,"span_id":1,"name":"a","service":"svc","resource":"GET /","type":"web","start":10,"duration":100,"error":1,
       "meta":{"span.kind":"SERVER","error.type":"ValueError"},"metrics":{"_dd.top_level":1,"big":12345678901234567890,"rate":0.25},
       "meta_struct":{"appsec":"gqFhAQ=="}},
      {"trace_id":5,"span_id":2,"parent_id":1,"name":"b","service":"svc","start":20,"duration":-5,"error":0,"meta":{"error.message":"ignored: error is 0"}},
      {"trace_id":5,"name":"no span id"},
      {"trace_id":5,"span_id":3,"parent_id":"nope","resource":"only-resource","service":"other","start":30}
    ]]`);
    expect(c.warnings.join(' ')).toMatch(/skipped a span with an invalid id/);
    const m = c.traces[0];
    expect(m.spanCount).toBe(3);
    expect(SPAN_KINDS[m.kind[0]]).toBe('server');
    expect(m.statusMessage.get(0)).toBe('ValueError');
    expect(events(m, 0)[0].attributes).toEqual([{ key: 'exception.type', type: 'string', value: 'ValueError' }]);
    expect(attrs(m, 0).big).toEqual({ key: 'big', type: 'double', value: Number('12345678901234567890') });
    expect(attrs(m, 0).rate.value).toBe(0.25);
    expect(attrs(m, 0).meta_struct).toBeUndefined();
    expect(m.spanWarnings.get(0)?.join(' ')).toMatch(/meta_struct \(appsec\) skipped/);
    const b = spanIndex(m, hex16('2'));
    expect(m.status[b]).toBe(0);
    expect(m.durationNs[b]).toBe(0);
    const orphanish = spanIndex(m, hex16('3'));
    expect(m.parent[orphanish]).toBe(-1);
    expect(spanName(m, orphanish)).toBe('only-resource');
    expect(m.spanWarnings.get(orphanish)?.join(' ')).toMatch(/parent_id "nope" is not a decimal uint64/);
  });

  it('skips values that are not spans with one file warning and keeps the rest', async () => {
    const c = await load(`[[{"trace_id":1,"span_id":1,"name":"r","start":1,"duration":1}, "noise", 7], null, [], [{"trace_id":1,"span_id":2,"parent_id":1,"name":"c","start":1,"duration":1}]]`);
    expect(c.warnings).toEqual(['skipped 3 values that are not Datadog spans']);
    expect(c.traces[0].spanCount).toBe(2);
    expect(c.traces[0].parent[1]).toBe(0);
  });

  it('reads NDJSON of trace chunks and of lone spans', async () => {
    const c = await load(
      [
        '[[{"trace_id":1,"span_id":1,"name":"r","service":"a","start":1,"duration":9}]]',
        '[{"trace_id":1,"span_id":2,"parent_id":1,"name":"c","service":"a","start":2,"duration":1}]',
        '{"trace_id":1,"span_id":3,"parent_id":2,"name":"g","service":"a","start":3,"duration":1}',
      ].join('\n'),
    );
    expect(c.traces).toHaveLength(1);
    expect(Array.from(c.traces[0].depth)).toEqual([0, 1, 2]);
  });

  it('streams a large flat array', async () => {
    const n = 20_000;
    const spans: string[] = [];
    for (let i = 1; i <= n; i++) spans.push(`{"trace_id":1,"span_id":${i},"parent_id":${i === 1 ? 0 : 1},"name":"s${i % 7}","service":"a","start":1700000000000${String(i).padStart(6, '0')},"duration":1}`);
    const c = await loadBytes(new TextEncoder().encode(`[${spans.join(',')}]`));
    expect(c.traces[0].spanCount).toBe(n);
    expect(c.traces[0].childCount[0]).toBe(n - 1);
  });
});
