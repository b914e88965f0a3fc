import { describe, expect, it } from 'vitest';
import {
  clusterTargetFromConfig,
  ConfigError,
  DEFAULTS,
  loadConfig,
  parseConfig,
  type LiveConfig,
} from '.';

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
      wizardRunTtlMs: 3_600_000,
      metricsToken: null,
      trustProxy: 0,
      lbStatsUrl: null,
      demo: { managers: 3, replicas: 3, caches: 3, workers: 4 },
      demoServicePassword: null,
      execute: null,
    });
    expect(loadConfig({ UCP_URL: '  ', PORT: '8080' })).toMatchObject({ mode: 'demo', port: 8080 });
  });

  it('reads how long a wizard run’s plan holds, in milliseconds, and refuses nonsense', () => {
    expect(parseConfig({ WIZARD_RUN_TTL_MS: '900000' }).wizardRunTtlMs).toBe(900_000);
    expect(problemsOf({ WIZARD_RUN_TTL_MS: '1h' })).toEqual([
      'WIZARD_RUN_TTL_MS: expected a whole number of milliseconds, got "1h" (e.g. WIZARD_RUN_TTL_MS=3600000)',
    ]);
    expect(problemsOf({ WIZARD_RUN_TTL_MS: '5000' })).toEqual([
      'WIZARD_RUN_TTL_MS: must be between 60000 and 604800000, got 5000 (e.g. WIZARD_RUN_TTL_MS=3600000)',
    ]);
  });

  it('sizes the demo cluster from DEMO_* variables and refuses nonsense', () => {
    expect(parseConfig({ DEMO_WORKERS: '2000', DEMO_REPLICAS: '7' })).toMatchObject({
      mode: 'demo',
      demo: { managers: 3, replicas: 7, caches: 3, workers: 2000 },
    });
    expect(problemsOf({ DEMO_REPLICAS: '0', DEMO_WORKERS: 'lots' })).toEqual([
      'DEMO_REPLICAS: expected a whole number from 1 to 9, got "0" (e.g. DEMO_REPLICAS=3)',
      'DEMO_WORKERS: expected a whole number from 0 to 10000, got "lots" (e.g. DEMO_WORKERS=2000)',
    ]);
  });

  it('refuses to share Postgres between demo consoles, each of which would watch its own demo', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'postgres://console:pw@db/console' });
    expect(problem).toMatch(/^DATABASE_URL: .*npm run demo-cluster/);
    expect(problem).not.toContain('pw@');
    expect(
      parseConfig({
        DATABASE_URL: 'postgres://console@db/console',
        UCP_URL: 'https://ucp.example.com',
        UCP_USERNAME: 'admin',
        UCP_PASSWORD: 'secret',
        DTR_URL: 'https://dtr.example.com',
        SESSION_SECRET: 'x'.repeat(32),
      }),
    ).toMatchObject({ mode: 'live', databaseUrl: 'postgres://console@db/console' });
  });

  it('takes an HAProxy stats URL with a path, and refuses other schemes without echoing them', () => {
    expect(live({ ...LIVE, LB_STATS_URL: 'http://lb.example.com:8404/stats' }).lbStatsUrl).toBe(
      'http://lb.example.com:8404/stats',
    );
    const [line] = problemsOf({ ...LIVE, LB_STATS_URL: 'ftp://admin:hunter2@lb/stats' });
    expect(line).toMatch(/^LB_STATS_URL: must start with http/);
    expect(line).not.toContain('hunter2');
  });

  it('refuses plain http:// to another machine unless ALLOW_PLAINTEXT_CREDENTIALS says so (#18 item 6)', () => {
    const http = { ...LIVE, UCP_URL: 'http://10.0.0.5', DTR_URL: 'http://dtr.example.com' };
    const problems = problemsOf(http);
    expect(problems.filter((p) => /plain http:\/\/ would send/.test(p))).toHaveLength(2);
    expect(problems[0]).toMatch(/^UCP_URL: .*ALLOW_PLAINTEXT_CREDENTIALS=true/);
    expect(problems.join('\n')).not.toContain(LIVE.UCP_PASSWORD);
    expect(live({ ...http, ALLOW_PLAINTEXT_CREDENTIALS: 'true' })).toMatchObject({
      allowPlaintextCredentials: true,
    });
    // Loopback never leaves the machine (a local demo-cluster): allowed without the setting.
    expect(
      live({ ...LIVE, UCP_URL: 'http://127.0.0.1:8080', DTR_URL: 'http://localhost:8081' }),
    ).toMatchObject({ allowPlaintextCredentials: false });
    expect(live(LIVE).allowPlaintextCredentials).toBe(false);
  });

  it('takes PROBE_ALLOWED_HOSTS as names and IPs, lowercased, and refuses anything else', () => {
    expect(live(LIVE).probeAllowedHosts).toEqual([]);
    expect(
      live({ ...LIVE, PROBE_ALLOWED_HOSTS: 'Cache-EU.example.com, 10.0.4.17 [fd00::7]' })
        .probeAllowedHosts,
    ).toEqual(['cache-eu.example.com', '10.0.4.17', 'fd00::7']);
    const [line] = problemsOf({ ...LIVE, PROBE_ALLOWED_HOSTS: 'ok.example.com,http://x/y' });
    expect(line).toMatch(/^PROBE_ALLOWED_HOSTS: expected host names or IP addresses/);
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
    expect(config.dtr?.password).toBe(config.ucp?.password);
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
    });
    expect(config.dtr).toMatchObject({
      username: 'dtr-bot',
      caFile: '/etc/dtr/ca.pem',
      insecureTls: true,
      probeScheme: 'http',
    });
    expect(config.dtrVersion).toBe('2.9.16');
  });

  it('never shows a password when the config is printed', () => {
    const config = live(LIVE);
    expect(JSON.stringify(config)).not.toContain('s3cret-pa55');
    const password = config.dtr?.password;
    expect(password?.kind === 'inline' && `${password.secret}`).toBe('[redacted]');
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
      'DTR_URL: required when UCP_URL is set; the console reads the replica list from the DTR API (e.g. DTR_URL=https://dtr.example.com)',
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
});

