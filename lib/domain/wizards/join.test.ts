import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '@/test/support/snapshot';
import { planJoin } from './join';
import { eligibleJoinTargets } from './join-targets';
import { CONNECTION, flat, gate, gateIds, R1, R2, R3 } from '@/test/support/wizards';

const GIB = 1024 ** 3;

describe('eligibleJoinTargets', () => {
  it('offers ready, active Linux workers without a replica; lists the rest with the reason', () => {
    const targets = eligibleJoinTargets(
      buildSnapshot({
        workers: 6,
        nodes: {
          'worker-2': { state: 'down' },
          'worker-3': { availability: 'drain' },
          'worker-4': { os: 'windows' },
          'worker-5': { os: null },
          'worker-6': { labels: { 'dtr.cache': 'true' } },
        },
      }),
    );
    const reason = (hostname: string) => targets.find((t) => t.hostname === hostname)?.reason;
    expect(targets.filter((t) => t.eligible).map((t) => t.hostname)).toEqual(['worker-1']);
    expect(targets[0]?.hostname).toBe('worker-1');
    expect(reason('mgr-1')).toMatch(/is a UCP manager/);
    expect(reason('dtr-1')).toBe(`already runs DTR replica ${R1}`);
    expect(reason('cache-1')).toBe('hosts a DTR cache');
    expect(reason('worker-6')).toBe('hosts a DTR cache');
    expect(reason('worker-2')).toBe('is down');
    expect(reason('worker-3')).toBe('is set to drain');
    expect(reason('worker-4')).toMatch(/runs windows; DTR needs Linux/);
    expect(reason('worker-5')).toMatch(/unknown operating system/);
  });

  it('refuses a host name that cannot go in a command', () => {
    const status = buildSnapshot({ workers: 1 });
    const node = status.ucp.nodes.find((n) => n.hostname === 'worker-1')!;
    node.hostname = 'evil;rm -rf /';
    const target = eligibleJoinTargets(status).find((t) => t.hostname === 'evil;rm -rf /');
    expect(target).toMatchObject({
      eligible: false,
      reason: expect.stringMatching(/cannot go in a command/),
    });
  });
});

