// A view whose code loads on first use, that renders at once when its code is already here. React.lazy
// suspends on every first render, even of a module fetched ahead, and React then shows the fallback for
// at least 300 ms: each tab's first opening took ~0.8 s although its code had long been prefetched.
import { lazy, type ComponentType, type JSX } from 'react';

export interface LazyView<P> {
  readonly View: (props: P) => JSX.Element;
  /** Starts loading the code (again, harmlessly, when already loading or loaded). */
  readonly preload: () => Promise<unknown>;
}

export function lazyView<P extends object>(load: () => Promise<ComponentType<P>>): LazyView<P> {
  let loaded: ComponentType<P> | undefined;
  let loading: Promise<ComponentType<P>> | undefined;
  const preload = () =>
    (loading ??= load().then(
      (component) => (loaded = component),
      (err: unknown) => {
        loading = undefined; // a failed fetch (offline for a moment) is tried again on the next use
        throw err;
      },
    ));
  const Lazy = lazy(() => preload().then((component) => ({ default: component })));
  function View(props: P): JSX.Element {
    const Component = loaded ?? Lazy;
    return <Component {...props} />;
  }
  return { View, preload };
}

/** Loads the views' code once the page is idle (at the latest after `timeoutMs`). */
export function preloadWhenIdle(views: readonly Pick<LazyView<never>, 'preload'>[], timeoutMs = 5000): void {
  const load = () => void Promise.all(views.map((v) => v.preload())).catch(() => undefined);
  if ('requestIdleCallback' in window) window.requestIdleCallback(load, { timeout: timeoutMs });
  else setTimeout(load, 1000);
}
