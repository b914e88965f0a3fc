'use client';

import { lbReplicasFromStatus } from '@/lib/domain/lb/from-status';
import { useClusterStatus } from '@/lib/hooks/use-cluster-status';
import { Badge } from '@/components/ui/badge';
import { memberLabel, memberTone } from '@/components/ui/tone';
import { WideTable } from '@/components/ui/wide-table';

const CELL = 'px-3 py-2 text-left align-top';

/** The replicas the config lists, live, with the ones that are not healthy flagged. */
export function LbReplicaTable() {
  const { status } = useClusterStatus();
  if (!status) return null;
  const addresses = new Map(lbReplicasFromStatus(status).map((r) => [r.id, r.address]));
  const replicas = [...status.dtr.replicas].sort((a, b) => (a.id < b.id ? -1 : 1));
  const ghosts = replicas.filter((r) => r.status === 'ghost');
  const flagged = replicas.filter((r) => r.status !== 'healthy' && r.status !== 'ghost');
  if (replicas.length === 0) {
    return (
      <p data-testid="lb-replicas-empty" className="text-sm">
        The console knows no DTR replicas yet, so there is nothing to balance.
      </p>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="lb-replicas-summary">
        {replicas.length - ghosts.length}{' '}
        {replicas.length - ghosts.length === 1 ? 'replica' : 'replicas'} in the config
        {flagged.length > 0
          ? `; ${flagged.length} not healthy. They stay listed: HAProxy's and the ELB's checks keep them out of the pool until they recover; NGINX only skips them once connections fail.`
          : ghosts.length === replicas.length
            ? '.'
            : ', all healthy.'}
        {ghosts.length > 0 &&
          ` Left out: ${ghosts.map((r) => r.id).join(', ')} — ${ghosts.length === 1 ? 'its node is' : 'their nodes are'} gone from the swarm (a ghost), so there is no address to send traffic to; remove ${ghosts.length === 1 ? 'it' : 'them'} from DTR.`}
      </p>
      <WideTable label="Replicas in the pool">
        <table className="w-full text-sm" data-testid="lb-replicas">
          <thead className="bg-slate-100 text-xs tracking-wide text-slate-700 uppercase dark:bg-slate-800 dark:text-slate-300">
            <tr>
              <th scope="col" className={CELL}>
                Replica
              </th>
              <th scope="col" className={CELL}>
                Address
              </th>
              <th scope="col" className={CELL}>
                HTTP / HTTPS
              </th>
              <th scope="col" className={CELL}>
                Health
              </th>
            </tr>
          </thead>
          <tbody>
            {replicas.map((replica) => (
              <tr
                key={replica.id}
                data-testid={`lb-replica-${replica.id}`}
                data-status={replica.status}
                className="border-t border-slate-200 dark:border-slate-700"
              >
                <th scope="row" className={`${CELL} font-normal`}>
                  <code className="font-mono">{replica.id}</code>
                  <div className="text-xs text-slate-600 dark:text-slate-400">{replica.node}</div>
                </th>
                <td className={`${CELL} font-mono break-all`}>
                  {replica.status === 'ghost' ? 'left out (node gone)' : addresses.get(replica.id)}
                </td>
                <td className={`${CELL} tabular-nums`}>
                  {replica.httpPort} / {replica.httpsPort}
                </td>
                <td className={CELL}>
                  <Badge tone={memberTone[replica.status]}>{memberLabel[replica.status]}</Badge>
                  {replica.status !== 'healthy' && replica.error && (
                    <div className="mt-1 text-xs break-words">{replica.error}</div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </WideTable>
    </div>
  );
}
