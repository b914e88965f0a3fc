import type { Metadata } from 'next';
import { connection } from 'next/server';
import { Suspense } from 'react';
import { SWRConfig } from 'swr';
import { CLUSTER_STATUS_KEY } from '@/lib/hooks/cluster-status-key';
import { getRuntime } from '@/lib/server/runtime';
import { getClusterStatus } from '@/lib/server/services/status';
import { NodesView } from './_components/nodes-view';
import NodesLoading from './loading';

export const metadata: Metadata = { title: 'Nodes' };

export default async function NodesPage() {
  // Live state: never prerender it. Filters are read from the URL by the island itself, so
  // changing them needs no server round trip.
  await connection();
  const status = await getClusterStatus(await getRuntime());
  return (
    <SWRConfig value={{ fallback: { [CLUSTER_STATUS_KEY]: status } }}>
      <div className="flex flex-col gap-4">
        <div>
          <h1 className="text-2xl font-bold tracking-tight">Nodes</h1>
          <p className="text-sm text-slate-700 dark:text-slate-300">
            The UCP node inventory: what each node hosts, and what losing it would do to the DTR and
            UCP quorums.
          </p>
        </div>
        <Suspense fallback={<NodesLoading />}>
          <NodesView />
        </Suspense>
      </div>
    </SWRConfig>
  );
}
