'use client';

import Link from '@/components/ui/cluster-link';
import useSWR from 'swr';
import type { WizardRunState } from '@/lib/domain/wizards/run';
import { apiFetch } from '@/lib/hooks/api-fetch';
import { CopyButton } from '@/components/ui/copy-button';
import { linkClass, mutedClass } from '@/components/ui/styles';

const fetchText = (url: string) => apiFetch<string>(url, { as: 'text' });

/** After the change: the load-balancer pool must match the replicas that exist now. */
export function LoadBalancerStep({ state }: { state: WizardRunState }) {
  const { data, error } = useSWR('/api/load-balancer/config?kind=haproxy', fetchText);
  const what =
    state.kind === 'remove'
      ? `Take replica ${state.replicaIds.join(', ')} out of the load-balancer pool: a load balancer that still sends traffic there makes clients fail or hang.`
      : state.kind === 'join'
        ? `Add the new replica on ${state.node} to the load-balancer pool once it is healthy, so it takes its share of traffic.`
        : `Leave only replica ${state.keepReplicaId} in the load-balancer pool until new replicas have joined.`;
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm">{what}</p>
      <p className="text-sm">
        The{' '}
        <Link href="/load-balancer" className={linkClass.strong}>
          load-balancer page
        </Link>{' '}
        builds HAProxy, NGINX and AWS ELB configurations from the replicas that exist now. The
        HAProxy one, as of this moment:
      </p>
      {error ? (
        <p className={mutedClass}>
          The configuration could not be generated: {(error as Error).message}
        </p>
      ) : data === undefined ? (
        <p className={mutedClass}>Generating…</p>
      ) : (
        <div className="min-w-0 overflow-hidden rounded-md border border-slate-300 bg-slate-900 text-slate-50 dark:border-slate-700 dark:bg-black">
          <div className="flex items-center justify-between gap-2 border-b border-slate-700 px-3 py-1.5 text-xs text-slate-300">
            <span>haproxy.cfg</span>
            <CopyButton text={data} label="Copy the HAProxy configuration" />
          </div>
          <pre
            data-testid="lb-snippet"
            tabIndex={0}
            className="overflow-x-auto p-3 font-mono text-xs leading-relaxed"
          >
            {data}
          </pre>
        </div>
      )}
    </div>
  );
}
