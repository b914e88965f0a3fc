'use client';
// What the layout knows of EXECUTE per cluster: for the banner (./execute-banner.tsx), the run
// pages and the bring-back button.

import { createContext, useContext } from 'react';
import { useClusterName } from '@/lib/hooks/cluster-url';

interface ExecuteValue {
  /** Cluster → where its steps run, for the clusters with EXECUTE=on. */
  clusters: Record<string, string>;
  /** The only cluster of a one-cluster console; null in a fleet. */
  defaultCluster: string | null;
}

export const ExecuteContext = createContext<ExecuteValue>({ clusters: {}, defaultCluster: null });

/** What the layout knows of EXECUTE per cluster, for the banner and the run pages. */
export function ExecuteProvider({
  value,
  children,
}: {
  value: ExecuteValue;
  children: React.ReactNode;
}) {
  return <ExecuteContext.Provider value={value}>{children}</ExecuteContext.Provider>;
}

/** Where the cluster shown now runs steps (EXECUTE=on), or null when this console runs none. */
export function useExecuteWhere(): string | null {
  const { clusters, defaultCluster } = useContext(ExecuteContext);
  const cluster = useClusterName() ?? defaultCluster;
  return cluster === null ? null : (clusters[cluster] ?? null);
}
