// History samples for tests: the shape the recorder writes and the store keeps.
import type { Sample } from '@/lib/domain/history';

/** A healthy 3-replica sample at `at`; latency 5–25 ms. */
export function healthySample(at: number, replicas: readonly string[]): Sample {
  return {
    at,
    count: 1,
    dtrReplicas: 3,
    dtrMajority: 2,
    dtrHealthy: 3,
    dtrHealthyMin: 3,
    dtrMargin: 1,
    dtrMarginMin: 1,
    ucpManagers: 3,
    ucpMajority: 2,
    ucpReachable: 3,
    ucpReachableMin: 3,
    ucpMargin: 1,
    ucpMarginMin: 1,
    latency: Object.fromEntries(
      replicas.map((id, i) => {
        const ms = 5 + ((Math.floor(at / 2000) + i * 7) % 21);
        return [id, { avgMs: ms, maxMs: ms, replies: 1, probes: 1 }];
      }),
    ),
  };
}
