import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { useNow } from '@/lib/hooks/use-now';

/** The live status and a ticking clock that starts, on the server and in hydration, at its generatedAt. */
export function useLiveStatus() {
  const { status, error } = useClusterStatus();
  const now = useNow(status ? Date.parse(status.generatedAt) : 0);
  return { status, error, now };
}
