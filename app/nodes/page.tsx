import type { Metadata } from 'next';
import { connection } from 'next/server';
import { Suspense } from 'react';
import { SWRConfig } from 'swr';
import { unstable_serialize } from 'swr/infinite';
import { NODE_PAGE_SIZE, nodePage, nodePageKey } from '@/lib/domain/node-page';
import { parseNodeQuery } from '@/lib/domain/node-query';
import { CLUSTER_STATUS_KEY } from '@/lib/hooks/cluster-status-key';
import { pageRuntime } from '@/lib/server/cluster-request';
import { inventoryRows } from '@/lib/server/services/nodes';
import { getClusterStatus, servedStatusOf } from '@/lib/server/services/status';
import { zoneLabelOf } from '@/components/nodes/zone-label';
import { NodesView } from './_components/nodes-view';
import NodesLoading from './loading';

export const metadata: Metadata = { title: 'Nodes' };

export default async function NodesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  // Live state: never prerender it. Filters are read from the URL by the island itself, so
  // changing them needs no server render; the island pages the inventory from GET /api/nodes.
  await connection();
  const status = await getClusterStatus(await pageRuntime());
  const served = servedStatusOf(status);
  // The first page of the URL's query, so the first paint already shows nodes.
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(await searchParams)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) params.set(name, first);
  }
  const { query } = parseNodeQuery(params, zoneLabelOf(status));
  const first = nodePage(
    inventoryRows(status),
    { query, limit: NODE_PAGE_SIZE, after: null },
    status,
  );
  const fallback = {
    [CLUSTER_STATUS_KEY]: served,
    [unstable_serialize(nodePageKey(query))]: [first],
  };
  return (
    <SWRConfig value={{ fallback }}>
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
