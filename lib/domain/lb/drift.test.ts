import { describe, expect, it } from 'vitest';
import { parse as parseShell } from 'shell-quote';
import { buildSnapshot, TEST_NOW, ago, testReplicaId } from '@/test/support/snapshot';
import {
  compareLbPool,
  driftReplicasFromStatus,
  lbStateOf,
  RELOAD_HAPROXY,
  replicaIdOfServer,
  type DriftReplica,
  type LbServerState,
} from './drift';

const [A, B, C, D] = [0, 1, 2, 3].map(testReplicaId) as [string, string, string, string];

function replica(id: string, status: DriftReplica['status'] = 'healthy', i = 0): DriftReplica {
  return {
    id,
    node: `dtr-${i + 1}`,
    status,
    address: `10.0.0.${i + 10}`,
    httpPort: 80,
    httpsPort: 443,
  };
}
const cluster = (...statuses: DriftReplica['status'][]) =>
  statuses.map((status, i) => replica([A, B, C, D][i]!, status, i));

function row(
  backend: string,
  server: string,
  status = 'UP',
  extra: Partial<LbServerState> = {},
): LbServerState {
  return {
    backend,
    server,
    replicaId: replicaIdOfServer(server),
    status,
    checkStatus: null,
    checkDetail: null,
    lastChange: 30,
    address: null,
    ...extra,
  };
}

/** The rows HAProxy reports for our generated config: two traffic pools tracking one check per replica. */
function generatedPool(states: Record<string, string>): LbServerState[] {
  return Object.entries(states).flatMap(([id, status]) => [
    row('dtr_http_pool', `replica-${id}`, status),
    row('dtr_https_pool', `replica-${id}`, status),
    row(`dtr_check_${id}`, `replica-${id}`, status, {
      checkStatus: status.startsWith('UP') ? 'L7OK' : 'L4CON',
      checkDetail: status.startsWith('UP')
        ? 'Layer7 check passed'
        : 'Layer4 connection problem: Connection refused',
    }),
  ]);
}

const codes = (findings: ReturnType<typeof compareLbPool>) =>
  findings.map((f) => `${f.code} ${f.subjects.join(',')} ${f.severity}`);

