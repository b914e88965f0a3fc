import { panelTone } from '@/components/ui/tone';

/** Without LB_STATS_URL there is no pool to compare, and that does not change until a restart. */
export function LbDriftNotConfigured() {
  return (
    <div
      data-testid="lb-drift"
      data-configured="false"
      className={`rounded-lg border-l-4 p-4 text-sm ${panelTone.neutral}`}
    >
      <p className="font-semibold">
        Not configured — set LB_STATS_URL to compare the pool with the cluster.
      </p>
      <p>
        Point it at HAProxy&apos;s stats page (turn on the stats page above), e.g.{' '}
        <code className="font-mono">LB_STATS_URL=http://lb.example.com:8404/</code>, and restart the
        console. It then reads the pool every poll interval and warns about removed replicas still
        in the pool, joined ones missing from it, and replicas the load balancer and the cluster
        judge differently.
      </p>
    </div>
  );
}
