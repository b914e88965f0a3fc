// No credential the console polls with — password, UCP bearer token, DTR basic-auth header —
// appears in a snapshot, an assessment, a log line or an error message, in good times or bad.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ClusterTarget } from '@/lib/config';
import { assessCluster } from '@/lib/domain/assess';
import type { ClusterSnapshot } from '@/lib/domain/types';
import { startDemoCluster, type DemoCluster } from '@/lib/demo';
import { createDtrClient } from '@/lib/sources/dtr';
import { createUcpClient } from '@/lib/sources/ucp';
import { Monitor } from './monitor';

const USER = 'leak-test-svc';
const PASSWORD = 'Pw-9f3c1e7a-unique-d41b';
const WRONG_PASSWORD = 'Wrong-5be2a0c4-unique-77e1';

/** Every Authorization header value the console sent, as seen by undici itself. */
const sentAuthorizations = new Set<string>();
function onRequestCreate(message: unknown): void {
  const headers = (message as { request: { headers: unknown } }).request.headers;
  const pairs: [string, string][] = [];
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2)
      pairs.push([String(headers[i]), String(headers[i + 1])]);
  } else if (typeof headers === 'string') {
    for (const line of headers.split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) pairs.push([line.slice(0, colon), line.slice(colon + 1).trim()]);
    }
  }
  for (const [name, value] of pairs)
    if (name.toLowerCase() === 'authorization') sentAuthorizations.add(value);
}

let demo: DemoCluster;
const output: string[] = [];

beforeAll(async () => {
  subscribe('undici:request:create', onRequestCreate);
  demo = await startDemoCluster({
    seed: 'credential-leak',
    tls: true,
    extraUsers: [{ username: USER, password: PASSWORD, isAdmin: true }],
  });
});
afterAll(async () => {
  unsubscribe('undici:request:create', onRequestCreate);
  await demo.close();
});
afterEach(() => vi.restoreAllMocks());

function target(
  password: string,
  ucp: Partial<NonNullable<ClusterTarget['ucp']>> = {},
): ClusterTarget {
  return {
    ucp: {
      url: demo.ucpUrl,
      username: USER,
      password,
      ca: demo.ucpCa ?? '',
      insecureTls: false,
      ...ucp,
    },
    dtr: { url: demo.dtrUrl, username: USER, password, insecureTls: false, probeScheme: 'http' },
    pollIntervalMs: 1000,
    probeTimeoutMs: 2000,
    dtrVersion: null,
  };
}

/** Runs a monitor for a few polls, keeping everything it shows, says or throws. */
async function observe(
  t: ClusterTarget,
  between: (poll: number) => Promise<void> = async () => {},
) {
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      output.push(args.map(String).join(' '));
    });
  }
  const monitor = new Monitor({
    target: t,
    mode: 'live',
    log: (line) => output.push(line),
    onSnapshot: (s) => output.push(JSON.stringify(s)),
  });
  monitor.subscribe((s) => output.push(JSON.stringify(s)));
  for (let poll = 0; poll < 3; poll++) {
    await between(poll);
    const snapshot: ClusterSnapshot = await monitor.pollNow();
    const warnings = assessCluster(snapshot, { ucpUrl: t.ucp?.url, ucpUsername: t.ucp?.username });
    output.push(JSON.stringify({ ...snapshot, warnings }));
  }
}

/** Errors thrown straight from the adapters, stacks included. */
async function collectErrors(promises: Promise<unknown>[]) {
  for (const result of await Promise.allSettled(promises)) {
    if (result.status === 'rejected') {
      const err = result.reason as Error;
      output.push(`${err.name}: ${err.message}\n${err.stack ?? ''}`, JSON.stringify(err));
    }
  }
}

describe('no credential in any snapshot, assessment, log line or error', () => {
  it('holds through healthy polls, expired tokens, faults, a wrong password and TLS errors', async () => {
    await observe(target(PASSWORD), async (poll) => {
      if (poll === 1) demo.expireTokens();
      if (poll === 2) {
        await demo.setFault('ucp-manager-2', 'error');
        await demo.setFault(demo.describe().replicas[0]?.id ?? '', 'garbage');
      }
    });
    await demo.reset();
    await observe(target(WRONG_PASSWORD));
    await observe(target(PASSWORD, { ca: undefined }));
    await observe(target(PASSWORD, { url: 'https://ucp.invalid' }));

    const ucp = createUcpClient({ ucp: target(WRONG_PASSWORD).ucp!, probeTimeoutMs: 2000 });
    const dtr = createDtrClient({ dtr: target(WRONG_PASSWORD).dtr!, probeTimeoutMs: 2000 });
    await collectErrors([ucp.login(), ucp.listNodes(), dtr.getReplicas(), dtr.getClusterView()]);

    const bearers = [...sentAuthorizations].filter((v) => v.startsWith('Bearer '));
    const basics = [...sentAuthorizations].filter((v) => v.startsWith('Basic '));
    // The capture worked: tokens were issued twice (the second after expiry) and DTR got basic auth.
    expect(new Set(bearers).size).toBeGreaterThanOrEqual(2);
    expect(basics.length).toBeGreaterThanOrEqual(2);

    const secrets = [
      PASSWORD,
      WRONG_PASSWORD,
      ...bearers,
      ...bearers.map((v) => v.slice('Bearer '.length)),
      ...basics,
      ...basics.map((v) => v.slice('Basic '.length)),
    ];
    const everything = output.join('\n');
    expect(output.length).toBeGreaterThan(20);
    expect(everything).toContain('UCP rejected the console');
    expect(everything).toContain('TLS: certificate signed by unknown authority');
    for (const secret of secrets) expect(everything).not.toContain(secret);
  });
});
