'use client';
// EXECUTE=on: every page of a cluster whose steps this console can run says so, where they run,
// and who may make it do so. On a fleet's console-wide pages: which clusters.

import { createContext, useContext } from 'react';
import { useAuth } from '@/components/auth/user-context';
import { useClusterName } from '@/lib/hooks/cluster-url';

interface ExecuteValue {
  /** Cluster → where its steps run, for the clusters with EXECUTE=on. */
  clusters: Record<string, string>;
  /** The only cluster of a one-cluster console; null in a fleet. */
  defaultCluster: string | null;
}

const ExecuteContext = createContext<ExecuteValue>({ clusters: {}, defaultCluster: null });

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

export function ExecuteBanner({ multi }: { multi: boolean }) {
  const { clusters, defaultCluster } = useContext(ExecuteContext);
  const { user } = useAuth();
  const cluster = useClusterName() ?? defaultCluster;
  const names = Object.keys(clusters);
  if (names.length === 0) return null;
  const where = cluster === null ? undefined : clusters[cluster];
  if (cluster !== null && where === undefined) return null;
  // How to turn it off is for the people who run the console, not for viewers.
  const off =
    user?.isAdmin === true ? (
      <>
        {' '}
        <code>EXECUTE=off</code> turns it off.
      </>
    ) : null;
  const places = [...new Set(Object.values(clusters))];
  return (
    <div
      role="note"
      data-testid="execute-banner"
      className="border-b border-amber-300 bg-amber-50 px-4 py-2 text-center text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-50"
    >
      {cluster === null ? (
        <>
          This console can itself run join, remove and emergency repair on{' '}
          {names.map((name) => `"${name}"`).join(', ')}
          {places.length === 1 ? `, through ${places[0]}` : ''}; only UCP administrators of each
          cluster may make it do so.{off}
        </>
      ) : (
        <>
          {multi ? `On cluster "${cluster}", this` : 'This'} console can itself run join, remove and
          emergency repair, through {where}; only UCP administrators
          {multi ? ' of that cluster' : ''} may make it do so.{off}
        </>
      )}
    </div>
  );
}
