// The app's UrlStore, handed down through context, and the hook that reads the URL from it.
import { createContext, createElement, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { shallow } from 'zustand/shallow';
import { createUrlStore, type UrlSnapshot, type UrlStore } from './url.ts';

const UrlStoreContext = createContext<UrlStore | undefined>(undefined);

export function UrlStoreProvider({ children }: { children: ReactNode }) {
  const [store] = useState(() => createUrlStore());
  useEffect(() => store.listen(), [store]);
  return createElement(UrlStoreContext.Provider, { value: store }, children);
}

export function useUrlStore(): UrlStore {
  const store = useContext(UrlStoreContext);
  if (!store) throw new Error('useUrlStore outside UrlStoreProvider');
  return store;
}

/**
 * What `select` reads from the URL; a component renders again only when that changes (compared
 * shallowly). Read once per URL: parsed lists are new arrays each time, which React would take for a
 * change on every render.
 */
export function useUrl<T>(select: (url: UrlSnapshot) => T): T {
  const last = useRef<{ readonly url: UrlSnapshot; readonly value: T } | undefined>(undefined);
  return useStore(useUrlStore().state, (url) => {
    const previous = last.current;
    if (previous && previous.url.search === url.search && previous.url.followed === url.followed) return previous.value;
    const value = select(url);
    const kept = previous && shallow(previous.value, value) ? previous.value : value;
    last.current = { url, value: kept };
    return kept;
  });
}
