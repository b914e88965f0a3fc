// Property: whatever secret is handed to a plan — in the connection, the request, a URL's user
// info, or anywhere in the cluster status — no generated command contains it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { UcpConnectionOptions } from '../commands';
import { ago, buildSnapshot, MINUTE } from '@/test/support/snapshot';
import type { ClusterSnapshot } from '../types';
import { planJoin } from './join';
import { planRemove } from './remove';
import { planRepair } from './repair';
import { CONNECTION, R1, R3 } from '@/test/support/wizards';

const passwordLike = fc
  .tuple(
    fc.stringMatching(/^[A-Za-z0-9]{4,12}$/),
    fc.constantFrom('!', '@', '#', '$', '%', '^', '&', '*', '(', ')', '=', '?', '~', "'", '"', ';'),
    fc.stringMatching(/^[A-Za-z0-9]{3,12}$/),
  )
  .map(([a, special, b]) => `${a}${special}${b}`);

/** Where the secret goes besides the connection: each flag puts it in one more place. */
const placements = fc.record({
  urlUserInfo: fc.boolean(),
  inStatus: fc.boolean(),
  asNode: fc.boolean(),
  asCaPath: fc.boolean(),
  asReplicaId: fc.boolean(),
});

function salt(status: ClusterSnapshot, secret: string): ClusterSnapshot {
  for (const node of status.ucp.nodes) {
    node.labels = { ...node.labels, 'com.example.secret': secret };
    node.message = `password=${secret}`;
  }
  for (const replica of status.dtr.replicas) replica.error = `auth failed for ${secret}`;
  status.sources.dtr.lastError = `401 for password ${secret}`;
  status.dtr.clusterView?.currentIssues.push({ critical: false, description: secret });
  return status;
}

const ACK = [
  'two-replicas-left',
  'single-replica-left',
  'repair-consequence',
  'others-unhealthy',
  'bring-back-first',
  'application-worker',
];

describe('no generated command contains a password', () => {
  it('holds for remove, join and emergency-repair plans', () => {
    let commands = 0;
    fc.assert(
      fc.property(passwordLike, placements, (secret, where) => {
        const connection = {
          ...CONNECTION,
          ucpUrl: where.urlUserInfo
            ? `https://admin:${encodeURIComponent(secret)}@ucp.example.com`
            : CONNECTION.ucpUrl,
          password: secret,
          ucpPassword: secret,
        } as UcpConnectionOptions;
        const extra = { password: secret, ucpPassword: secret } as object;
        const prepare = (status: ClusterSnapshot) =>
          where.inStatus ? salt(status, secret) : status;

        const plans = [
          planRemove(
            prepare(buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable'] })),
            { ...extra, replicaId: where.asReplicaId ? secret : R3, acknowledge: ACK, force: true },
            { connection },
          ),
          planJoin(
            prepare(buildSnapshot()),
            {
              ...extra,
              node: where.asNode ? secret : 'worker-1',
              ca: where.asCaPath ? { kind: 'ca-file', path: secret } : { kind: 'fetch' },
              ...(where.asReplicaId && { replicaId: secret }),
              acknowledge: ACK,
            },
            { connection },
          ),
          planRepair(
            prepare(
              buildSnapshot({
                replicas: [
                  { status: 'unhealthy', lastReport: ago(MINUTE) },
                  'unreachable',
                  'unreachable',
                ],
              }),
            ),
            { ...extra, keepReplicaId: where.asReplicaId ? secret : R1, acknowledge: ACK },
            { connection },
          ),
        ];
        for (const plan of plans) {
          if (!plan.command) continue;
          commands += 1;
          expect(plan.command.text).not.toContain(secret);
          expect(plan.command.argv.join(' ')).not.toContain(secret);
          expect(plan.command.text).not.toMatch(/--ucp-password|-p\s/);
        }
      }),
      { numRuns: 300 },
    );
    // The property is only worth something if commands were actually generated.
    expect(commands).toBeGreaterThan(100);
  });
});
