'use client';

import { ReplicaGrid } from '@/components/replicas/replica-grid';
import { useLiveStatus } from '@/lib/hooks/use-live-status';

export function LiveReplicas() {
  const { status, now } = useLiveStatus();
  return status ? <ReplicaGrid replicas={status.dtr.replicas} now={now} /> : null;
}
