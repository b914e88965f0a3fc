import { SWRConfig } from 'swr';
import type { ClusterStatus } from '@/lib/domain/types';
import { CLUSTER_STATUS_KEY } from '@/lib/hooks/cluster-status-key';
import { needsAttention } from '@/lib/domain/status-document';
import { LazyFaultPanel } from './lazy-fault-panel';
import { LiveFreshness } from './live-freshness';
import { LiveQuorum } from './live-quorum';
import {
  LazyManagers,
  LazyNodeSummary,
  LazyReplicas,
  LazyTolerance,
  LazyWorstFailure,
} from './lazy-panels';
import { LiveWarnings } from './live-warnings';
import { PageSection } from '@/components/ui/page-section';

/** The overview's layout; `status` is the server's first snapshot, the islands keep it live. */
export function Overview({ status }: { status: ClusterStatus }) {
  // Sizes for the placeholders of the panels whose code comes after the first load.
  const managerCount = status.ucp.nodes.filter((node) => node.manager !== null).length;
  const attention = status.ucp.nodes.filter(needsAttention).length;
  return (
    // The server's snapshot seeds every island, so the first paint shows real figures.
    <SWRConfig value={{ fallback: { [CLUSTER_STATUS_KEY]: status } }}>
      <div className="flex flex-col gap-6">
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-bold tracking-tight">Cluster overview</h1>
          <LiveFreshness />
        </div>
        <div className="grid grid-cols-1 gap-8 lg:grid-cols-[minmax(0,1fr)_22rem]">
          <div className="flex min-w-0 flex-col gap-8">
            <PageSection id="quorum" title="Quorum">
              <LiveQuorum />
            </PageSection>
            <PageSection
              id="worst-failure"
              title="Worst single failure"
              description="The one node or failure zone whose loss would hurt the quorums most."
            >
              <LazyWorstFailure />
            </PageSection>
            <PageSection
              id="warnings"
              title="Warnings"
              description="Most severe first, each with its consequence and next step."
            >
              <LiveWarnings />
            </PageSection>
            <PageSection id="replicas" title="DTR replicas">
              <LazyReplicas count={status.dtr.replicas.length} />
            </PageSection>
            <PageSection id="managers" title="UCP managers">
              <LazyManagers count={managerCount} />
            </PageSection>
          </div>
          <div className="flex min-w-0 flex-col gap-8">
            {status.mode === 'demo' && (
              <PageSection id="demo" title="Demo faults">
                <LazyFaultPanel />
              </PageSection>
            )}
            <PageSection
              id="tolerance"
              title="Failures a cluster survives"
              description="Both DTR and UCP managers need a strict majority of members healthy."
            >
              <LazyTolerance />
            </PageSection>
            <PageSection
              id="nodes"
              title="Nodes"
              description="Every node that is not ready and active, with the inventory's size."
            >
              <LazyNodeSummary lines={attention > 0 ? 2 : 1} />
            </PageSection>
          </div>
        </div>
      </div>
    </SWRConfig>
  );
}
