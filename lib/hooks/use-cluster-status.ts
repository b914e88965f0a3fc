// SWR hook for GET /api/status: the live snapshot, pushed by GET /api/events into SWR's cache,
// and polled at the monitor's own interval only while that stream is down.
import { useEffect } from 'react';
import useSWR, { useSWRConfig } from 'swr';
import type { ClusterStatus } from '@/lib/domain/types';
import { apiFetch, hasKeys, type ApiFetchError } from './api-fetch';
import { CLUSTER_STATUS_KEY } from './cluster-status-key';
import { liveConnection } from './live-connection';
import { useLiveConnection } from './use-live-connection';

export { CLUSTER_STATUS_KEY };
const DEFAULT_POLL_MS = 2000;
// A bad pollIntervalMs must not turn every open browser into a load test.
const MIN_POLL_MS = 500;

/** GET /api/status; a lapsed session goes to sign-in (lib/hooks/api-fetch.ts). */
export const fetchClusterStatus = (url: string): Promise<ClusterStatus> =>
  apiFetch(url, { check: hasKeys<ClusterStatus>('generatedAt', 'dtr', 'ucp', 'warnings') });

export function pollIntervalOf(latest: ClusterStatus | undefined): number {
  const interval = latest?.pollIntervalMs;
  return typeof interval === 'number' && Number.isFinite(interval)
    ? Math.max(interval, MIN_POLL_MS)
    : DEFAULT_POLL_MS;
}

export interface UseClusterStatusOptions {
  /** First snapshot, rendered on the server; an `<SWRConfig fallback>` above works as well. */
  fallbackData?: ClusterStatus;
  /**
   * Keep up with the cluster (default): from the tab's live stream, or by polling at the
   * snapshot's interval while the stream is down. Off for widgets that only need slow facts.
   */
  poll?: boolean;
}

/**
 * The latest cluster status. On a failed poll `status` keeps the last good snapshot and `error`
 * says why, so the UI can show old data as old instead of blanking the page.
 */
export function useClusterStatus({ fallbackData, poll = true }: UseClusterStatusOptions = {}) {
  const { mutate: cacheMutate } = useSWRConfig();
  useEffect(() => (poll ? liveConnection().acquire(cacheMutate) : undefined), [poll, cacheMutate]);
  // While the stream is open it is the source of truth: no polling, no refetch on focus.
  const streaming = useLiveConnection() === 'live';
  const { data, error, isLoading, mutate } = useSWR<ClusterStatus, ApiFetchError>(
    CLUSTER_STATUS_KEY,
    fetchClusterStatus,
    {
      fallbackData,
      refreshInterval: poll && !streaming ? pollIntervalOf : 0,
      revalidateOnFocus: !streaming,
      revalidateOnReconnect: !streaming,
      revalidateIfStale: !streaming,
      keepPreviousData: true,
      // A new snapshot is always a new object: identity is enough, and SWR's default deep
      // comparison would hash the whole inventory (megabytes at 2,000 nodes) on every update.
      compare: (a, b) => a === b,
    },
  );
  return { status: data, error, isLoading, mutate };
}
