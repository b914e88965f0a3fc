import type { ReplicaState } from '@/lib/domain/types';
import { ReplicaCard } from './replica-card';

export function ReplicaGrid({ replicas, now }: { replicas: ReplicaState[]; now: number }) {
  if (replicas.length === 0) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 p-4 text-sm text-slate-700 dark:border-slate-600 dark:text-slate-300">
        No DTR replicas reported. The console lists replicas from DTR&apos;s settings; if DTR is not
        answering, see the source status above.
      </p>
    );
  }
  return (
    <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 xl:grid-cols-3" aria-label="DTR replicas">
      {replicas.map((replica) => (
        <li key={replica.id} className="min-w-0">
          <ReplicaCard replica={replica} now={now} />
        </li>
      ))}
    </ul>
  );
}
