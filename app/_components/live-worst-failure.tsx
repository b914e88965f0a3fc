'use client';

import { useMemo } from 'react';
import { currentQuorums, worstSingleFailure } from '@/lib/domain/placement';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { WorstFailure } from '@/components/nodes/worst-failure';
import { zoneLabelOf } from '@/components/nodes/zone-label';

export function LiveWorstFailure() {
  const { status } = useClusterStatus();
  const zoneLabel = zoneLabelOf(status);
  const view = useMemo(
    () =>
      status && {
        failure: worstSingleFailure(status, zoneLabel),
        current: currentQuorums(status),
        replicas: status.dtr.replicas,
        zoneSizes: status.ucp.nodeCounts?.zone,
      },
    [status, zoneLabel],
  );
  return view ? <WorstFailure {...view} /> : null;
}