describe('planJoin', () => {
  it('joins on a dedicated DTR node through a healthy replica, with the UCP CA', () => {
    const plan = planJoin(
      buildSnapshot({ spareDtrNodes: 1 }),
      { node: 'dtr-4' },
      { connection: CONNECTION },
    );
    expect(plan.ok).toBe(true);
    expect(plan.gates).toEqual([even4()]);
    expect(flat(plan.command?.text)).toBe(
      'curl -fsSk https://ucp.example.com/ca -o ucp-ca.pem && ' +
        `docker run -it --rm docker/dtr:2.9.16 join --ucp-node dtr-4 --existing-replica-id ${R1} ` +
        '--ucp-url https://ucp.example.com --ucp-username admin --ucp-ca "$(cat ucp-ca.pem)"',
    );
    expect(plan.impact.after).toMatchObject({ replicas: 4, healthy: 4, failuresTolerated: 1 });
  });

  it('passes the options: replica ID, ports, CA file', () => {
    const plan = planJoin(
      buildSnapshot({ replicas: ['healthy', 'healthy'], spareDtrNodes: 1 }),
      {
        node: 'dtr-3',
        replicaId: 'abcdefabcdef',
        httpPort: 8080,
        httpsPort: 8443,
        existingReplicaId: R2,
        ca: { kind: 'ca-file', path: '/etc/ucp/ca.pem' },
      },
      { connection: CONNECTION },
    );
    expect(plan.ok).toBe(true);
    expect(flat(plan.command?.text)).toBe(
      `docker run -it --rm docker/dtr:2.9.16 join --ucp-node dtr-3 --existing-replica-id ${R2} --replica-id abcdefabcdef ` +
        '--replica-http-port 8080 --replica-https-port 8443 --ucp-url https://ucp.example.com --ucp-username admin --ucp-ca "$(cat /etc/ucp/ca.pem)"',
    );
  });

  it('replica-unhealthy: refuses while any replica is unhealthy and links to removing it first', () => {
    const plan = planJoin(
      buildSnapshot({ replicas: ['healthy', 'healthy', 'unreachable'] }),
      { node: 'worker-1' },
      { connection: CONNECTION },
    );
    expect(plan.ok).toBe(false);
    expect(plan.command).toBeUndefined();
    expect(gate(plan, 'replica-unhealthy')).toMatchObject({
      severity: 'block',
      href: `/replicas/remove?replica=${R3}`,
    });
    expect(gate(plan, 'replica-unhealthy').message).toMatch(
      /remove the failed replica first, then join/,
    );
    expect(gateIds(planJoin(buildSnapshot(), { node: 'worker-1' }))).not.toContain(
      'replica-unhealthy',
    );
  });

  it('quorum-lost: refuses and points at emergency repair', () => {
    const plan = planJoin(buildSnapshot({ replicas: ['healthy', 'unreachable', 'unreachable'] }), {
      node: 'worker-1',
    });
    expect(gate(plan, 'quorum-lost')).toMatchObject({
      severity: 'block',
      href: '/replicas/repair',
    });
    expect(gateIds(plan)).not.toContain('replica-unhealthy');
  });

  it('unknown-node and node-not-eligible: say why', () => {
    expect(gate(planJoin(buildSnapshot(), { node: 'nope' }), 'unknown-node').severity).toBe(
      'block',
    );
    const cache = planJoin(buildSnapshot(), { node: 'cache-1' });
    expect(gate(cache, 'node-not-eligible').message).toBe(
      'cache-1 hosts a DTR cache. Pick an eligible worker.',
    );
    expect(gateIds(planJoin(buildSnapshot(), { node: 'worker-1' }))).not.toContain(
      'node-not-eligible',
    );
  });

  it('replica-id-taken: a fixed ID must be new', () => {
    expect(
      gate(planJoin(buildSnapshot(), { node: 'worker-1', replicaId: R2 }), 'replica-id-taken')
        .severity,
    ).toBe('block');
    expect(
      gateIds(planJoin(buildSnapshot(), { node: 'worker-1', replicaId: 'abcdefabcdef' })),
    ).not.toContain('replica-id-taken');
  });

  it('even-after: warns when the join makes the count even, and says to plan the next join', () => {
    expect(gate(planJoin(buildSnapshot(), { node: 'worker-1' }), 'even-after').message).toMatch(
      /4 replicas tolerate 1 failure, no more than 3\. Plan the next join too: 5 replicas survive 2 failures/,
    );
    expect(
      gate(planJoin(buildSnapshot({ replicas: ['healthy'] }), { node: 'worker-1' }), 'even-after')
        .message,
    ).toMatch(/2 replicas tolerate no failure.*Plan the next join too/);
    expect(
      gateIds(planJoin(buildSnapshot({ replicas: ['healthy', 'healthy'] }), { node: 'worker-1' })),
    ).not.toContain('even-after');
  });

  it('too-many-after: more than 7 replicas slows writes', () => {
    const seven = buildSnapshot({ replicas: Array.from({ length: 7 }, () => 'healthy' as const) });
    expect(gate(planJoin(seven, { node: 'worker-1' }), 'too-many-after').severity).toBe('warn');
    expect(gateIds(planJoin(buildSnapshot(), { node: 'worker-1' }))).not.toContain(
      'too-many-after',
    );
  });

  it('insecure-tls: warns about skipping the UCP certificate check', () => {
    const plan = planJoin(
      buildSnapshot({ replicas: ['healthy', 'healthy'], spareDtrNodes: 1 }),
      { node: 'dtr-3', ca: { kind: 'insecure' } },
      { connection: CONNECTION },
    );
    expect(gate(plan, 'insecure-tls').severity).toBe('warn');
    expect(plan.command?.text).toMatch(/--ucp-insecure-tls$/);
    expect(gateIds(planJoin(buildSnapshot(), { node: 'worker-1' }))).not.toContain('insecure-tls');
  });

  it('node-resources: warns below the vendor minimum', () => {
    const small = buildSnapshot({ nodes: { 'worker-1': { memoryBytes: 4 * GIB } } });
    expect(gate(planJoin(small, { node: 'worker-1' }), 'node-resources').message).toMatch(/16 GB/);
    expect(gateIds(planJoin(buildSnapshot(), { node: 'worker-1' }))).not.toContain(
      'node-resources',
    );
  });

  it('tables-not-writable: blocks a join until every table takes writes', () => {
    const status = buildSnapshot();
    status.dtr.clusterView!.tablesReadyForWrites = false;
    expect(gate(planJoin(status, { node: 'worker-1' }), 'tables-not-writable').severity).toBe(
      'block',
    );
  });

  it('existing replica must be healthy and listed', () => {
    expect(
      gateIds(planJoin(buildSnapshot(), { node: 'worker-1', existingReplicaId: 'ffffffffffff' })),
    ).toContain('existing-unknown');
  });

  it('invalid-input: equal HTTP and HTTPS ports give no command, in the words the form uses', () => {
    const plan = planJoin(
      buildSnapshot({ replicas: ['healthy', 'healthy'], spareDtrNodes: 1 }),
      { node: 'dtr-3', httpPort: 8443, httpsPort: 8443 },
      { connection: CONNECTION },
    );
    expect(plan.ok).toBe(false);
    expect(plan.command).toBeUndefined();
    expect(gate(plan, 'invalid-input').message).toBe('HTTPS port must differ from HTTP port.');
    expect(plan.inputProblems).toEqual({ httpsPort: 'HTTPS port must differ from HTTP port.' });
  });

  it('invalid-input: an HTTP port equal to the HTTPS port the command would use anyway', () => {
    // No HTTPS port given: the tool's 443 applies, so HTTP 443 collides with it.
    const plan = planJoin(
      buildSnapshot({ spareDtrNodes: 1 }),
      { node: 'dtr-4', httpPort: 443 },
      { connection: CONNECTION },
    );
    expect(gate(plan, 'invalid-input').message).toBe('HTTPS port must differ from HTTP port.');
    expect(
      planJoin(buildSnapshot({ spareDtrNodes: 1 }), { node: 'dtr-4', httpPort: 8080 })
        .inputProblems,
    ).toEqual({});
  });

  it('invalid-input: a port out of range or a malformed replica ID, said for people', () => {
    const plan = planJoin(
      buildSnapshot({ spareDtrNodes: 1 }),
      { node: 'dtr-4', httpPort: 0, httpsPort: 70000, replicaId: 'ABCDEF' },
      { connection: CONNECTION },
    );
    expect(plan.command).toBeUndefined();
    expect(plan.inputProblems).toEqual({
      replicaId: 'A replica ID is 12 lowercase hex characters.',
      httpPort: 'A port is a whole number from 1 to 65535.',
      httpsPort: 'A port is a whole number from 1 to 65535.',
    });
    expect(gate(plan, 'invalid-input').message).not.toMatch(/httpPort|httpsPort|replicaId/);
  });

  it('a builder refusal the plan did not foresee names the setting, not the option', () => {
    const plan = planJoin(
      buildSnapshot({ spareDtrNodes: 1 }),
      { node: 'dtr-4' },
      { connection: CONNECTION, pinnedVersion: 'latest' },
    );
    expect(gate(plan, 'invalid-input').message).toBe(
      'The DTR version cannot go in the command: use the installed DTR version, never "latest".',
    );
  });
});

function even4() {
  return expect.objectContaining({ id: 'even-after', severity: 'warn' });
}
