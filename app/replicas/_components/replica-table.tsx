import Link from '@/components/ui/cluster-link';
import type { ReplicaState } from '@/lib/domain/types';
import { Badge } from '@/components/ui/badge';
import { WideTable } from '@/components/ui/wide-table';
import { memberLabel, memberTone } from '@/components/ui/tone';
import { linkClass } from '@/components/ui/styles';

export function ReplicaTable({ replicas }: { replicas: ReplicaState[] }) {
  return (
    <WideTable label="DTR replicas now">
      <table className="w-full min-w-[32rem] text-left text-sm">
        <caption className="sr-only">DTR replicas now</caption>
        <thead>
          <tr className="border-b border-slate-300 dark:border-slate-700">
            <th scope="col" className="px-3 py-2 font-semibold">
              Replica
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Node
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              Status
            </th>
            <th scope="col" className="px-3 py-2 font-semibold">
              <span className="sr-only">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {replicas.map((replica) => (
            <tr key={replica.id} className="border-b border-slate-200 dark:border-slate-800">
              <td className="px-3 py-2 font-mono">{replica.id}</td>
              <td className="px-3 py-2 font-mono break-all">{replica.node}</td>
              <td className="px-3 py-2">
                <Badge tone={memberTone[replica.status]}>{memberLabel[replica.status]}</Badge>
              </td>
              <td className="px-3 py-2">
                <Link
                  href={`/replicas/remove?replica=${encodeURIComponent(replica.id)}`}
                  data-testid={`remove-link-${replica.id}`}
                  className={linkClass.normal}
                >
                  Remove…<span className="sr-only"> replica {replica.id}</span>
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </WideTable>
  );
}
