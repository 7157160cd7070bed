// The OTLP/gRPC receiver fed by a client on another gRPC stack: Python's grpcio with the official
// opentelemetry-proto package's generated TraceService stub (python/send_otlp_grpc.py), two gzip-compressed
// requests from two services. The trace is read back through the API: exact ids and start, the parent
// across services, attribute values with their types.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { getSpanDetails, spanStart } from '../../src/core/model/span-details.ts';
import { epochToNanosString } from '../../src/core/model/time.ts';
import { DEFAULT_RECEIVERS } from '../config.ts';
import { startServer, type RunningServer } from '../start-server.ts';
import { PROJECT_DIR, freePort, tempDataDir, testConfig } from '../test-server.ts';
import { readReceivedTrace } from './receiver-test-helpers.ts';

// .ci/run creates this virtualenv when python3 is present (grpcio, protobuf, opentelemetry-proto).
const PYTHON = process.env.SPANSCOPE_OTLP_PYTHON || join(PROJECT_DIR, '.venv-otlp', 'bin', 'python');
const SCRIPT = join(import.meta.dirname, 'python', 'send_otlp_grpc.py');
const SKIP_REASON = existsSync(PYTHON)
  ? undefined
  : `no Python at ${PYTHON}: create it with \`python3 -m venv .venv-otlp && .venv-otlp/bin/pip install grpcio protobuf opentelemetry-proto\` (as .ci/run does), or name one in SPANSCOPE_OTLP_PYTHON`;

// The default reporter shows no skip reason: say it where the run's output shows it.
if (SKIP_REASON) console.warn(`grpc-python.test.ts is skipped: ${SKIP_REASON}`);

const TRACE_ID = 'f1e2d3c4b5a697881122334455667788';
const ROOT_SPAN_ID = 'fedcba9876543210';
const CHILD_SPAN_ID = '8000000000000001';

const running: RunningServer[] = [];
afterEach(async () => Promise.all(running.splice(0).map((s) => s.close())));

describe('OTLP/gRPC receiver with a Python client (grpcio + opentelemetry-proto)', () => {
  const title = 'takes two gzip-compressed requests from two services and keeps ids, parents and typed attributes exactly';
  it.skipIf(SKIP_REASON !== undefined)(SKIP_REASON ? `${title} (skipped: ${SKIP_REASON})` : title, async () => {
    const otlpGrpcPort = await freePort();
    const server = await startServer(testConfig(tempDataDir(), { receivers: { ...DEFAULT_RECEIVERS, otlpHttpPort: 0, zipkinPort: 0, datadogPort: 0, otlpGrpcPort } }), false);
    running.push(server);
    expect(server.receiverUrls['otlp-grpc']).toBe(`http://127.0.0.1:${otlpGrpcPort}`);
    // Now, to the nanosecond (beyond a JS number's precision), so retention keeps it.
    const startNanos = `${BigInt(Date.now()) * 1_000_000n + 123_457n}`;

    const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT, `127.0.0.1:${otlpGrpcPort}`, TRACE_ID, ROOT_SPAN_ID, CHILD_SPAN_ID, startNanos], { timeout: 30_000 });
    // Every span accepted: each ExportTraceServiceResponse is empty (no partial_success).
    expect(stdout.trim().split('\n').map((line) => JSON.parse(line) as unknown)).toEqual([
      { service: 'frontend', response: {} },
      { service: 'inventory', response: {} },
    ]);

    const model = await readReceivedTrace(server.url, TRACE_ID);
    expect([model.spanCount, model.orphanCount]).toEqual([2, 0]);
    expect([...model.spanIds]).toEqual([ROOT_SPAN_ID, CHILD_SPAN_ID]);
    const root = getSpanDetails(model, 0);
    const child = getSpanDetails(model, 1);
    expect(epochToNanosString(spanStart(model, 0))).toBe(startNanos);
    expect([root.service, root.name, root.kind, root.parentSpanId]).toEqual(['frontend', 'GET /products/{id}', 'server', '']);
    expect([child.service, child.name, child.kind, child.parentSpanId, child.parentIndex]).toEqual(['inventory', 'SELECT stock', 'client', ROOT_SPAN_ID, 0]);
    expect([child.startNs, child.durationNs]).toEqual([1_000_000, 2_500_000]);
    expect([child.status, child.statusMessage]).toEqual(['error', 'stock table locked']);

    const typed = (details: typeof root) => Object.fromEntries(details.attributes.map((a) => [a.key, [a.type, a.value]]));
    expect(typed(root)).toMatchObject({
      'http.response.status_code': ['int', 200],
      'product.id': ['int', 9007199254740993n],
      'cache.hit_ratio': ['double', 0.75],
      'user.authenticated': ['bool', true],
      'feature.flags': ['array', ['new-cart', 'dark-mode']],
      'retry.delays_ms': ['array', [10, 20, 40]],
    });
    expect(typed(child)).toMatchObject({ 'db.rows': ['int', 3], 'db.cost': ['double', 1.5], 'db.cached': ['bool', false], 'db.shards': ['array', [1.5, 2.25]] });
    expect(model.stores.strings.get(model.serviceId[1])).toBe('inventory');
  }, 60_000);
});
