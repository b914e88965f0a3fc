// SWR hook for GET /api/status: the live snapshot, polled at the monitor's own interval.
import useSWR from 'swr';
import type { ClusterStatus } from '@/lib/domain/types';
import { apiErrorMessage } from './api-error';
import { CLUSTER_STATUS_KEY } from './cluster-status-key';

export { CLUSTER_STATUS_KEY };
const DEFAULT_POLL_MS = 2000;
// A bad pollIntervalMs must not turn every open browser into a load test.
const MIN_POLL_MS = 500;

export class StatusFetchError extends Error {
  constructor(
    message: string,
    /** HTTP status, or null when the console did not answer at all. */
    readonly httpStatus: number | null,
  ) {
    super(message);
    this.name = 'StatusFetchError';
  }
}

export async function fetchClusterStatus(url: string): Promise<ClusterStatus> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store', headers: { accept: 'application/json' } });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StatusFetchError(`The console did not answer (${reason}).`, null);
  }
  if (!response.ok) throw new StatusFetchError(await apiErrorMessage(response), response.status);
  return (await response.json()) as ClusterStatus;
}

function pollIntervalOf(latest: ClusterStatus | undefined): number {
  const interval = latest?.pollIntervalMs;
  return typeof interval === 'number' && Number.isFinite(interval)
    ? Math.max(interval, MIN_POLL_MS)
    : DEFAULT_POLL_MS;
}

export interface UseClusterStatusOptions {
  /** First snapshot, rendered on the server; an `<SWRConfig fallback>` above works as well. */
  fallbackData?: ClusterStatus;
  /** Poll at the snapshot's interval (default). Off for widgets that only need slow facts. */
  poll?: boolean;
}

/**
 * The latest cluster status. On a failed poll `status` keeps the last good snapshot and `error`
 * says why, so the UI can show old data as old instead of blanking the page.
 */
export function useClusterStatus({ fallbackData, poll = true }: UseClusterStatusOptions = {}) {
  const { data, error, isLoading, mutate } = useSWR<ClusterStatus, StatusFetchError>(
    CLUSTER_STATUS_KEY,
    fetchClusterStatus,
    {
      fallbackData,
      refreshInterval: poll ? pollIntervalOf : 0,
      revalidateOnFocus: true,
      keepPreviousData: true,
    },
  );
  return { status: data, error, isLoading, mutate };
}
