import { describe, expect, it } from 'vitest';
import { createUrlStore, readCompareWith, traceIdFromUrl, readTraceTab, readViewParams, traceTabEdit, urlStateEdit, viewParamsEdit, NO_VIEW_PARAMS, clearAllEdit, type UrlWindow } from './url.ts';

/** A window with an address bar and a history, and Back that fires popstate. */
function fakeWindow(start: string) {
  const entries = [start];
  let at = 0;
  const listeners = new Set<() => void>();
  const location = {
    get href() {
      return entries[at];
    },
    get search() {
      return new URL(entries[at]).search;
    },
    get hash() {
      return new URL(entries[at]).hash;
    },
  };
  const history = {
    pushState: (_: unknown, __: string, url?: string | URL | null) => {
      entries.splice(at + 1, entries.length, String(url));
      at++;
    },
    replaceState: (_: unknown, __: string, url?: string | URL | null) => {
      entries[at] = String(url);
    },
  };
  const win: UrlWindow = {
    location,
    history,
    addEventListener: (_, l) => void listeners.add(l),
    removeEventListener: (_, l) => void listeners.delete(l),
  };
  const back = () => {
    at--;
    for (const l of listeners) l();
  };
  return { win, entries, back, listenerCount: () => listeners.size };
}

describe('the URL store', () => {
  it('makes one history step of several edits, tells its subscribers, and does not count it as followed', () => {
    const w = fakeWindow('https://x.test/?url=%2Fa.json&tab=flame');
    const store = createUrlStore(w.win);
    const seen: string[] = [];
    store.state.subscribe((s) => seen.push(s.search));
    store.change('push', [urlStateEdit({ traceId: 'ab' }), viewParamsEdit({ ...NO_VIEW_PARAMS, selected: 3 }), traceTabEdit('waterfall')]);
    expect(w.entries).toEqual(['https://x.test/?url=%2Fa.json&tab=flame', 'https://x.test/?url=%2Fa.json&trace=ab&s=3']);
    expect(seen).toEqual(['?url=%2Fa.json&trace=ab&s=3']);
    expect(store.state.getState().followed).toBe(0);
    expect(readTraceTab(store.state.getState().search)).toBeUndefined();
  });

  it('adds no entry when nothing changes', () => {
    const w = fakeWindow('https://x.test/?trace=ab');
    const store = createUrlStore(w.win);
    store.change('push', [urlStateEdit({ traceId: 'ab' })]);
    expect(w.entries).toHaveLength(1);
  });

  it('follows Back while listening, and counts a write made to be followed', () => {
    const w = fakeWindow('https://x.test/?s=1');
    const store = createUrlStore(w.win);
    const stop = store.listen();
    store.change('push', [viewParamsEdit({ ...NO_VIEW_PARAMS, selected: 2 })]);
    w.back();
    expect(store.state.getState()).toEqual({ search: '?s=1', followed: 1 });
    expect(readViewParams(store.state.getState().search).selected).toBe(1);
    store.change('push', [urlStateEdit({ traceId: 'cd' })], { follow: true });
    expect(store.state.getState().followed).toBe(2);
    stop();
    expect(w.listenerCount()).toBe(0);
  });

  it('leaves nothing of the page before a new source, fragment included', () => {
    const w = fakeWindow('https://x.test/?url=a&tab=links&key=k#z=abc');
    const store = createUrlStore(w.win);
    store.change('push', [clearAllEdit, urlStateEdit({ backend: 'jaeger', traceId: 'ef' })]);
    expect(w.entries[1]).toBe('https://x.test/?backend=jaeger&trace=ef');
  });
});

describe('trace ids in the URL', () => {
  it('a short or upper-case id names the trace the file holds zero-padded, in ?trace= and in ?vs= alike', () => {
    expect(traceIdFromUrl('8CE82B2E9ED820BA')).toBe('00000000000000008ce82b2e9ed820ba');
    expect(readCompareWith('?vs=8ce82b2e9ed820ba')).toBe('00000000000000008ce82b2e9ed820ba');
    // Not hex (a stitched view's id): kept as written.
    expect(readCompareWith('?vs=stitched-a-b')).toBe('stitched-a-b');
    expect(readCompareWith('?vs=')).toBeUndefined();
  });
});
