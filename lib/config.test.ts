import { describe, expect, it } from 'vitest';
import {
  clusterTargetFromConfig,
  ConfigError,
  DEFAULTS,
  loadConfig,
  parseConfig,
  type LiveConfig,
} from './config';

const LIVE = {
  UCP_URL: 'https://ucp.example.com',
  UCP_USERNAME: 'admin',
  UCP_PASSWORD: 's3cret-pa55',
  DTR_URL: 'https://dtr.example.com:4443/',
  SESSION_SECRET: 'a-session-secret-that-is-long-enough-to-sign',
};

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

function live(env: Record<string, string | undefined>): LiveConfig {
  const config = parseConfig(env);
  if (config.mode !== 'live') throw new Error('expected live mode');
  return config;
}

describe('parseConfig', () => {
  it('runs the demo cluster when no cluster is configured, with defaults', () => {
    expect(parseConfig({})).toEqual({
      mode: 'demo',
      pollIntervalMs: 2000,
      probeTimeoutMs: 1500,
      offlineLongMs: 30 * 60 * 1000,
      zoneLabel: 'zone',
      databaseUrl: DEFAULTS.databaseUrl,
      port: 3000,
      auth: 'on',
      sessionSecret: null,
      sessionTtlMs: 8 * 3_600_000,
      metricsToken: null,
      trustProxy: 0,
      demo: { managers: 3, replicas: 3, caches: 2, workers: 4 },
    });
    expect(loadConfig({ UCP_URL: '  ', PORT: '8080' })).toMatchObject({ mode: 'demo', port: 8080 });
  });

  it('sizes the demo cluster from DEMO_* variables and refuses nonsense', () => {
    expect(parseConfig({ DEMO_WORKERS: '2000', DEMO_REPLICAS: '7' })).toMatchObject({
      mode: 'demo',
      demo: { managers: 3, replicas: 7, caches: 2, workers: 2000 },
    });
    expect(problemsOf({ DEMO_REPLICAS: '0', DEMO_WORKERS: 'lots' })).toEqual([
      'DEMO_REPLICAS: expected a whole number from 1 to 9, got "0" (e.g. DEMO_REPLICAS=3)',
      'DEMO_WORKERS: expected a whole number from 0 to 10000, got "lots" (e.g. DEMO_WORKERS=2000)',
    ]);
  });

  it('requires a session secret in live mode unless sign-in is off, and never echoes it', () => {
    const { SESSION_SECRET: _omit, ...noSecret } = LIVE;
    void _omit;
    const problems = problemsOf(noSecret);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SESSION_SECRET: required in live mode/);
    expect(live({ ...noSecret, AUTH: 'off' }).auth).toBe('off');
    const short = problemsOf({ ...LIVE, SESSION_SECRET: 'short-secret-value' });
    expect(short[0]).toMatch(/^SESSION_SECRET: must be at least 32 characters/);
    expect(short.join('\n')).not.toContain('short-secret-value');
    expect(problemsOf({ AUTH: 'maybe' })[0]).toMatch(/^AUTH: expected on or off/);
    const config = live({ ...LIVE, METRICS_TOKEN: 'scrape-token-0123456789', TRUST_PROXY: '1' });
    expect(config.trustProxy).toBe(1);
    expect(JSON.stringify(config)).not.toContain(LIVE.SESSION_SECRET);
    expect(JSON.stringify(config)).not.toContain('scrape-token-0123456789');
    expect(config.sessionSecret?.reveal()).toBe(LIVE.SESSION_SECRET);
  });

  it('goes live with UCP variables and lets DTR default to the UCP credentials and TLS settings', () => {
    const config = live({
      ...LIVE,
      UCP_CA_FILE: '/etc/ucp/ca.pem',
      UCP_INSECURE_TLS: 'false',
      POLL_INTERVAL_MS: '5000',
    });
    expect(config.ucp).toMatchObject({
      url: 'https://ucp.example.com',
      username: 'admin',
      caFile: '/etc/ucp/ca.pem',
      insecureTls: false,
    });
    expect(config.dtr).toMatchObject({
      url: 'https://dtr.example.com:4443',
      username: 'admin',
      caFile: '/etc/ucp/ca.pem',
      probeScheme: 'https',
    });
    expect(config.dtr.password).toBe(config.ucp?.password);
    expect(config.pollIntervalMs).toBe(5000);
    expect(config.dtrVersion).toBeNull();
  });

  it('keeps DTR-specific settings when given', () => {
    const config = live({
      ...LIVE,
      DTR_USERNAME: 'dtr-bot',
      DTR_PASSWORD: 'token',
      DTR_CA_FILE: '/etc/dtr/ca.pem',
      DTR_INSECURE_TLS: 'yes',
      DTR_PROBE_SCHEME: 'HTTP',
      DTR_VERSION: '2.9.16',
      DOCKER_HOST: 'unix:///var/run/docker.sock',
    });
    expect(config.dtr).toMatchObject({
      username: 'dtr-bot',
      caFile: '/etc/dtr/ca.pem',
      insecureTls: true,
      probeScheme: 'http',
    });
    expect(config.dtrVersion).toBe('2.9.16');
    expect(config.dockerHost).toBe('unix:///var/run/docker.sock');
  });

  it('never shows a password when the config is printed', () => {
    const config = live(LIVE);
    expect(JSON.stringify(config)).not.toContain('s3cret-pa55');
    const password = config.dtr.password;
    expect(password.kind === 'inline' && `${password.secret}`).toBe('[redacted]');
  });

  it('reports one clear line per problem', () => {
    const problems = problemsOf({
      UCP_URL: 'not-a-url',
      POLL_INTERVAL_MS: 'abc',
      UCP_INSECURE_TLS: 'maybe',
      PORT: '99999',
    });
    expect(problems).toEqual([
      'UCP_URL: not a valid URL: "not-a-url" (e.g. UCP_URL=https://ucp.example.com)',
      'UCP_INSECURE_TLS: expected true or false, got "maybe" (e.g. UCP_INSECURE_TLS=false)',
      'POLL_INTERVAL_MS: expected a whole number of milliseconds, got "abc" (e.g. POLL_INTERVAL_MS=2000)',
      'PORT: expected a TCP port 1-65535, got "99999" (e.g. PORT=3000)',
    ]);
    for (const line of problems) expect(line).not.toContain('\n');
  });

  it('says which credential is missing for a UCP URL, and never echoes the password', () => {
    expect(
      problemsOf({
        UCP_URL: 'https://ucp.example.com',
        DTR_URL: 'https://dtr.example.com',
        SESSION_SECRET: LIVE.SESSION_SECRET,
      }),
    ).toEqual([
      'UCP_USERNAME: required when UCP_URL is set (e.g. UCP_USERNAME=admin)',
      'UCP_PASSWORD: required when UCP_URL is set; set UCP_PASSWORD or UCP_PASSWORD_FILE (e.g. UCP_PASSWORD_FILE=/run/secrets/ucp-password)',
    ]);
    const err = (() => {
      try {
        parseConfig({ ...LIVE, UCP_PASSWORD_FILE: '/run/secrets/p', POLL_INTERVAL_MS: '5' });
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(err?.message).toContain('POLL_INTERVAL_MS: must be between 100 and 3600000, got 5');
    expect(parseConfigMessage({ ...LIVE, UCP_PASSWORD_FILE: '/run/secrets/p' })).toBe(
      'UCP_PASSWORD_FILE: set either UCP_PASSWORD or UCP_PASSWORD_FILE, not both',
    );
    expect(err?.message).not.toContain('s3cret-pa55');
  });

  it('requires DTR_URL for a live cluster and UCP_URL for a DTR URL', () => {
    expect(
      problemsOf({
        UCP_URL: 'https://ucp.example.com',
        UCP_USERNAME: 'admin',
        UCP_PASSWORD: 'x',
        SESSION_SECRET: LIVE.SESSION_SECRET,
      }),
    ).toEqual([
      'DTR_URL: required when UCP_URL or DOCKER_HOST is set; the console reads the replica list from the DTR API (e.g. DTR_URL=https://dtr.example.com)',
    ]);
    expect(
      problemsOf({ DTR_URL: 'https://dtr.example.com', SESSION_SECRET: LIVE.SESSION_SECRET })[0],
    ).toMatch(/^UCP_URL: required when DTR_URL is set/);
  });

  it('rejects credentials inside a URL without echoing them', () => {
    const [line] = problemsOf({ ...LIVE, DTR_URL: 'https://admin:hunter2@dtr.example.com' });
    expect(line).toMatch(/^DTR_URL: must not contain credentials/);
    expect(line).not.toContain('hunter2');
  });

  it('accepts DOCKER_HOST as the cluster source but says a target cannot be built from it yet', () => {
    const config = live({
      DOCKER_HOST: 'tcp://10.0.0.5:2376',
      DTR_URL: 'https://dtr',
      DTR_USERNAME: 'a',
      DTR_PASSWORD: 'b',
      SESSION_SECRET: LIVE.SESSION_SECRET,
    });
    expect(config.ucp).toBeNull();
    expect(() => clusterTargetFromConfig(config, () => '')).toThrow(
      /^DOCKER_HOST: polling a plain Swarm manager is not supported yet/,
    );
  });
});

function parseConfigMessage(env: Record<string, string | undefined>): string {
  try {
    parseConfig(env);
    return '';
  } catch (err) {
    return (err as Error).message;
  }
}

describe('clusterTargetFromConfig', () => {
  const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

  it('reads CA and password files once and shares them with DTR by default', () => {
    const reads: string[] = [];
    const files: Record<string, string> = { '/ca.pem': PEM, '/pw': 'from-file\n' };
    const target = clusterTargetFromConfig(
      live({
        ...LIVE,
        UCP_PASSWORD: undefined,
        UCP_PASSWORD_FILE: '/pw',
        UCP_CA_FILE: '/ca.pem',
        PROBE_TIMEOUT_MS: '300',
      }),
      (path) => {
        reads.push(path);
        const text = files[path];
        if (text === undefined) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
        return text;
      },
    );
    expect(reads.sort()).toEqual(['/ca.pem', '/pw']);
    expect(target).toEqual({
      ucp: {
        url: 'https://ucp.example.com',
        username: 'admin',
        password: 'from-file',
        ca: PEM,
        insecureTls: false,
      },
      dtr: {
        url: 'https://dtr.example.com:4443',
        username: 'admin',
        password: 'from-file',
        ca: PEM,
        insecureTls: false,
        probeScheme: 'https',
      },
      pollIntervalMs: 2000,
      probeTimeoutMs: 300,
      dtrVersion: null,
    });
  });

  it('names the variable and the file it could not use', () => {
    const config = live({
      ...LIVE,
      UCP_CA_FILE: '/missing.pem',
      DTR_CA_FILE: '/not-pem',
      DTR_PASSWORD_FILE: '/missing-pw',
    });
    const read = (path: string) => {
      if (path === '/not-pem') return 'hello';
      throw Object.assign(new Error('x'), { code: 'ENOENT' });
    };
    expect(() => clusterTargetFromConfig(config, read)).toThrow(ConfigError);
    try {
      clusterTargetFromConfig(config, read);
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'UCP_CA_FILE: cannot read /missing.pem: no such file',
        'DTR_CA_FILE: /not-pem holds no PEM certificate (expected "-----BEGIN CERTIFICATE-----"; UCP serves its CA at /ca)',
        'DTR_PASSWORD_FILE: cannot read /missing-pw: no such file',
      ]);
    }
  });
});
