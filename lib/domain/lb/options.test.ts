import { describe, expect, it } from 'vitest';
import { LbConfigError } from './errors';
import { GENERATED_AT } from '@/test/support/lb-fixtures';
import {
  LB_OPTION_DEFAULTS,
  LbOptionsSchema,
  parseLbOptions,
  permalinkOf,
  type LbOptionsInput,
} from './options';

const base = { kind: 'haproxy', generatedAt: GENERATED_AT } as const;

function messages(input: Record<string, unknown>): string[] {
  const parsed = LbOptionsSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

function refusal(input: LbOptionsInput): LbConfigError {
  try {
    parseLbOptions(input);
  } catch (error) {
    if (error instanceof LbConfigError) return error;
    throw error;
  }
  throw new Error('accepted');
}

describe('LbOptionsSchema', () => {
  it('fills in listen ports 80/443, checks every 5 s, rise 2, fall 3, no stats page', () => {
    expect(parseLbOptions(base)).toEqual({ ...base, ...LB_OPTION_DEFAULTS });
    expect(LB_OPTION_DEFAULTS).toMatchObject({
      httpPort: 80,
      httpsPort: 443,
      checkIntervalMs: 5000,
      rise: 2,
      fall: 3,
      stats: false,
    });
  });

  it('reads query-string text the way a user writes it', () => {
    const parsed = LbOptionsSchema.parse({
      ...base,
      kind: 'nginx',
      httpsPort: '8443',
      fall: '5',
      stats: 'on',
      statsPort: '9000',
    });
    expect(parsed).toMatchObject({
      kind: 'nginx',
      httpsPort: 8443,
      fall: 5,
      stats: true,
      statsPort: 9000,
    });
    expect(LbOptionsSchema.parse({ ...base, stats: 'false' }).stats).toBe(false);
  });

  it('explains each refusal in words, naming the option', () => {
    expect(messages({ generatedAt: GENERATED_AT })).toEqual([
      'kind: must be one of: haproxy, nginx, elb',
    ]);
    expect(messages({ ...base, kind: 'traefik' })).toEqual([
      'kind: must be one of: haproxy, nginx, elb',
    ]);
    expect(messages({ ...base, httpsPort: '0' })).toEqual([
      'httpsPort: must be a whole number (a port) from 1 to 65535',
    ]);
    expect(messages({ ...base, checkIntervalMs: 'soon' })).toEqual([
      'checkIntervalMs: must be a whole number of milliseconds from 500 to 300000',
    ]);
    expect(messages({ ...base, rise: '1.5' })).toEqual([
      'rise: must be a whole number from 1 to 10',
    ]);
    expect(messages({ ...base, stats: 'maybe' })).toEqual(['stats: must be true or false']);
    expect(messages({ ...base, knid: 'nginx' })).toEqual([': Unrecognized key: "knid"']);
    expect(messages({ kind: 'haproxy', generatedAt: 'yesterday' })).toEqual([
      'generatedAt: must be an ISO 8601 date-time, e.g. 2024-05-01T12:00:00Z',
    ]);
  });

  it('refuses combinations no load balancer can run', () => {
    expect(messages({ ...base, httpPort: 443 })).toEqual([
      'httpsPort: must differ from httpPort (both are 443)',
    ]);
    expect(messages({ ...base, stats: true, statsPort: 80 })).toEqual([
      'statsPort: must differ from httpPort and httpsPort (is 80)',
    ]);
    expect(messages({ ...base, statsPort: 80 })).toEqual([]); // no stats page, nothing listens there
    expect(messages({ ...base, checkIntervalMs: 1000, checkTimeoutMs: 1000 })[0]).toMatch(
      /^checkTimeoutMs: must be shorter than checkIntervalMs/,
    );
  });

  it('refuses swapped ports and HTTP/HTTPS on each other’s well-known port, in a sentence', () => {
    expect(messages({ ...base, httpPort: 443, httpsPort: 80 })).toEqual([
      'httpPort: is 443 and httpsPort is 80: the two are swapped. Clients send HTTPS to port 443 and plain HTTP to port 80, so as given TLS would reach the replicas’ HTTP port; use httpPort=80 and httpsPort=443',
      'httpsPort: is 80 and httpPort is 443: the two are swapped; use httpPort=80 and httpsPort=443',
    ]);
    // Query-string text, as the API passes it, is refused the same way, by every kind.
    for (const kind of ['haproxy', 'nginx', 'elb']) {
      expect(messages({ ...base, kind, httpPort: '443', httpsPort: '80' })).toHaveLength(2);
    }
    expect(messages({ ...base, httpsPort: 80, httpPort: 8080 })).toEqual([
      'httpsPort: must not be 80: clients send plain HTTP to port 80, and this port goes to the replicas’ HTTPS port; use 443 or a port from 1024 such as 8443',
    ]);
    expect(messages({ ...base, httpPort: 443, httpsPort: 8443 })).toEqual([
      'httpPort: must not be 443: clients send HTTPS to port 443, and this port goes to the replicas’ HTTP port; use 80 or a port from 1024 such as 8080',
    ]);
    expect(refusal({ ...base, httpPort: 443, httpsPort: 80 }).message).toMatch(
      /^httpPort: is 443 and httpsPort is 80: the two are swapped\./,
    );
    // The usual layout and the usual alternatives pass.
    expect(messages({ ...base, httpPort: 80, httpsPort: 443 })).toEqual([]);
    expect(messages({ ...base, httpPort: 8080, httpsPort: 8443 })).toEqual([]);
    expect(messages({ ...base, httpPort: 80, httpsPort: 8443 })).toEqual([]);
    expect(messages({ ...base, httpPort: 8443, httpsPort: 8080 })).toEqual([]);
  });

  it('defaults to HAProxy 1.7 syntax and NGINX with the stream module built in', () => {
    const parsed = parseLbOptions(base);
    expect(parsed.haproxyVersion).toBe('1.7');
    expect(parsed.nginxStreamModule).toBe('builtin');
    expect(messages({ ...base, haproxyVersion: '2.0' })).toEqual([
      'haproxyVersion: must be one of: 1.7, 2.2',
    ]);
    expect(permalinkOf(parseLbOptions({ ...base, haproxyVersion: '2.2' }))).toBe(
      '/api/load-balancer/config?kind=haproxy&haproxyVersion=2.2',
    );
    expect(
      permalinkOf(parseLbOptions({ ...base, kind: 'nginx', nginxStreamModule: 'debian' })),
    ).toBe('/api/load-balancer/config?kind=nginx&nginxStreamModule=debian');
  });

  it('holds ELB to the limits AWS enforces', () => {
    const elb = { ...base, kind: 'elb' };
    expect(messages(elb)).toEqual([]);
    expect(messages({ ...elb, checkIntervalMs: 2000, checkTimeoutMs: 1000 })).toEqual([
      'checkIntervalMs: for ELB must be whole seconds from 5000 to 300000',
      'checkTimeoutMs: for ELB must be whole seconds from 2000 to 60000',
    ]);
    expect(messages({ ...elb, rise: 1, fall: 1 })).toEqual([
      'rise: for ELB (HealthyThreshold) must be from 2 to 10',
      'fall: for ELB (UnhealthyThreshold) must be from 2 to 10',
    ]);
    expect(messages({ ...elb, httpPort: 81 })).toEqual([
      'httpPort: for ELB must be 25, 80, 443, 465, 587 or 1024 to 65535',
    ]);
    expect(messages({ ...elb, stats: true })).toEqual([
      'stats: ELB has no stats page; use its CloudWatch metrics',
    ]);
    expect(messages({ ...elb, idleTimeoutMs: 5_000_000 })).toEqual([
      'idleTimeoutMs: for ELB must be whole seconds from 1000 to 4000000',
    ]);
  });

  it('parseLbOptions throws a typed error for the first problem', () => {
    const error = refusal({ ...base, fall: 11 });
    expect(error).toBeInstanceOf(LbConfigError);
    expect(error.field).toBe('fall');
    expect(error.message).toBe('fall: must be a whole number from 1 to 10');
  });
});

describe('permalink', () => {
  it('normalises the console URL and refuses anything that could break out of a comment line', () => {
    expect(
      parseLbOptions({ ...base, permalinkBase: 'https://Console.Example.com:8443/dtr/' })
        .permalinkBase,
    ).toBe('https://console.example.com:8443/dtr');
    expect(parseLbOptions({ ...base, permalinkBase: 'http://[fd00::1]:3000' }).permalinkBase).toBe(
      'http://[fd00::1]:3000',
    );
    for (const hostile of [
      'https://console.example.com\n    server evil 6.6.6.6:443',
      'https://console.example.com/\r\nx',
      'https://console.example.com/?a=b',
      'https://console.example.com/#x',
      'https://user:secret@console.example.com',
      'javascript:alert(1)',
      'https://console.example.com/a;b',
      'https://console.example.com/%0a',
      'https://bad_host.example.com',
      'console.example.com',
    ]) {
      expect(refusal({ ...base, permalinkBase: hostile }).field, hostile).toBe('permalinkBase');
    }
  });

  it('names only the options that differ from the defaults and matter to the kind', () => {
    expect(permalinkOf(parseLbOptions(base))).toBe('/api/load-balancer/config?kind=haproxy');
    const nginx = parseLbOptions({
      ...base,
      kind: 'nginx',
      permalinkBase: 'https://c.example.com',
      httpsPort: 8443,
      rise: 5,
      failTimeoutMs: 30_000,
      statsPort: 9000,
    });
    // rise means nothing to NGINX; statsPort only counts with the stats page on.
    expect(permalinkOf(nginx)).toBe(
      'https://c.example.com/api/load-balancer/config?kind=nginx&httpsPort=8443&failTimeoutMs=30000',
    );
    expect(permalinkOf(parseLbOptions({ ...base, stats: true, statsPort: 9000 }))).toBe(
      '/api/load-balancer/config?kind=haproxy&stats=true&statsPort=9000',
    );
  });

  it('round-trips: the permalink query parses back to the same options', () => {
    const options = parseLbOptions({
      ...base,
      kind: 'elb',
      checkScheme: 'http',
      checkIntervalMs: 10_000,
      fall: 4,
      httpPort: 8080,
    });
    const query = Object.fromEntries(new URL(permalinkOf(options), 'http://x').searchParams);
    expect(LbOptionsSchema.parse({ ...query, generatedAt: GENERATED_AT })).toEqual(options);
  });
});
