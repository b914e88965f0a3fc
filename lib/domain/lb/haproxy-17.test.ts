// HAProxy 1.7 is what the DTR load-balancer document runs (haproxy:1.7-alpine), but Debian ships
// only HAProxy 2.x, so `haproxy -c` here cannot prove a file starts on 1.7. This test does it
// with the keyword lists of the HAProxy 1.7 Configuration Manual (doc/configuration.txt,
// "version 1.7, 2018/04/30"): every line of every 1.7 variant must use a keyword that manual
// lists, in a section where it may be used, with server parameters from its section 5.2.
import { describe, expect, it } from 'vitest';
import { GENERATED_AT, replicaSet } from '@/test/support/lb-fixtures';
import { generateLbConfig } from './generate';
import type { LbOptionsInput } from './options';

/** Section 4.1 "Proxy keywords matrix" (the rows we may use): where each keyword is allowed. */
const PROXY_KEYWORDS_17: Record<
  string,
  { defaults: boolean; frontend: boolean; listen: boolean; backend: boolean }
> = {
  balance: { defaults: true, frontend: false, listen: true, backend: true },
  bind: { defaults: false, frontend: true, listen: true, backend: false },
  'default-server': { defaults: true, frontend: false, listen: true, backend: true },
  default_backend: { defaults: true, frontend: true, listen: true, backend: false },
  'http-check expect': { defaults: false, frontend: false, listen: true, backend: true },
  log: { defaults: true, frontend: true, listen: true, backend: true },
  mode: { defaults: true, frontend: true, listen: true, backend: true },
  'option httpchk': { defaults: true, frontend: false, listen: true, backend: true },
  'option redispatch': { defaults: true, frontend: false, listen: true, backend: true },
  'option tcplog': { defaults: true, frontend: true, listen: true, backend: true },
  retries: { defaults: true, frontend: false, listen: true, backend: true },
  server: { defaults: false, frontend: false, listen: true, backend: true },
  'stats enable': { defaults: true, frontend: true, listen: true, backend: true },
  'stats refresh': { defaults: true, frontend: true, listen: true, backend: true },
  'stats uri': { defaults: true, frontend: true, listen: true, backend: true },
  'timeout check': { defaults: true, frontend: false, listen: true, backend: true },
  'timeout client': { defaults: true, frontend: true, listen: true, backend: false },
  'timeout connect': { defaults: true, frontend: false, listen: true, backend: true },
  'timeout server': { defaults: true, frontend: false, listen: true, backend: true },
};

/** Section 3 "Global parameters" (3.1): the global keywords we may use. */
const GLOBAL_KEYWORDS_17 = ['log'];

/** Section 5.3.2 "The resolvers section": every keyword 1.7 has there (no parse-resolv-conf). */
const RESOLVERS_KEYWORDS_17 = ['nameserver', 'hold', 'resolve_retries', 'timeout'];

/**
 * Section 5.2 "Server and default-server options": the parameters we may use, how many values each
 * takes, and its "Supported in default-server" line.
 */
const SERVER_PARAMS_17: Record<string, { values: number; defaultServer: boolean }> = {
  check: { values: 0, defaultServer: false },
  'check-ssl': { values: 0, defaultServer: false },
  fall: { values: 1, defaultServer: true },
  'init-addr': { values: 1, defaultServer: true },
  inter: { values: 1, defaultServer: true },
  resolvers: { values: 1, defaultServer: false },
  rise: { values: 1, defaultServer: true },
  track: { values: 1, defaultServer: false },
  verify: { values: 1, defaultServer: false },
};

type ProxySection = 'defaults' | 'frontend' | 'listen' | 'backend';

/** Every line of an HAProxy config that HAProxy 1.7 would not accept, with the reason. */
function notIn17(text: string): string[] {
  const problems: string[] = [];
  let section = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!raw.startsWith(' ')) {
      section = line.split(/\s+/)[0] ?? '';
      if (!['global', 'defaults', 'frontend', 'backend', 'listen', 'resolvers'].includes(section))
        problems.push(`unknown section: ${line}`);
      continue;
    }
    const words = line.split(/\s+/);
    if (section === 'global') {
      if (!GLOBAL_KEYWORDS_17.includes(words[0] ?? '')) problems.push(`global: ${line}`);
      continue;
    }
    if (section === 'resolvers') {
      if (!RESOLVERS_KEYWORDS_17.includes(words[0] ?? '')) problems.push(`resolvers: ${line}`);
      continue;
    }
    const two = words.slice(0, 2).join(' ');
    const keyword = two in PROXY_KEYWORDS_17 ? two : (words[0] ?? '');
    const where = PROXY_KEYWORDS_17[keyword];
    if (!where) {
      problems.push(`${section}: ${line}`);
      continue;
    }
    if (!where[section as ProxySection]) problems.push(`not allowed in ${section}: ${line}`);
    if (keyword === 'server' || keyword === 'default-server') {
      // server <name> <address> [params]; default-server [params]
      const params = words.slice(keyword === 'server' ? 3 : 1);
      for (let i = 0; i < params.length; i += 1) {
        const name = params[i] ?? '';
        const spec = SERVER_PARAMS_17[name];
        if (!spec) problems.push(`${keyword} parameter ${name}: ${line}`);
        else if (keyword === 'default-server' && !spec.defaultServer)
          problems.push(`default-server cannot take ${name} in 1.7: ${line}`);
        i += spec?.values ?? 0;
      }
    }
  }
  return problems;
}

const haproxy = (options: Partial<LbOptionsInput>, count = 3) =>
  generateLbConfig(replicaSet(count, { addresses: 'mixed', customPorts: true }), {
    kind: 'haproxy',
    generatedAt: GENERATED_AT,
    ...options,
  }).text;

describe('HAProxy 1.7 keywords', () => {
  const variants: [string, Partial<LbOptionsInput>][] = [
    ['the defaults', {}],
    ['HTTP check', { checkScheme: 'http' }],
    [
      'stats page, other ports and timings',
      {
        stats: true,
        statsPort: 9090,
        httpPort: 8080,
        httpsPort: 8443,
        checkIntervalMs: 2500,
        rise: 1,
        fall: 2,
      },
    ],
  ];

  it.for(variants)(
    'the 1.7 config (%s) uses only what the HAProxy 1.7 manual lists',
    ([, options]) => {
      for (const count of [1, 3, 7]) expect(notIn17(haproxy(options, count))).toEqual([]);
    },
  );

  it('catches what 1.7 does not have: the 2.2 variant fails the same check', () => {
    // Proves the lists are not so loose that anything passes.
    expect(notIn17(haproxy({ haproxyVersion: '2.2' }, 1))).toEqual([
      'default-server cannot take resolvers in 1.7: default-server init-addr last,libc,none resolvers system',
      'resolvers: parse-resolv-conf',
      'backend: http-check send meth GET uri /_ping ver HTTP/1.1 hdr Host 10.0.0.10',
    ]);
  });
});
