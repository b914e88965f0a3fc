import { useSyncExternalStore } from 'react';

const noSubscribe = () => () => {};

/**
 * The page's own origin. The server renders `serverOrigin` (from the request; empty renders links
 * relative), and the browser then uses its own address, which wins if they differ.
 */
export function useOrigin(serverOrigin = ''): string {
  return useSyncExternalStore(
    noSubscribe,
    () => window.location.origin,
    () => serverOrigin,
  );
}
