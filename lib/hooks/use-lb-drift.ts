// SWR hook for GET /api/load-balancer/drift: the server's latest comparison of the load balancer's
// pool with the replicas. Reading it costs the load balancer nothing: one server poller asks it.
import { useCallback } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import { apiFetch, hasKeys } from '@/lib/hooks/api-fetch';
import type { LbDriftState } from '@/lib/domain/lb/drift';
import { LB_DRIFT_KEY } from './lb-drift-key';

export { LB_DRIFT_KEY };
const MIN_REFRESH_MS = 1000;

const fetchDrift = (url: string): Promise<LbDriftState> =>
  apiFetch(url, { check: hasKeys<LbDriftState>('configured', 'pool', 'findings') });

/** Not configured: nothing changes until the console restarts with LB_STATS_URL. */
function refreshOf(state: LbDriftState | undefined): number {
  return state?.configured ? Math.max(state.intervalMs ?? MIN_REFRESH_MS, MIN_REFRESH_MS) : 0;
}

export function useLbDrift() {
  // SWR asks for the first interval before any fetch: the server's snapshot (the fallback) answers.
  const seed = useSWRConfig().fallback[LB_DRIFT_KEY] as LbDriftState | undefined;
  // Stable: SWR restarts its timer whenever this function changes, and the panel re-renders every second.
  const refreshInterval = useCallback(
    (latest: LbDriftState | undefined) => refreshOf(latest ?? seed),
    [seed],
  );
  const { data, error, isLoading } = useSWR<LbDriftState, Error>(LB_DRIFT_KEY, fetchDrift, {
    refreshInterval,
    keepPreviousData: true,
  });
  return { drift: data, error, isLoading };
}