describe('compareLbPool', () => {
  it('finds nothing when the pool matches the cluster, down replicas included', () => {
    const replicas = cluster('healthy', 'unreachable', 'healthy');
    expect(compareLbPool(replicas, generatedPool({ [A]: 'UP', [B]: 'DOWN', [C]: 'UP' }))).toEqual(
      [],
    );
  });

  it('flags a removed replica that is still in the pool, critical while it still takes traffic', () => {
    const replicas = cluster('healthy', 'healthy');
    const down = compareLbPool(replicas, generatedPool({ [A]: 'UP', [B]: 'UP', [C]: 'DOWN' }));
    expect(codes(down)).toEqual([`stale-in-pool ${C} warning`]);
    expect(down[0]).toMatchObject({
      title: `Replica ${C} is gone from the cluster but still in the load balancer's pool`,
      command: RELOAD_HAPROXY,
      href: '/load-balancer',
    });
    expect(down[0]!.detail).toMatch(/out of service now \(DOWN\)/);

    const up = compareLbPool(replicas, generatedPool({ [A]: 'UP', [B]: 'UP', [C]: 'UP' }));
    expect(codes(up)).toEqual([`stale-in-pool ${C} critical`]);
    expect(up[0]!.detail).toContain('(UP in dtr_http_pool and dtr_https_pool)');
  });

  it('flags a joined replica the load balancer does not know, and one missing from a single pool', () => {
    const replicas = cluster('healthy', 'healthy', 'healthy', 'healthy');
    const pool = generatedPool({ [A]: 'UP', [B]: 'UP', [C]: 'UP' }).filter(
      (r) => !(r.backend === 'dtr_https_pool' && r.replicaId === B),
    );
    const findings = compareLbPool(replicas, pool);
    expect(codes(findings)).toEqual([
      `missing-from-pool ${B} warning`,
      `missing-from-pool ${D} warning`,
    ]);
    expect(findings[0]!.detail).toContain(`replica ${B} (on dtr-2) is missing from dtr_https_pool`);
    expect(findings[1]!.detail).toContain(`no server for replica ${D} (on dtr-4)`);
    expect(findings[1]!.nextStep).toMatch(/^Regenerate the config/);
  });

  it('flags a healthy replica the load balancer marks DOWN, with what its check saw and a curl to try', () => {
    const findings = compareLbPool(
      cluster('healthy', 'healthy', 'healthy'),
      generatedPool({ [A]: 'UP', [B]: 'DOWN', [C]: 'UP' }),
    );
    expect(codes(findings)).toEqual([`lb-down-cluster-healthy ${B} warning`]);
    expect(findings[0]!.detail).toContain(
      "HAProxy's last check of it: L4CON Layer4 connection problem: Connection refused.",
    );
    expect(findings[0]!.command).toBe(
      "curl -ksS -o /dev/null -w '%{http_code}\\n' https://10.0.0.11:443/_ping",
    );
  });

  it('says how to bring back a replica put in maintenance by hand', () => {
    const pool = generatedPool({ [A]: 'UP', [B]: 'UP', [C]: 'UP' }).map((r) =>
      r.replicaId === B && r.backend === 'dtr_https_pool' ? { ...r, status: 'MAINT' } : r,
    );
    const [finding] = compareLbPool(cluster('healthy', 'healthy', 'healthy'), pool);
    expect(finding?.code).toBe('lb-down-cluster-healthy');
    expect(finding?.nextStep).toMatch(/by hand/);
    expect(finding?.command).toBe(
      `echo 'set server dtr_https_pool/replica-${B} state ready' | socat stdio /run/haproxy/admin.sock`,
    );
  });

  it('flags an unhealthy replica the load balancer still sends traffic to', () => {
    const findings = compareLbPool(
      cluster('healthy', 'unhealthy', 'healthy'),
      generatedPool({ [A]: 'UP', [B]: 'UP', [C]: 'UP' }),
    );
    expect(codes(findings)).toEqual([`lb-up-cluster-unhealthy ${B} critical`]);
    expect(findings[0]!.title).toBe(
      `The load balancer still sends clients to unhealthy replica ${B}`,
    );
    expect(findings[0]!.command).toBe(
      [
        `echo 'set server dtr_http_pool/replica-${B} state maint' | socat stdio /run/haproxy/admin.sock`,
        `echo 'set server dtr_https_pool/replica-${B} state maint' | socat stdio /run/haproxy/admin.sock`,
      ].join('\n'),
    );
  });

  it('explains servers that have no health check at all', () => {
    const pool = [row('dtr', `replica-${A}`, 'no check'), row('dtr', `replica-${B}`, 'no check')];
    const [finding] = compareLbPool(cluster('healthy', 'unreachable'), pool);
    expect(finding?.code).toBe('lb-up-cluster-unhealthy');
    expect(finding?.detail).toContain('Those servers have no health check.');
  });

  it('waits while HAProxy is part-way through marking a server, or within the grace period', () => {
    const replicas = cluster('healthy', 'unreachable', 'healthy');
    const failing = generatedPool({ [A]: 'UP', [B]: 'UP 1/3', [C]: 'UP' });
    expect(compareLbPool(replicas, failing)).toEqual([]);
    const recovering = generatedPool({ [A]: 'UP', [B]: 'DOWN 1/2', [C]: 'UP' });
    expect(compareLbPool(cluster('healthy', 'healthy', 'healthy'), recovering)).toEqual([]);

    const up = generatedPool({ [A]: 'UP', [B]: 'UP', [C]: 'UP' });
    const justFailed = replicas.map((r) => ({ ...r, since: ago(10_000) }));
    const now = new Date(TEST_NOW);
    expect(compareLbPool(justFailed, up, { now, graceMs: 30_000 })).toEqual([]);
    expect(codes(compareLbPool(justFailed, up, { now, graceMs: 5_000 }))).toEqual([
      `lb-up-cluster-unhealthy ${B} critical`,
    ]);
  });

  it('escalates when no replica is left in rotation although some are healthy', () => {
    const findings = compareLbPool(
      cluster('healthy', 'healthy'),
      generatedPool({ [A]: 'DOWN', [B]: 'DOWN' }),
    );
    expect(codes(findings)).toEqual([
      `lb-down-cluster-healthy ${A} critical`,
      `lb-down-cluster-healthy ${B} critical`,
    ]);
    expect(findings[0]!.detail).toMatch(/clients get no answer at all\.$/);
  });

  it('matches servers with names of their own by address, and flags a stranger in the DTR pool', () => {
    const pool = [
      row('registry', 'dtr1', 'UP', { address: '10.0.0.10:443' }),
      row('registry', 'dtr2', 'DOWN', { address: '10.0.0.11:443' }),
      row('registry', 'old-dtr', 'UP', { address: '10.0.0.99:443' }),
      // Another service on the same load balancer is none of our business.
      row('web', 'app1', 'DOWN', { address: '10.9.9.9:8080' }),
    ];
    const findings = compareLbPool(cluster('healthy', 'healthy'), pool);
    expect(codes(findings)).toEqual([
      'stale-in-pool registry/old-dtr critical',
      `lb-down-cluster-healthy ${B} warning`,
    ]);
    expect(findings[0]!.title).toBe(
      "Server registry/old-dtr in the load balancer's DTR pool is no DTR replica",
    );
  });

  it('ignores replicas of unknown health for the health comparison', () => {
    expect(
      compareLbPool(cluster('healthy', 'unknown'), generatedPool({ [A]: 'UP', [B]: 'DOWN' })),
    ).toEqual([]);
  });

  it('quotes names taken from the stats in the commands it prints', () => {
    const pool = [row("x';reboot;'", `replica-${A}`, 'MAINT')];
    const [finding] = compareLbPool(cluster('healthy'), pool);
    const words = parseShell(finding!.command!);
    expect(words[1]).toBe(`set server x';reboot;'/replica-${A} state ready`);
    expect(words).toContainEqual({ op: '|' });
  });
});

describe('lbStateOf', () => {
  it.each([
    ['UP', 'serving', false],
    ['UP 1/3', 'serving', true],
    ['DOWN', 'out', false],
    ['DOWN 1/2', 'out', true],
    ['no check', 'serving', false],
    ['MAINT', 'out', false],
    ['MAINT (via dtr_check_a1b2c3000111/replica-a1b2c3000111)', 'out', false],
    ['DRAIN', 'out', false],
    ['NOLB', 'out', false],
    ['weird', 'unknown', false],
  ] as const)('%s → %s', (status, traffic, changing) => {
    expect(lbStateOf(status)).toMatchObject({ traffic, changing });
  });
});

describe('driftReplicasFromStatus', () => {
  it('takes status, ports, since and the address the configs use', () => {
    const snapshot = buildSnapshot({
      replicas: ['healthy', { status: 'unreachable', httpPort: 8080, httpsPort: 8443 }],
    });
    const replicas = driftReplicasFromStatus(snapshot);
    expect(replicas[1]).toEqual({
      id: B,
      node: 'dtr-2',
      status: 'unreachable',
      address: 'dtr-2',
      httpPort: 8080,
      httpsPort: 8443,
      since: snapshot.dtr.replicas[1]!.since,
    });
  });
});
