'use client';

import { ToleranceTable } from '@/components/quorum/tolerance-table';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';

export function LiveTolerance() {
  const { status } = useClusterStatus();
  const markers = status
    ? [
        { members: status.dtr.quorum.replicas, label: 'your DTR' },
        { members: status.ucp.managers.total, label: 'your UCP' },
      ].filter((marker) => marker.members > 0)
    : [];
  return <ToleranceTable markers={markers} />;
}
