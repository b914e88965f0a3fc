'use client';

import { QuorumBanner } from '@/components/quorum/quorum-banner';
import { useLiveStatus } from '@/lib/hooks/use-live-status';

export function LiveQuorum() {
  const { status, now } = useLiveStatus();
  if (!status) return null;
  const { dtr, ucp, sources, generatedAt } = status;
  return (
    <div className="grid grid-cols-1 gap-4 xl:grid-cols-2">
      {sources.dtr.configured === false ? (
        <section
          data-testid="dtr-quorum-banner"
          data-status="not-configured"
          className="rounded-lg border border-dashed border-slate-300 p-4 text-sm dark:border-slate-700"
        >
          <h3 className="font-semibold tracking-wide uppercase">DTR replicas</h3>
          <p className="mt-1">
            DTR is not configured: this console watches the Swarm managers only. Set{' '}
            <code>DTR_URL</code> to watch the registry&apos;s replicas too.
          </p>
        </section>
      ) : (
        <QuorumBanner
          group="dtr"
          quorum={{ ...dtr.quorum, members: dtr.quorum.replicas }}
          basis={dtr.quorum.basis}
          source={sources.dtr}
          asOf={generatedAt}
          now={now}
        />
      )}
      <QuorumBanner
        group={ucp.via === 'engine' ? 'swarm' : 'ucp'}
        quorum={{ ...ucp.managers, members: ucp.managers.total, healthy: ucp.managers.reachable }}
        basis={ucp.managers.basis}
        source={sources.ucp}
        asOf={generatedAt}
        now={now}
      />
    </div>
  );
}
