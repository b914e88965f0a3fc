import type { Metadata } from 'next';
import Link from '@/components/ui/cluster-link';
import { planRepair } from '@/lib/domain/wizards';
import { pageRuntime } from '@/lib/server/cluster-request';
import { getClusterStatus } from '@/lib/server/services/status';
import { listRuns } from '@/lib/server/services/wizards';
import { Badge } from '@/components/ui/badge';
import { panelTone, quorumTone } from '@/components/ui/tone';
import { ReplicaTable } from './_components/replica-table';
import { RunsTable } from './_components/runs-table';
import { buttonClass } from '@/components/ui/styles';

export const metadata: Metadata = {
  title: 'Replica changes',
  description: 'Guided join, remove and emergency repair of DTR replicas, and the runs so far.',
};

export default async function ReplicasPage() {
  const runtime = await pageRuntime();
  const [status, runs] = await Promise.all([
    getClusterStatus(runtime),
    listRuns(runtime, { limit: 50 }),
  ]);
  const { quorum, replicas } = status.dtr;
  const repair = planRepair(status);
  return (
    <div className="flex max-w-5xl flex-col gap-8">
      <div className="flex flex-col gap-2">
        <h1 className="text-2xl font-bold tracking-tight">Replica changes</h1>
        <p className="max-w-prose text-slate-700 dark:text-slate-300">
          Guided join, remove and emergency repair. Each wizard refuses unsafe steps and says why,
          prints the exact command (never with a password), and watches the cluster until the change
          shows.
        </p>
        <p className="flex flex-wrap items-center gap-2 text-sm">
          <Badge tone={quorumTone[quorum.status]}>DTR quorum: {quorum.status}</Badge>
          {quorum.replicas} replicas, {quorum.healthy} healthy, {quorum.majority} needed; survives{' '}
          {quorum.failuresTolerated} failure{quorum.failuresTolerated === 1 ? '' : 's'} by design.
        </p>
      </div>

      {repair.offered && (
        <div className={`flex flex-col gap-2 rounded-lg border-l-4 p-4 ${panelTone.bad}`}>
          <p className="font-semibold">DTR has lost quorum: the registry is down.</p>
          <p className="text-sm">
            First bring back any stopped replica: starting its containers or its node again loses
            nothing, and one back can restore the majority (the overview lists the steps). Remove
            and join cannot run without a healthy majority; emergency repair, which makes one
            replica a cluster of its own, is for when no replica can be brought back.
          </p>
          <p>
            <Link href="/replicas/repair" data-testid="start-repair" className={buttonClass.danger}>
              Start emergency repair
            </Link>
          </p>
        </div>
      )}

      <section aria-labelledby="start" className="flex min-w-0 flex-col gap-3">
        <h2 id="start" className="text-lg font-semibold">
          Start a change
        </h2>
        {/* Peers: neither is the default; which comes first depends on the situation. */}
        <div className="flex flex-wrap gap-2">
          <Link href="/replicas/join" data-testid="start-join" className={buttonClass.secondary}>
            Join a replica
          </Link>
          <Link
            href="/replicas/remove"
            data-testid="start-remove"
            className={buttonClass.secondary}
          >
            Remove a replica
          </Link>
        </div>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          A replica that just went down is usually brought back (start its containers or its node);
          replace it — remove it, then join a new one — once it has been down for long or cannot
          come back. One change at a time.
        </p>
        {replicas.length > 0 && <ReplicaTable replicas={replicas} />}
      </section>

      <section aria-labelledby="runs" className="flex min-w-0 flex-col gap-3">
        <h2 id="runs" className="text-lg font-semibold">
          Recent changes
        </h2>
        <RunsTable runs={runs} />
      </section>
    </div>
  );
}
