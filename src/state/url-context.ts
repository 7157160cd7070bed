// The app's UrlStore, handed down through context, and the hook that reads the URL from it.
import { createContext, createElement, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
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

/** What `select` reads from the URL; a component renders again only when that changes (compared shallowly). */
export function useUrl<T>(select: (url: UrlSnapshot) => T): T {
  return useStore(useUrlStore().state, useShallow(select));
}
