import { describe, expect, it } from 'vitest';
import { isUrlAllowed, urlRefusal } from './url-allowlist.ts';

describe('isUrlAllowed', () => {
  const page = 'http://127.0.0.1:8080';
  it('takes the page origin, relative URLs and allowlisted origins only', () => {
    expect(isUrlAllowed('/demo/trace.json', page, [])).toBe(true);
    expect(isUrlAllowed('http://127.0.0.1:8080/api/shares/x', page, [])).toBe(true);
    expect(isUrlAllowed('https://traces.example.com/a.json', page, ['https://traces.example.com'])).toBe(true);
    expect(isUrlAllowed('https://traces.example.com.evil.net/a.json', page, ['https://traces.example.com'])).toBe(false);
    expect(isUrlAllowed('http://traces.example.com/a.json', page, ['https://traces.example.com'])).toBe(false);
    expect(isUrlAllowed('http://127.0.0.1:9200/_all', page, [])).toBe(false);
  });

  it('names the URL and the setting when it refuses', () => {
    const refusal = urlRefusal('http://10.0.0.5/x.json', []);
    expect(refusal.message).toBe('This server does not open traces from http://10.0.0.5/x.json');
    expect(refusal.detail).toContain('server.urlAllowlist');
    expect(refusal.detail).toContain('allowed now: none besides this server');
  });
});
