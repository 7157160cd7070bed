import { describe, expect, it } from 'vitest';
import type { SearchUrlState } from '../../state/url.ts';
import { toSearchQuery } from './search-form-state.ts';

const empty: SearchUrlState = {
  backend: 'local',
  service: '',
  operation: '',
  tags: '',
  lookback: '',
  start: undefined,
  end: undefined,
  minDuration: '',
  maxDuration: '',
  limit: 20,
  errorsOnly: false,
  traceQl: '',
};
const NOW = 1_800_000_000_000;

describe('toSearchQuery', () => {
  it('searches the embedded store over any time by default, a live backend over the last hour', () => {
    expect(toSearchQuery(empty, NOW, 'embedded')).toEqual({ query: expect.objectContaining({ startMs: undefined, endMs: undefined, limit: 20 }) });
    expect(toSearchQuery(empty, NOW, 'tempo')).toEqual({ query: expect.objectContaining({ startMs: NOW - 3_600_000, endMs: undefined }) });
  });

  it('asks for a service before searching Jaeger', () => {
    expect(toSearchQuery(empty, NOW, 'jaeger')).toEqual({ hint: expect.stringContaining('Pick a service') });
    expect(toSearchQuery({ ...empty, service: 'frontend' }, NOW, 'jaeger').query?.service).toBe('frontend');
  });

  it('turns the form fields into the query', () => {
    const out = toSearchQuery({ ...empty, service: 'api', tags: 'error=true', minDuration: '100ms', lookback: '15m', errorsOnly: true }, NOW, 'embedded');
    expect(out.query).toMatchObject({ service: 'api', tags: [{ kind: 'error', value: true }], minDurationUs: 100_000, startMs: NOW - 900_000, errorsOnly: true });
  });

  it.each([
    [{ minDuration: 'soon' }, /Min duration "soon" is not a duration/],
    [{ minDuration: '2s', maxDuration: '1s' }, /larger than max/],
    [{ lookback: 'custom', start: 5 }, /Pick a start and an end/],
    [{ lookback: 'custom', start: 9, end: 5 }, /start time is after the end/],
    [{ tags: 'a' }, /^Tags: tags are key=value; for the text "a" write a key, as in http.route=a \(in "a"\)$/],
    [{ limit: 0 }, /Limit must be between/],
  ])('explains %j', (patch, message) => expect(toSearchQuery({ ...empty, ...patch }, NOW, 'embedded').problem).toMatch(message));
});
