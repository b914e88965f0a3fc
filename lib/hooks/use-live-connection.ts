// Whether the page is fed by the live stream, polling while it is down, or still connecting.
import { useSyncExternalStore } from 'react';
import { liveConnection, type LiveState } from './live-connection';

export type { LiveState };

export function useLiveConnection(): LiveState {
  const connection = liveConnection();
  return useSyncExternalStore(
    connection.subscribe,
    () => connection.state,
    () => 'connecting',
  );
}
