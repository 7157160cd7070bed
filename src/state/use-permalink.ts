// The address of the view as it is now, for a ticket or a chat: undefined when the trace has no address
// of its own (a dropped file or pasted text: only Share gives it one).
import { useAppStore } from './app-store.ts';
import { useUrlStore } from './url-context.ts';

export function usePermalink(): () => string | undefined {
  const address = useUrlStore();
  const addressable = useAppStore((s) => s.source !== undefined && s.source.kind !== 'file' && s.source.kind !== 'text');
  return () => (addressable ? address.appUrl().href : undefined);
}
