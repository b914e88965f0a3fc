import { describe, expect, it } from 'vitest';
import { buildSnapshot } from '@/test/support/snapshot';
import { planJoin } from './join';
import {
  joinOptionProblems,
  joinPortDefaults,
  type JoinOptionDrafts,
  type JoinPortDefaults,
} from './join-options';
import { CONNECTION, flat, R1, R2, R3 } from '@/test/support/wizards';

const onPorts = (...pairs: [number, number][]) =>
  buildSnapshot({
    replicas: pairs.map(([httpPort, httpsPort]) => ({ httpPort, httpsPort })),
    spareDtrNodes: 1,
  });

describe('joinPortDefaults', () => {
  it('offers the pair every replica uses', () => {
    expect(joinPortDefaults(onPorts([8080, 8443], [8080, 8443], [8080, 8443]))).toEqual({
      ports: { httpPort: 8080, httpsPort: 8443 },
      note: null,
    });
  });

  it('offers none when the replicas differ, and says which use what', () => {
    const defaults = joinPortDefaults(onPorts([80, 443], [80, 443], [8080, 8443]));
    expect(defaults.ports).toBeNull();
    expect(defaults.note).toBe(
      `The replicas use different HTTP/HTTPS ports (80/443 on ${R1} and ${R2} and 8080/8443 on ${R3}), ` +
        'so there is no default: give the ports your load balancer expects for the new replica, or the tool uses 80/443.',
    );
  });
});

describe('the join command uses the default ports', () => {
  it('sets the replicas’ shared ports when they are not the tool’s own 80/443', () => {
    const plan = planJoin(
      onPorts([8080, 8443], [8080, 8443], [8080, 8443]),
      { node: 'dtr-4' },
      { connection: CONNECTION },
    );
    expect(plan.ports).toEqual({ httpPort: 8080, httpsPort: 8443 });
    expect(flat(plan.command?.text)).toMatch(
      / --replica-http-port 8080 --replica-https-port 8443 /,
    );
  });

  it('leaves the flags out on a cluster on 80/443, and when the replicas differ', () => {
    for (const status of [onPorts([80, 443], [80, 443]), onPorts([80, 443], [8080, 8443])]) {
      const plan = planJoin(status, { node: 'dtr-3' }, { connection: CONNECTION });
      expect(plan.ports).toEqual({});
      expect(plan.command?.text).not.toMatch(/--replica-http/);
    }
  });

  it('takes the person’s ports over the default, port by port', () => {
    const plan = planJoin(
      onPorts([8080, 8443], [8080, 8443]),
      { node: 'dtr-3', httpPort: 9080 },
      { connection: CONNECTION },
    );
    expect(flat(plan.command?.text)).toMatch(
      / --replica-http-port 9080 --replica-https-port 8443 /,
    );
  });
});

describe('joinOptionProblems: what the options form says at each field', () => {
  const none: JoinPortDefaults = { ports: null, note: null };
  const typed = (
    drafts: Partial<JoinOptionDrafts>,
    defaults = none,
    ca: 'fetch' | 'file' = 'fetch',
  ) =>
    joinOptionProblems(
      { replicaId: '', httpPort: '', httpsPort: '', caPath: '', ...drafts },
      ca,
      defaults,
    );

  it('accepts empty fields and good values', () => {
    expect(typed({})).toEqual({});
    expect(typed({ replicaId: '0123456789ab', httpPort: '8080', httpsPort: '8443' })).toEqual({});
  });

  it('the same HTTP and HTTPS port: at the HTTPS field', () => {
    expect(typed({ httpPort: '8443', httpsPort: '8443' })).toEqual({
      httpsPort: 'HTTPS port must differ from HTTP port.',
    });
    // Against the port the replica would get: the replicas' default, else the tool's 443.
    const shared: JoinPortDefaults = { ports: { httpPort: 8080, httpsPort: 8443 }, note: null };
    expect(typed({ httpPort: '8443' }, shared)).toEqual({
      httpsPort: 'HTTPS port must differ from HTTP port.',
    });
    expect(typed({ httpPort: '443' })).toEqual({
      httpsPort: 'HTTPS port must differ from HTTP port.',
    });
  });

  it('a port that is not a whole number from 1 to 65535', () => {
    for (const port of ['0', '65536', '80a', '-1', '8.5', '123456']) {
      expect(typed({ httpPort: port })).toEqual({
        httpPort: 'A port is a whole number from 1 to 65535.',
      });
    }
  });

  it('a replica ID that is not 12 lowercase hex characters', () => {
    for (const id of ['0123456789AB', '0123456789a', 'ghijklmnopqr']) {
      expect(typed({ replicaId: id })).toEqual({
        replicaId: 'A replica ID is 12 lowercase hex characters.',
      });
    }
  });

  it('a CA path only when the CA comes from a file', () => {
    expect(typed({ caPath: '-rf' }, none, 'file')).toEqual({
      caPath: 'Give a path of letters, digits and . _ / + - that does not start with "-".',
    });
    expect(typed({ caPath: '' }, none, 'fetch')).toEqual({});
  });
});
