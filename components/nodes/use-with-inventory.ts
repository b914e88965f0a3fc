'use client';
// For views that choose among nodes a served status leaves out (ready, active application
// workers): the status with those nodes added from GET /api/nodes. A complete list is used as is.
import { useMemo } from 'react';
import useSWR from 'swr';
import { MAX_NODE_LIMIT, type NodePage } from '@/lib/domain/node-page-key';
import type { ClusterStatus } from '@/lib/domain/types';
import { apiFetch, hasKeys } from '@/lib/hooks/api-fetch';

const REFRESH_MS = 15_000;

const fetchPage = (url: string): Promise<NodePage> =>
  apiFetch(url, { check: hasKeys<NodePage>('items', 'total') });

/**
 * `status` with the nodes matching `search` (GET /api/nodes parameters, e.g.
 * `role=worker&hosts=none`) added, at most MAX_NODE_LIMIT of them, fetched again every 15 s.
 */
export function useWithInventory(
  status: ClusterStatus | undefined,
  search: string,
): ClusterStatus | undefined {
  const partial = status?.ucp.nodeList !== undefined && !status.ucp.nodeList.complete;
  const { data } = useSWR<NodePage>(
    partial ? `/api/nodes?${search}&limit=${MAX_NODE_LIMIT}` : null,
    fetchPage,
    // Choices, not live state: the listed nodes stay live with the status; these refresh slowly.
    { keepPreviousData: true, revalidateOnFocus: false, refreshInterval: REFRESH_MS },
  );
  return useMemo(() => {
    if (!status || !partial || !data) return status;
    const listed = new Set(status.ucp.nodes.map((node) => node.id));
    const added = data.items.map((row) => row.node).filter((node) => !listed.has(node.id));
    return { ...status, ucp: { ...status.ucp, nodes: [...status.ucp.nodes, ...added] } };
  }, [status, partial, data]);
}