describe('DOCKER_HOST: a plain Swarm manager as the cluster source', () => {
  const SWARM = { DOCKER_HOST: 'unix:///var/run/docker.sock', AUTH: 'off' };
  const BUNDLE = {
    DOCKER_HOST: 'tcp://ucp.example.com:443',
    DOCKER_CERT_PATH: '/etc/console/bundle',
    DOCKER_TLS_VERIFY: '1',
    AUTH: 'off',
  };
  const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const KEY = '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n';
  const bundleFiles: Record<string, string> = {
    '/etc/console/bundle/ca.pem': PEM,
    '/etc/console/bundle/cert.pem': PEM.replace('MIIB', 'MIIC'),
    '/etc/console/bundle/key.pem': KEY,
  };
  const readFrom = (files: Record<string, string>) => (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('x'), { code: 'ENOENT' });
    return text;
  };

  it('runs Swarm-only from a unix socket alone: no UCP, DTR not configured', async () => {
    const config = live(SWARM);
    expect(config).toMatchObject({
      ucp: null,
      dtr: null,
      engine: { kind: 'unix', socketPath: '/var/run/docker.sock' },
      dockerHost: 'unix:///var/run/docker.sock',
    });
    await expect(config.resolveTarget()).resolves.toEqual({
      ucp: null,
      engine: {
        kind: 'unix',
        host: 'unix:///var/run/docker.sock',
        socketPath: '/var/run/docker.sock',
      },
      dtr: null,
      pollIntervalMs: 2000,
      probeTimeoutMs: 1500,
      dtrVersion: null,
    });
  });

  it('asks for AUTH=off, since there is no UCP to check passwords against', () => {
    expect(problemsOf({ DOCKER_HOST: 'unix:///var/run/docker.sock' })).toEqual([
      'AUTH: sign-in checks passwords against UCP, and with DOCKER_HOST alone there is none; set AUTH=off and keep the console behind your own access control, or set UCP_URL (e.g. AUTH=off)',
    ]);
  });

  it('reads a client bundle as the Docker CLI does: tcp://, DOCKER_CERT_PATH, DOCKER_TLS_VERIFY', () => {
    const config = live(BUNDLE);
    expect(config.engine).toEqual({
      kind: 'tcp',
      hostname: 'ucp.example.com',
      port: 443,
      certPath: '/etc/console/bundle',
    });
    expect(clusterTargetFromConfig(config, readFrom(bundleFiles)).engine).toEqual({
      kind: 'tcp',
      host: 'tcp://ucp.example.com:443',
      url: 'https://ucp.example.com:443',
      ca: PEM,
      cert: PEM.replace('MIIB', 'MIIC'),
      key: KEY,
    });
    // The CLI's default TLS port, and its reading of DOCKER_TLS_VERIFY: any value means on.
    expect(
      live({ ...BUNDLE, DOCKER_HOST: 'tcp://10.0.0.5', DOCKER_TLS_VERIFY: '0' }).engine,
    ).toEqual({ kind: 'tcp', hostname: '10.0.0.5', port: 2376, certPath: '/etc/console/bundle' });
  });

  it('never talks to a Docker daemon over unverified TCP', () => {
    const problems = problemsOf({ DOCKER_HOST: 'tcp://10.0.0.5:2375', AUTH: 'off' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^DOCKER_TLS_VERIFY: required with DOCKER_HOST=tcp:\/\//);
    expect(problems[1]).toMatch(/^DOCKER_CERT_PATH: required with DOCKER_HOST=tcp:\/\//);
    expect(problems.every((line) => /\(e\.g\. DOCKER_/.test(line))).toBe(true);
  });

  it('names the bundle file that is missing or holds the wrong thing', () => {
    const config = live(BUNDLE);
    const files: Record<string, string> = { ...bundleFiles, '/etc/console/bundle/key.pem': PEM };
    delete files['/etc/console/bundle/ca.pem'];
    expect(() => clusterTargetFromConfig(config, readFrom(files))).toThrow(ConfigError);
    try {
      clusterTargetFromConfig(config, readFrom(files));
    } catch (err) {
      expect((err as ConfigError).problems).toEqual([
        'DOCKER_CERT_PATH: cannot read /etc/console/bundle/ca.pem: no such file',
        'DOCKER_CERT_PATH: /etc/console/bundle/key.pem holds no PEM private key (a UCP client bundle has one)',
      ]);
    }
  });

  it('refuses addresses the console cannot dial, one clear line each', () => {
    const lineFor = (host: string) => problemsOf({ DOCKER_HOST: host, AUTH: 'off' })[0];
    expect(lineFor('ssh://admin@manager-1')).toMatch(/^DOCKER_HOST: ssh:\/\/ is not supported;/);
    expect(lineFor('unix://docker.sock')).toBe(
      'DOCKER_HOST: a unix socket needs an absolute path, got "unix://docker.sock" (e.g. DOCKER_HOST=unix:///var/run/docker.sock)',
    );
    expect(lineFor('npipe:////./pipe/docker_engine')).toMatch(
      /^DOCKER_HOST: expected unix:\/\/\/path\/to\/docker\.sock or tcp:\/\/host:port, got/,
    );
    expect(lineFor('tcp://manager-1:2376/v1.41')).toMatch(/without credentials or a path/);
    expect(lineFor('https://admin:hunter2@manager-1')).not.toContain('hunter2');
  });

  it('adds DTR when DTR_URL is set, with DTR credentials of its own', async () => {
    expect(problemsOf({ ...SWARM, DTR_URL: 'https://dtr.example.com' })).toEqual([
      'DTR_USERNAME: required when UCP_USERNAME is not set (e.g. DTR_USERNAME=admin)',
      'DTR_PASSWORD: required when UCP_PASSWORD is not set; set DTR_PASSWORD or DTR_PASSWORD_FILE (e.g. DTR_PASSWORD_FILE=/run/secrets/dtr-password)',
    ]);
    const config = live({
      ...SWARM,
      DTR_URL: 'https://dtr.example.com',
      DTR_USERNAME: 'dtr-bot',
      DTR_PASSWORD: 'dtr-s3cret',
    });
    const target = await config.resolveTarget();
    expect(target.dtr).toMatchObject({ url: 'https://dtr.example.com', password: 'dtr-s3cret' });
    expect(target.engine?.kind).toBe('unix');
    expect(JSON.stringify(config)).not.toContain('dtr-s3cret');
  });

  it('leaves DOCKER_HOST alone when UCP_URL is set (a shell that sourced a client bundle)', () => {
    const config = live({ ...LIVE, DOCKER_HOST: 'ssh://admin@manager-1' });
    expect(config).toMatchObject({ engine: null, dockerHost: null });
    expect(config.ucp?.url).toBe('https://ucp.example.com');
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

describe('EXECUTE (the console runs wizard steps itself)', () => {
  const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const KEY = '-----BEGIN PRIVATE KEY-----\nMIGH\n-----END PRIVATE KEY-----\n';
  const files: Record<string, string> = {
    '/etc/console/admin/ca.pem': PEM,
    '/etc/console/admin/cert.pem': PEM,
    '/etc/console/admin/key.pem': KEY,
  };
  const read = (path: string) => {
    const text = files[path];
    if (text === undefined) throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    return text;
  };
  const EXEC = {
    ...LIVE,
    EXECUTE: 'on',
    EXECUTE_DOCKER_HOST: 'tcp://ucp.example.com:443',
    EXECUTE_CERT_PATH: '/etc/console/admin',
  };

  it('is off unless asked for, in demo and live mode alike', () => {
    expect(parseConfig({}).execute).toBeNull();
    expect(live(LIVE).execute).toBeNull();
    expect(parseConfig({ EXECUTE: 'off' }).execute).toBeNull();
  });

  it('in demo mode runs steps in the demo cluster, which has no Docker API to point at', () => {
    expect(parseConfig({ EXECUTE: 'on' }).execute).toEqual({ engine: null, host: null });
    expect(
      problemsOf({ EXECUTE: 'on', EXECUTE_DOCKER_HOST: 'unix:///var/run/docker.sock' }),
    ).toEqual([expect.stringMatching(/^EXECUTE_DOCKER_HOST: the built-in demo cluster runs/)]);
  });

  it('reads an admin client bundle, and knows a bundle through UCP from one engine', () => {
    const config = live(EXEC);
    expect(config.execute).toEqual({
      engine: {
        kind: 'tcp',
        hostname: 'ucp.example.com',
        port: 443,
        certPath: '/etc/console/admin',
      },
      host: 'tcp://ucp.example.com:443',
    });
    expect(clusterTargetFromConfig(config, read).execute).toEqual({
      engine: {
        kind: 'tcp',
        host: 'tcp://ucp.example.com:443',
        url: 'https://ucp.example.com:443',
        ca: PEM,
        cert: PEM,
        key: KEY,
      },
      viaBundle: true,
    });
    const socket = live({ ...LIVE, EXECUTE: 'on', EXECUTE_DOCKER_HOST: 'unix:///run/m2.sock' });
    expect(clusterTargetFromConfig(socket, read).execute).toEqual({
      engine: { kind: 'unix', host: 'unix:///run/m2.sock', socketPath: '/run/m2.sock' },
      viaBundle: false,
    });
  });

  it('refuses what would let the wrong people change the cluster, or cannot work, one line each', () => {
    expect(problemsOf({ ...EXEC, AUTH: 'off' })).toContainEqual(
      expect.stringMatching(/^EXECUTE: with AUTH=off anyone who reaches the console could make it/),
    );
    expect(problemsOf({ ...LIVE, EXECUTE: 'on' })).toEqual([
      expect.stringMatching(/^EXECUTE_DOCKER_HOST: required with EXECUTE=on/),
    ]);
    expect(problemsOf({ ...EXEC, EXECUTE_CERT_PATH: undefined })).toEqual([
      expect.stringMatching(/^EXECUTE_CERT_PATH: required with EXECUTE_DOCKER_HOST=tcp:\/\//),
    ]);
    expect(problemsOf({ ...EXEC, EXECUTE: 'maybe' })).toEqual([
      'EXECUTE: expected on or off, got "maybe" (e.g. EXECUTE=on)',
    ]);
    // Set but not used: say so rather than ignore it.
    expect(problemsOf({ ...EXEC, EXECUTE: undefined })).toEqual([
      expect.stringMatching(/^EXECUTE_DOCKER_HOST: only read with EXECUTE=on/),
      expect.stringMatching(/^EXECUTE_CERT_PATH: only read with EXECUTE=on/),
    ]);
    expect(() =>
      clusterTargetFromConfig(live({ ...EXEC, EXECUTE_CERT_PATH: '/nowhere' }), read),
    ).toThrow(/EXECUTE_CERT_PATH: cannot read \/nowhere\/ca.pem/);
  });
});
