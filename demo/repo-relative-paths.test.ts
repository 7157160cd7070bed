import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRelativePaths } from './repo-relative-paths.ts';

describe('repoRelativePaths', () => {
  it('makes stack-trace paths relative to the repository, in JSON text, as paths and file:// URLs', () => {
    const stack = 'PaymentDeclinedError: card declined\n    at <anonymous> (/home/ci/spanscope/demo/payment-service.ts:26:15)\n    at file:///home/ci/spanscope/node_modules/pg/lib/client.js:1:1';
    const json = JSON.stringify({ key: 'exception.stacktrace', value: { stringValue: stack } });
    const out = repoRelativePaths(json, '/home/ci/spanscope/');
    expect(JSON.parse(out).value.stringValue).toBe('PaymentDeclinedError: card declined\n    at <anonymous> (demo/payment-service.ts:26:15)\n    at node_modules/pg/lib/client.js:1:1');
    expect(repoRelativePaths('C:\\\\src\\\\spanscope\\\\demo\\\\x.ts', 'C:\\src\\spanscope')).toBe('demo\\\\x.ts');
    expect(repoRelativePaths('/home/ci/spanscopeX/a.ts', '/home/ci/spanscope')).toBe('/home/ci/spanscopeX/a.ts');
  });

  it('the shipped demo traces hold no absolute path of the machine that exported them', () => {
    for (const dir of ['fixtures/demo', 'public/demo']) {
      for (const file of ['demo-orders.jsonl', 'demo-batch-links.jsonl', 'demo-async-restored.jsonl', 'demo-async-lost.jsonl']) {
        const text = readFileSync(join(import.meta.dirname, '..', dir, file), 'utf8');
        expect(text, `${dir}/${file}`).not.toMatch(/\((?:file:\/\/)?\/[^)\s]*\.(?:ts|js):\d+:\d+\)/);
        expect(text).not.toContain('/work/main/');
      }
    }
    const orders = readFileSync(join(import.meta.dirname, '..', 'fixtures/demo/demo-orders.jsonl'), 'utf8');
    expect(orders).toContain('(demo/payment-service.ts:26:15)');
  });
});
