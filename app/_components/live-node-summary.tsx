'use client';

import { NodeSummary } from '@/components/nodes/node-summary';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';

export function LiveNodeSummary() {
  const { status } = useClusterStatus();
  return status ? <NodeSummary status={status} /> : null;
}
