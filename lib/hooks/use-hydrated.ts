// false in the server render and during hydration, true after: controls that only work with
// JavaScript stay disabled until it runs, so an early click or choice is never silently lost.
import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
