'use client';

import { QuorumBanner } from '@/components/quorum/quorum-banner';
import { useLiveStatus } from './use-live-status';

export function LiveQuorum() {
  const { status, now } = useLiveStatus();
  if (!status) return null;
  const { dtr, ucp, sources, generatedAt } = status;
  return (
    <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
      <QuorumBanner
        group="dtr"
        quorum={{ ...dtr.quorum, members: dtr.quorum.replicas }}
        source={sources.dtr}
        asOf={generatedAt}
        now={now}
      />
      <QuorumBanner
        group="ucp"
        quorum={{ ...ucp.managers, members: ucp.managers.total, healthy: ucp.managers.reachable }}
        source={sources.ucp}
        asOf={generatedAt}
        now={now}
      />
    </div>
  );
}
