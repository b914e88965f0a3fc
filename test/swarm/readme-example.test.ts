// The README's live-mode examples parse as a working configuration (the Swarm one also runs
// against a real Swarm in console.test.ts), and the README's copy matches the tested one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { clusterTargetFromConfig, loadConfig } from '@/lib/config';
import {
  EXAMPLE_FILE,
  EXAMPLE_SOCKET,
  exampleBlock,
  exampleEnv,
  readmeBlock,
} from './live-example';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

describe('the README live-mode examples', () => {
  it('UCP: starts live with verified TLS, the password read from its file', () => {
    const config = loadConfig(exampleEnv('ucp'));
    if (config.mode !== 'live') throw new Error('expected live mode');
    const files: Record<string, string> = {
      '/run/secrets/ucp-password': 'from-the-file\n',
      '/etc/dtr-console/ucp-ca.pem': PEM,
      '/etc/dtr-console/dtr-ca.pem': PEM,
    };
    const target = clusterTargetFromConfig(config, (file) => {
      const text = files[file];
      if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
      return text;
    });
    expect(target.ucp).toMatchObject({
      url: 'https://ucp.example.com',
      username: 'dtr-console',
      password: 'from-the-file',
      ca: PEM,
      insecureTls: false,
    });
    expect(target.dtr).toMatchObject({
      url: 'https://dtr.example.com',
      ca: PEM,
      insecureTls: false,
    });
  });

  it('plain Swarm: starts live on the socket, Swarm-only, with nothing else set', () => {
    expect(exampleEnv('swarm')).toEqual({ DOCKER_HOST: `unix://${EXAMPLE_SOCKET}`, AUTH: 'off' });
    expect(loadConfig(exampleEnv('swarm'))).toMatchObject({
      mode: 'live',
      ucp: null,
      dtr: null,
      engine: { kind: 'unix', socketPath: EXAMPLE_SOCKET },
    });
  });

  it('README.md, once the section is pasted, shows exactly the tested lines', () => {
    const tested = readFileSync(EXAMPLE_FILE, 'utf8');
    for (const name of ['ucp', 'swarm'] as const) {
      const inReadme = readmeBlock(name);
      if (inReadme !== null) expect(inReadme).toBe(exampleBlock(tested, name));
    }
  });
});
