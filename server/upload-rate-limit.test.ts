import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_UPLOAD_RATE_LIMIT } from './access-config.ts';
import { REAL_FIXTURES, testServersClosedAfterEach, type TestServer } from './test-server.ts';

const server = testServersClosedAfterEach();

const netflix = readFileSync(join(REAL_FIXTURES, 'zipkin/zipkin__netflix.json'));
const yelp = readFileSync(join(REAL_FIXTURES, 'zipkin/zipkin__yelp.json'));

function upload(s: TestServer, body: Buffer, remoteAddress = '127.0.0.1') {
  return s.app.inject({ method: 'POST', url: '/api/shares', payload: body, remoteAddress, headers: { 'content-type': 'application/json' } });
}

describe('upload rate limit', () => {
  it('answers 429 with Retry-After naming rateLimit.uploadsPerMinute past N uploads a minute from one client; another client is not held up', async () => {
    const s = await server({ rateLimit: { ...DEFAULT_UPLOAD_RATE_LIMIT, uploadsPerMinute: 2 } });
    const first = await upload(s, netflix);
    expect(first.statusCode).toBe(201);
    expect((await upload(s, yelp)).statusCode).toBe(201);
    const third = await upload(s, netflix);
    expect(third.statusCode).toBe(429);
    expect(Number(third.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(third.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(third.json()).toMatchObject({ error: 'Too many uploads', detail: expect.stringContaining('2 uploads per minute per client (rateLimit.uploadsPerMinute)') });
    expect((await upload(s, netflix, '10.1.2.3')).statusCode).toBe(200);
    // Reading shares is not limited.
    expect((await s.app.inject({ method: 'GET', url: `/api/shares/${first.json().id}` })).statusCode).toBe(200);
  });

  it('answers 429 naming rateLimit.uploadBytesPerMinute once a client sent its bytes for the minute', async () => {
    const s = await server({ rateLimit: { uploadsPerMinute: 100, uploadBytesPerMinute: netflix.byteLength + 100 } });
    expect((await upload(s, netflix)).statusCode).toBe(201);
    const second = await upload(s, yelp);
    expect(second.statusCode).toBe(429);
    expect(second.json().detail).toContain(`${netflix.byteLength + 100} bytes of uploads per minute per client (rateLimit.uploadBytesPerMinute)`);
    expect(s.store.shareUsage().files).toBe(1);
  });
});
