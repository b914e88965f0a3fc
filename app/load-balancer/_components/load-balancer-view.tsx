import { SWRConfig } from 'swr';
import type { LbOptions } from '@/lib/domain/lb/options';
import type { ClusterStatus } from '@/lib/domain/types';
import type { LbDriftState } from '@/lib/domain/lb/drift';
import { CLUSTER_STATUS_KEY } from '@/lib/hooks/cluster-status-key';
import { LbDriftNotConfigured } from '@/components/load-balancer/lb-drift-not-configured';
import { LbDriftPanel } from '@/components/load-balancer/lb-drift-panel-lazy';
import { lbQueryOf, type LbParamProblem } from '@/components/load-balancer/lb-form';
import { LbReplicaTable } from '@/components/load-balancer/lb-replica-table';
import { LB_DRIFT_KEY } from '@/lib/hooks/lb-drift-key';
import { LbGenerator } from './lb-generator';
import { PageSection } from '@/components/ui/page-section';

/** The load-balancer page; the server's snapshot and drift check seed the live islands. */
export function LoadBalancerView({
  origin,
  status,
  options,
  problems,
  drift,
}: {
  /** This console's address from the request, or empty. */
  origin: string;
  status: ClusterStatus;
  options: LbOptions;
  problems: LbParamProblem[];
  drift: LbDriftState;
}) {
  return (
    <SWRConfig value={{ fallback: { [CLUSTER_STATUS_KEY]: status, [LB_DRIFT_KEY]: drift } }}>
      <div className="flex flex-col gap-6" data-testid="lb-page">
        <div className="flex flex-col gap-1">
          <h1 className="text-2xl font-bold tracking-tight">Load balancer config</h1>
          <p className="max-w-3xl text-slate-700 dark:text-slate-300">
            A config for the DTR replicas that exist right now: TCP passthrough, a /_ping health
            check per replica. DTR never updates load balancers, so regenerate it after every join
            or removal. The settings are in the address: share the link to share the config.
          </p>
        </div>
        {/* A link with other settings (e.g. "start from the defaults") starts the form afresh. */}
        <LbGenerator
          key={lbQueryOf(options)}
          initialOptions={options}
          problems={problems}
          serverOrigin={origin}
        >
          <PageSection
            id="lb-replicas"
            title="Replicas in the config"
            description="From the live cluster; updates as replicas join, leave or fail."
          >
            <LbReplicaTable />
          </PageSection>
          <PageSection
            id="lb-drift"
            title="Pool drift"
            description="What the load balancer's pool holds, compared with the replicas that exist."
          >
            {drift.configured ? <LbDriftPanel /> : <LbDriftNotConfigured />}
          </PageSection>
        </LbGenerator>
      </div>
    </SWRConfig>
  );
}
