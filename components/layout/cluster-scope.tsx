'use client';
// Each cluster's pages get their own SWR cache: "/api/status" is a different document under
// /c/prod and /c/dr, so moving between clusters never shows one cluster's data on another's page.
import { SWRConfig } from 'swr';
import { ServerClusterBase, useClusterBase } from '@/lib/hooks/cluster-url';

function Scoped({ children }: { children: React.ReactNode }) {
  const base = useClusterBase();
  return (
    <SWRConfig key={base} value={{ provider: () => new Map() }}>
      {children}
    </SWRConfig>
  );
}

/** `serverBase`: the rendered page's cluster prefix, from the proxy (see ServerClusterBase). */
export function ClusterScope({
  serverBase,
  children,
}: {
  serverBase: string;
  children: React.ReactNode;
}) {
  return (
    <ServerClusterBase.Provider value={serverBase}>
      <Scoped>{children}</Scoped>
    </ServerClusterBase.Provider>
  );
}
