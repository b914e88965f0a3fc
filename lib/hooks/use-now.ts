// A clock that ticks once a second, shared by every component that shows "N s ago".
import { useSyncExternalStore } from 'react';

const TICK_MS = 1000;
const listeners = new Set<() => void>();
let now = 0;
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of listeners) notify();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * Current time in ms, re-rendering every second. `referenceMs` is what the server renders and
 * what hydration starts from (e.g. the snapshot's generatedAt): both sides produce the same
 * text, then the browser switches to its own clock.
 */
export function useNow(referenceMs: number): number {
  return useSyncExternalStore(
    subscribe,
    () => (timer === undefined ? referenceMs : now),
    () => referenceMs,
  );
}
