'use client';
// The last step run from a warning (the bring-back button's outcome), for the chunks that load
// only where steps run: the banner's body, which shows it, and the bring-back button's, which
// records it. Kept in this module, above any page, because the step's success makes its warning,
// and the button with it, go away; the layout's own code carries none of it.

import { useContext, useSyncExternalStore } from 'react';
import { useClusterName } from '@/lib/hooks/cluster-url';
import { ExecuteContext } from './execute-context';

export interface ExecuteNotice {
  cluster: string;
  text: string;
  /** When the console answered, ISO 8601. */
  at: string;
}

// One per cluster: in a fleet, a bring-back on one cluster does not put away another's outcome.
let current: ReadonlyMap<string, ExecuteNotice> = new Map();
const NONE: ReadonlyMap<string, ExecuteNotice> = new Map();
const listeners = new Set<() => void>();

function set(cluster: string, notice: ExecuteNotice | null): void {
  const next = new Map(current);
  if (notice === null) next.delete(cluster);
  else next.set(cluster, notice);
  current = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The last step's outcome on the cluster shown now, a way to record one (`show`) and to put it
 * away (`dismiss`).
 */
export function useExecuteNotice(): {
  notice: ExecuteNotice | null;
  show: (text: string) => void;
  dismiss: () => void;
} {
  const notices = useSyncExternalStore(
    subscribe,
    () => current,
    () => NONE,
  );
  const { defaultCluster } = useContext(ExecuteContext);
  const cluster = useClusterName() ?? defaultCluster;
  return {
    notice: cluster === null ? null : (notices.get(cluster) ?? null),
    show: (text) => {
      if (cluster !== null) set(cluster, { cluster, text, at: new Date().toISOString() });
    },
    dismiss: () => {
      if (cluster !== null) set(cluster, null);
    },
  };
}
