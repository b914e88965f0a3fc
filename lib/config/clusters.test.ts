import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ConfigError,
  type Config,
  type FleetConfig,
  type LiveConfig,
  loadConfig,
  loadFleetConfig,
  PROCESS_VARIABLES,
} from '.';

const SESSION_SECRET = 'a-session-secret-that-is-long-enough-to-sign';
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'clusters-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a file in the test's folder with the given permission bits; returns its path. */
function write(name: string, text: string, mode = 0o644): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, mode);
  return file;
}

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadFleetConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

function live(config: Config): LiveConfig {
  if (config.mode !== 'live') throw new Error(`expected live mode, got ${config.mode}`);
  return config;
}

/** A config without its function, to compare two parses field by field. */
function data(config: Config): Record<string, unknown> {
  const { ...rest } = config as Config & { resolveTarget?: unknown };
  delete rest.resolveTarget;
  return rest;
}

const TWO_CLUSTERS_YAML = `# Two sites
clusters:
  - name: prod
    ucpUrl: https://ucp.prod.example.com
    username: dtr-console
    passwordFile: PW_PROD
    ucpCaFile: CA_PROD
    dtrUrl: https://dtr.prod.example.com
    probeAllowedHosts: [cache-eu.example.com, 10.0.4.17]
    lbStatsUrl: http://lb.prod.example.com:8404/stats
  - name: dr-east
    ucpUrl: https://ucp.dr.example.com
    username: dtr-console-dr
    passwordFile: PW_DR
    dtrUrl: https://dtr.dr.example.com
    dtrCaFile: CA_DR
    dtrProbeScheme: http
    pollIntervalMs: 5000
`;

function twoClusters(): string {
  const text = TWO_CLUSTERS_YAML.replace('PW_PROD', write('prod-pw', 'prod-password\n', 0o600))
    .replace('PW_DR', write('dr-pw', 'dr-password\n', 0o600))
    .replace('CA_PROD', write('prod-ca.pem', PEM))
    .replace('CA_DR', write('dr-ca.pem', PEM));
  return write('clusters.yaml', text);
}

describe('loadFleetConfig: today’s variables', () => {
  it('is one cluster named "default", exactly what loadConfig reads, in demo and live mode', () => {
    const demo = loadFleetConfig({ PORT: '8080', DEMO_WORKERS: '40' });
    expect(demo.source).toBe('single');
    expect(demo.notices).toEqual([]);
    expect(demo.clusters.map((c) => c.name)).toEqual(['default']);
    expect(demo.clusters[0]!.config).toEqual(loadConfig({ PORT: '8080', DEMO_WORKERS: '40' }));
    expect(demo.base).toBe(demo.clusters[0]!.config);

    const env = {
      UCP_URL: 'https://ucp.example.com',
      UCP_USERNAME: 'admin',
      UCP_PASSWORD_FILE: '/run/secrets/ucp',
      DTR_URL: 'https://dtr.example.com',
      SESSION_SECRET,
      POLL_INTERVAL_MS: '3000',
    };
    const single = loadFleetConfig(env);
    expect(single.source).toBe('single');
    expect(single.clusters.map((c) => c.name)).toEqual(['default']);
    expect(data(single.clusters[0]!.config)).toEqual(data(loadConfig(env)));
    expect(single.base).toBe(single.clusters[0]!.config);
  });

  it('reports today’s problems as they are', () => {
    expect(problemsOf({ UCP_URL: 'https://ucp.example.com', SESSION_SECRET })).toEqual(
      (() => {
        try {
          loadConfig({ UCP_URL: 'https://ucp.example.com', SESSION_SECRET });
        } catch (error) {
          return (error as ConfigError).problems;
        }
        return ['no error'];
      })(),
    );
  });
});

describe('loadFleetConfig: DEMO_CLUSTERS', () => {
  it('runs prod at the DEMO_* size and a small dr site with DEMO_CLUSTERS=2', () => {
    const fleet = loadFleetConfig({ DEMO_CLUSTERS: '2' });
    expect(fleet.source).toBe('demo');
    expect(fleet.clusters.map((c) => [c.name, c.config.mode])).toEqual([
      ['prod', 'demo'],
      ['dr', 'demo'],
    ]);
    const [prod, dr] = fleet.clusters.map((c) => c.config);
    expect(prod).toMatchObject({ demo: { managers: 3, replicas: 3, caches: 3, workers: 4 } });
    expect(dr).toMatchObject({ demo: { managers: 3, replicas: 1, caches: 0, workers: 2 } });
    expect(fleet.base).toBe(prod);
    expect(fleet.notices).toEqual([
      'DEMO_CLUSTERS=2: two built-in demo clusters, prod (3 managers, 3 replicas, 3 caches, 4 workers) and dr (3 managers, 1 replica, 0 caches, 2 workers)',
    ]);

    const sized = loadFleetConfig({ DEMO_CLUSTERS: ' 2 ', DEMO_WORKERS: '500', PORT: '3100' });
    expect(sized.clusters[0]!.config).toMatchObject({ demo: { workers: 500 }, port: 3100 });
    expect(sized.clusters[1]!.config).toMatchObject({ demo: { workers: 2 }, port: 3100 });
  });

  it('treats DEMO_CLUSTERS=1 as today’s single demo', () => {
    const fleet = loadFleetConfig({ DEMO_CLUSTERS: '1' });
    expect(fleet.source).toBe('single');
    expect(fleet.clusters.map((c) => c.name)).toEqual(['default']);
    expect(fleet.clusters[0]!.config).toEqual(loadConfig({}));
  });

  it('refuses other counts, and DEMO_CLUSTERS next to a real cluster, in one line each', () => {
    expect(problemsOf({ DEMO_CLUSTERS: '3' })).toEqual([
      'DEMO_CLUSTERS: expected 1 or 2 built-in demo clusters, got "3" (e.g. DEMO_CLUSTERS=2)',
    ]);
    expect(problemsOf({ DEMO_CLUSTERS: '2', UCP_URL: 'https://ucp.example.com' })).toEqual([
      'DEMO_CLUSTERS: runs built-in demo clusters, and UCP_URL names a real one; unset DEMO_CLUSTERS to watch that cluster, or unset UCP_URL for the demo',
    ]);
    expect(problemsOf({ DEMO_CLUSTERS: '2', DOCKER_HOST: 'unix:///var/run/docker.sock' })).toEqual([
      'DEMO_CLUSTERS: runs built-in demo clusters, and DOCKER_HOST names a real one; unset DEMO_CLUSTERS to watch that cluster, or unset DOCKER_HOST for the demo',
    ]);
    const file = twoClusters();
    expect(problemsOf({ DEMO_CLUSTERS: '2', CLUSTERS_FILE: file })).toEqual([
      'DEMO_CLUSTERS: runs built-in demo clusters, and CLUSTERS_FILE lists real ones; set one of them, not both',
    ]);
    // The demo's own checks still apply, in the same error.
    expect(problemsOf({ DEMO_CLUSTERS: '4', DEMO_REPLICAS: '0' })).toEqual([
      'DEMO_CLUSTERS: expected 1 or 2 built-in demo clusters, got "4" (e.g. DEMO_CLUSTERS=2)',
      'DEMO_REPLICAS: expected a whole number from 1 to 9, got "0" (e.g. DEMO_REPLICAS=3)',
    ]);
  });
});

describe('loadFleetConfig: CLUSTERS_FILE', () => {
  it('reads a YAML file: each cluster live with its own settings, the process-wide ones shared', async () => {
    const file = twoClusters();
    const fleet = loadFleetConfig({
      CLUSTERS_FILE: file,
      SESSION_SECRET,
      PORT: '3200',
      PROBE_TIMEOUT_MS: '900',
      DATABASE_URL: 'postgres://console@db.example.com/console',
    });
    expect(fleet.source).toBe('file');
    expect(fleet.notices).toEqual([]);
    expect(fleet.clusters.map((c) => c.name)).toEqual(['prod', 'dr-east']);
    const prod = live(fleet.clusters[0]!.config);
    const dr = live(fleet.clusters[1]!.config);
    expect(fleet.base).toBe(prod);
    expect(prod).toMatchObject({
      ucp: {
        url: 'https://ucp.prod.example.com',
        username: 'dtr-console',
        caFile: `${dir}/prod-ca.pem`,
      },
      dtr: {
        url: 'https://dtr.prod.example.com',
        probeScheme: 'https',
        caFile: `${dir}/prod-ca.pem`,
      },
      probeAllowedHosts: ['cache-eu.example.com', '10.0.4.17'],
      lbStatsUrl: 'http://lb.prod.example.com:8404/stats',
      pollIntervalMs: 2000,
      probeTimeoutMs: 900,
      port: 3200,
      databaseUrl: 'postgres://console@db.example.com/console',
    });
    expect(dr).toMatchObject({
      ucp: { url: 'https://ucp.dr.example.com', username: 'dtr-console-dr', caFile: null },
      dtr: { url: 'https://dtr.dr.example.com', probeScheme: 'http', caFile: `${dir}/dr-ca.pem` },
      probeAllowedHosts: [],
      lbStatsUrl: null,
      pollIntervalMs: 5000,
      probeTimeoutMs: 900,
      port: 3200,
    });
    expect(dr.sessionSecret?.reveal()).toBe(SESSION_SECRET);
    // Each cluster reads its own files.
    const [prodTarget, drTarget] = await Promise.all([prod.resolveTarget(), dr.resolveTarget()]);
    expect(prodTarget.ucp).toMatchObject({ password: 'prod-password', ca: PEM });
    expect(drTarget.ucp).toMatchObject({ password: 'dr-password' });
    expect(drTarget.ucp?.ca).toBeUndefined();
    expect(drTarget.pollIntervalMs).toBe(5000);
  });

  it('reads a JSON file, as a bare list or under "clusters", and a Swarm manager with AUTH=off', () => {
    const bundle = path.join(dir, 'bundle');
    mkdirSync(bundle);
    const file = write(
      'clusters.json',
      JSON.stringify([
        {
          name: 'swarm-lab',
          dockerHost: 'tcp://manager-1.example.com:2376',
          dockerCertPath: bundle,
          dtrUrl: 'https://dtr.lab.example.com',
          dtrUsername: 'reader',
          dtrPasswordFile: '/run/secrets/lab',
          dtrInsecureTls: true,
          pollIntervalMs: '1000',
        },
      ]),
    );
    const fleet = loadFleetConfig({ CLUSTERS_FILE: file, AUTH: 'off' });
    const lab = live(fleet.clusters[0]!.config);
    expect(lab).toMatchObject({
      ucp: null,
      engine: { kind: 'tcp', hostname: 'manager-1.example.com', port: 2376, certPath: bundle },
      dtr: {
        username: 'reader',
        insecureTls: true,
        password: { kind: 'file', path: '/run/secrets/lab' },
      },
      pollIntervalMs: 1000,
      auth: 'off',
    });
    expect(fleet.base.mode).toBe('live');

    const wrapped = write(
      'wrapped.json',
      JSON.stringify({
        clusters: [
          {
            name: 'a',
            ucpUrl: 'https://ucp.a.example',
            dtrUrl: 'https://dtr.a.example',
            username: 'u',
            passwordFile: '/p',
          },
        ],
      }),
    );
    expect(loadFleetConfig({ CLUSTERS_FILE: wrapped, SESSION_SECRET }).clusters[0]!.name).toBe('a');
  });

  it('names the file, the cluster and the field in every problem, all in one error', () => {
    const file = write(
      'bad.yaml',
      `clusters:
  - name: prod
    ucpUrl: https://ucp.example.com
    username: admin
    passwordFile: /run/secrets/prod
    dtrUrl: https://dtr.example.com/v2/
  - name: prod
    ucpUrl: https://ucp2.example.com
  - name: Staging EU
  - name: qa
    ucpUrl: https://ucp.qa.example.com
    dtrUrl: https://dtr.qa.example.com
    passwordFile: /run/secrets/qa
    pasword: oops
    pollIntervalMs: 10
  - name: swarm
    dockerHost: unix:///var/run/docker.sock
    ucpInsecureTls: maybe
  - ucpUrl: https://ucp.nameless.example.com
  - just a string
`,
    );
    const where = `CLUSTERS_FILE ${file}`;
    expect(problemsOf({ CLUSTERS_FILE: file, SESSION_SECRET })).toEqual([
      `${where}: cluster "prod": dtrUrl: must be scheme://host[:port] without a path, got "https://dtr.example.com/v2/" (e.g. dtrUrl: https://dtr.example.com)`,
      `${where}: cluster "prod": name: cluster #1 has this name too; each cluster needs its own`,
      `${where}: cluster "Staging EU": name: must be 1 to 31 lowercase letters, digits or dashes, starting with a letter or digit, as it appears in URLs (e.g. prod-eu)`,
      `${where}: cluster "qa": pasword: unknown field (the fields are name, ucpUrl, username, password, passwordFile, ucpCaFile, ucpInsecureTls, dockerHost, dockerCertPath, dtrUrl, dtrUsername, dtrPassword, dtrPasswordFile, dtrCaFile, dtrInsecureTls, dtrProbeScheme, dtrVersion, dtrImage, allowPlaintextCredentials, probeAllowedHosts, lbStatsUrl, pollIntervalMs, probeTimeoutMs, execute, executeDockerHost, executeCertPath)`,
      `${where}: cluster "swarm": ucpInsecureTls: expected true or false, got "maybe" (e.g. ucpInsecureTls: false)`,
      `${where}: cluster #6: name: is required`,
      `${where}: cluster #7: expected a cluster: a mapping of fields (name, ucpUrl, username, password, passwordFile, ucpCaFile, ucpInsecureTls, dockerHost, dockerCertPath, dtrUrl, dtrUsername, dtrPassword, dtrPasswordFile, dtrCaFile, dtrInsecureTls, dtrProbeScheme, dtrVersion, dtrImage, allowPlaintextCredentials, probeAllowedHosts, lbStatsUrl, pollIntervalMs, probeTimeoutMs, execute, executeDockerHost, executeCertPath)`,
    ]);
  });

  it('applies every check of the variables to a file cluster, in the file’s terms', () => {
    const file = write(
      'checks.yaml',
      `- name: qa
  ucpUrl: https://ucp.qa.example.com
  dtrUrl: https://dtr.qa.example.com
  passwordFile: /run/secrets/qa
  pollIntervalMs: 10
- name: swarm
  dockerHost: unix:///var/run/docker.sock
- name: plain
  ucpUrl: http://ucp.plain.example.com
  username: u
  passwordFile: /p
- name: nothing
  dtrVersion: 2.9.16
`,
    );
    const where = `CLUSTERS_FILE ${file}`;
    expect(problemsOf({ CLUSTERS_FILE: file, SESSION_SECRET })).toEqual([
      `${where}: cluster "qa": pollIntervalMs: must be between 100 and 3600000, got 10 (e.g. pollIntervalMs: 2000)`,
      `${where}: cluster "swarm": dockerHost: sign-in checks passwords against UCP, and this cluster has none (no ucpUrl); give it a ucpUrl, or set AUTH=off for the console and keep it behind your own access control`,
      `${where}: cluster "plain": ucpUrl: plain http:// would send the console's password and token in clear; use https:// (e.g. ucpUrl: https://ucp.example.com), or accept the risk with allowPlaintextCredentials: true`,
      `${where}: cluster "plain": dtrUrl: required when ucpUrl is set; the console reads the replica list from the DTR API (e.g. dtrUrl: https://dtr.example.com)`,
      `${where}: cluster "nothing": ucpUrl: required: a cluster is read from its UCP (ucpUrl) or a Swarm manager (dockerHost), and its DTR (dtrUrl) (e.g. ucpUrl: https://ucp.example.com)`,
    ]);
    // The missing username of "qa" is reported once pollIntervalMs parses.
    const fixed = write(
      'fixed.yaml',
      `- name: qa
  ucpUrl: https://ucp.qa.example.com
  dtrUrl: https://dtr.qa.example.com
  passwordFile: /run/secrets/qa
`,
    );
    expect(problemsOf({ CLUSTERS_FILE: fixed, SESSION_SECRET })).toEqual([
      `CLUSTERS_FILE ${fixed}: cluster "qa": username: required when ucpUrl is set (e.g. username: admin)`,
    ]);
  });

  it('reports a process-wide problem once, not per cluster', () => {
    const file = twoClusters();
    expect(problemsOf({ CLUSTERS_FILE: file })).toEqual([
      'SESSION_SECRET: required in live mode so sessions survive restarts and cannot be forged; at least 32 characters (e.g. SESSION_SECRET=$(openssl rand -base64 48))',
    ]);
    expect(problemsOf({ CLUSTERS_FILE: file, SESSION_SECRET, POLL_INTERVAL_MS: 'often' })).toEqual([
      'POLL_INTERVAL_MS: expected a whole number of milliseconds, got "often" (e.g. POLL_INTERVAL_MS=2000)',
    ]);
  });

  it('never lets a per-cluster variable of the environment into a file cluster, and says it is not used', () => {
    const file = write(
      'one.yaml',
      `clusters:
  - name: solo
    ucpUrl: https://ucp.solo.example.com
    dtrUrl: https://dtr.solo.example.com
`,
    );
    const env = {
      CLUSTERS_FILE: file,
      SESSION_SECRET,
      UCP_USERNAME: 'env-admin',
      UCP_PASSWORD: 'env-password-never-used',
      UCP_CA_FILE: '/etc/env-ca.pem',
      DTR_PROBE_SCHEME: 'http',
      PROBE_ALLOWED_HOSTS: 'env-cache.example.com',
      LB_STATS_URL: 'http://env-lb:8404/stats',
      DEMO_WORKERS: '9',
    };
    // Without its own credentials the cluster has none: the environment's do not fill in.
    expect(problemsOf(env)).toEqual([
      `CLUSTERS_FILE ${file}: cluster "solo": username: required when ucpUrl is set (e.g. username: admin)`,
      `CLUSTERS_FILE ${file}: cluster "solo": password: required when ucpUrl is set; set password or passwordFile (e.g. passwordFile: /run/secrets/ucp-password)`,
    ]);
    writeFileSync(
      file,
      `clusters:
  - name: solo
    ucpUrl: https://ucp.solo.example.com
    dtrUrl: https://dtr.solo.example.com
    username: file-admin
    passwordFile: /run/secrets/solo
`,
    );
    const fleet = loadFleetConfig(env);
    const solo = live(fleet.clusters[0]!.config);
    expect(solo).toMatchObject({
      ucp: {
        username: 'file-admin',
        caFile: null,
        password: { kind: 'file', path: '/run/secrets/solo' },
      },
      dtr: { probeScheme: 'https', caFile: null },
      probeAllowedHosts: [],
      lbStatsUrl: null,
    });
    expect(fleet.notices).toEqual([
      `CLUSTERS_FILE ${file}: each cluster's settings come from the file; UCP_USERNAME, UCP_PASSWORD, UCP_CA_FILE, DTR_PROBE_SCHEME, DEMO_WORKERS, LB_STATS_URL, PROBE_ALLOWED_HOSTS in the environment are not used`,
    ]);
    expect(fleet.notices.join('\n')).not.toContain('env-password-never-used');
  });

  it('refuses CLUSTERS_FILE next to a cluster in the environment: pick one', () => {
    const file = twoClusters();
    for (const [variable, value] of [
      ['UCP_URL', 'https://ucp.example.com'],
      ['DTR_URL', 'https://dtr.example.com'],
      ['DOCKER_HOST', 'unix:///var/run/docker.sock'],
    ] as const) {
      expect(problemsOf({ CLUSTERS_FILE: file, SESSION_SECRET, [variable]: value })).toEqual([
        `CLUSTERS_FILE: lists the clusters, and ${variable} in the environment names one too; pick one: move that cluster into ${file}, or unset CLUSTERS_FILE to watch only it`,
      ]);
    }
  });

  it('says what is wrong with the file itself: missing, a folder, not YAML or JSON, empty, no list', () => {
    const missing = path.join(dir, 'nope.yaml');
    expect(problemsOf({ CLUSTERS_FILE: missing })).toEqual([
      `CLUSTERS_FILE ${missing}: cannot read it (no such file); give the path of a YAML or JSON clusters file the console can read`,
    ]);
    expect(problemsOf({ CLUSTERS_FILE: dir })).toEqual([
      `CLUSTERS_FILE ${dir}: not a regular file; give the path of a YAML or JSON clusters file`,
    ]);
    const yaml = write(
      'broken.yaml',
      'clusters:\n  - name: prod\n    ucpUrl: [https://x\n  - name: dr\n',
    );
    const [yamlLine, ...more] = problemsOf({ CLUSTERS_FILE: yaml });
    expect(more).toEqual([]);
    expect(yamlLine).toMatch(
      new RegExp(`^CLUSTERS_FILE ${yaml}: not valid YAML: .* at line \\d+, column \\d+$`),
    );
    const json = write(
      'broken.json',
      '[\n  {"name": "prod", "password": "hunter2-hunter2"\n  "ucpUrl": "https://x"}\n]',
      0o600,
    );
    const [jsonLine] = problemsOf({ CLUSTERS_FILE: json });
    expect(jsonLine).toBe(
      `CLUSTERS_FILE ${json}: not valid JSON: Expected ',' or '}' after property value at line 3, column 3`,
    );
    const token = write('token.json', '[{"name": "prod", "password": hunter2-hunter2}]', 0o600);
    expect(problemsOf({ CLUSTERS_FILE: token })).toEqual([
      `CLUSTERS_FILE ${token}: not valid JSON: unexpected character (a value without quotes?)`,
    ]);
    expect(problemsOf({ CLUSTERS_FILE: token }).join('\n')).not.toContain('hunter2');
    expect(problemsOf({ CLUSTERS_FILE: write('cut.json', '[{"name": "pro') })).toEqual([
      `CLUSTERS_FILE ${dir}/cut.json: not valid JSON: Unterminated string at line 1, column 15`,
    ]);
    expect(jsonLine).not.toContain('hunter2');
    for (const text of ['', 'clusters: []', '[]']) {
      const empty = write('empty.yaml', text);
      expect(problemsOf({ CLUSTERS_FILE: empty })).toEqual([
        `CLUSTERS_FILE ${empty}: lists no clusters; give at least one, each with a name, its UCP (ucpUrl) or Swarm manager (dockerHost), and usually its DTR (dtrUrl)`,
      ]);
    }
    const wrong = write('wrong.yaml', 'cluster:\n  - name: prod\n');
    expect(problemsOf({ CLUSTERS_FILE: wrong })[0]).toMatch(
      /: expected a "clusters" list \(or a bare list\) of clusters, each with a name/,
    );
  });

  it('names the cluster when its CA or password file cannot be read, at start', async () => {
    const file = write(
      'files.yaml',
      `- name: prod
  ucpUrl: https://ucp.example.com
  dtrUrl: https://dtr.example.com
  username: admin
  passwordFile: ${dir}/missing-password
  dtrCaFile: ${dir}/not-a-ca.pem
`,
    );
    write('not-a-ca.pem', 'hello\n');
    const prod = live(loadFleetConfig({ CLUSTERS_FILE: file, SESSION_SECRET }).clusters[0]!.config);
    const error = await prod.resolveTarget().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      `CLUSTERS_FILE ${file}: cluster "prod": dtrCaFile: ${dir}/not-a-ca.pem holds no PEM certificate (expected "-----BEGIN CERTIFICATE-----"; UCP serves its CA at /ca)`,
      `CLUSTERS_FILE ${file}: cluster "prod": passwordFile: cannot read ${dir}/missing-password: no such file`,
    ]);
  });
});

describe('loadFleetConfig: inline passwords', () => {
  const INLINE = `clusters:
  - name: prod
    ucpUrl: https://ucp.example.com
    dtrUrl: https://dtr.example.com
    username: admin
    password: "pr0d-inline-pa55word"
  - name: dr
    ucpUrl: https://ucp.dr.example.com
    dtrUrl: https://dtr.dr.example.com
    username: admin
    passwordFile: DR_PASSWORD_FILE
    dtrUsername: reader
    dtrPassword: "dr-inline-dtr-pa55"
`;

  it('refuses them unless the file is readable by its owner only', () => {
    for (const mode of [0o644, 0o640, 0o604]) {
      const file = write('inline.yaml', INLINE, mode);
      const octal = `0${mode.toString(8)}`;
      const problems = problemsOf({ CLUSTERS_FILE: file, SESSION_SECRET });
      expect(problems).toEqual([
        `CLUSTERS_FILE ${file}: cluster "prod": password: an inline password needs the file readable by its owner only, and its mode is ${octal}; run chmod 600 ${file}, or use passwordFile with a file of its own`,
        `CLUSTERS_FILE ${file}: cluster "dr": dtrPassword: an inline password needs the file readable by its owner only, and its mode is ${octal}; run chmod 600 ${file}, or use dtrPasswordFile with a file of its own`,
      ]);
      expect(problems.join('\n')).not.toMatch(/pr0d-inline|dr-inline/);
    }
    // Without inline passwords, the mode does not matter.
    expect(loadFleetConfig({ CLUSTERS_FILE: twoClusters(), SESSION_SECRET }).source).toBe('file');
  });

  it('takes them from a 0600 (or 0400) file, says so at start, and never prints them', async () => {
    for (const mode of [0o600, 0o400]) {
      const drPassword = write('dr-password', 'dr-ucp-password\n', 0o600);
      const file = write(
        `inline-${mode}.yaml`,
        INLINE.replace('DR_PASSWORD_FILE', drPassword),
        mode,
      );
      const fleet: FleetConfig = loadFleetConfig({ CLUSTERS_FILE: file, SESSION_SECRET });
      expect(fleet.notices).toEqual([
        `CLUSTERS_FILE ${file}: holds inline passwords for cluster "prod" (password), cluster "dr" (dtrPassword); it is mode 0${mode.toString(8)}, readable by its owner only: keep it so, or move them to passwordFile / dtrPasswordFile`,
      ]);
      const prod = live(fleet.clusters[0]!.config);
      const dr = live(fleet.clusters[1]!.config);
      expect(prod.ucp?.password.kind).toBe('inline');
      expect(dr.dtr?.password.kind).toBe('inline');
      expect((await prod.resolveTarget()).ucp?.password).toBe('pr0d-inline-pa55word');
      expect((await dr.resolveTarget()).dtr?.password).toBe('dr-inline-dtr-pa55');
      expect((await dr.resolveTarget()).ucp?.password).toBe('dr-ucp-password');
      const shown = [
        JSON.stringify(fleet),
        inspect(fleet, { depth: null }),
        String(fleet.notices),
      ].join('\n');
      expect(shown).not.toContain('pr0d-inline-pa55word');
      expect(shown).not.toContain('dr-inline-dtr-pa55');
      expect(shown).not.toContain(SESSION_SECRET);
      expect(shown).toContain('[redacted]');
    }
  });

  it('keeps a bad inline value out of its error', () => {
    const file = write(
      'typed.yaml',
      `- name: prod
  ucpUrl: https://ucp.example.com
  dtrUrl: https://dtr.example.com
  username: admin
  password: 73194628551
`,
      0o600,
    );
    const problems = problemsOf({ CLUSTERS_FILE: file, SESSION_SECRET });
    expect(problems).toEqual([`CLUSTERS_FILE ${file}: cluster "prod": password: expected text`]);
    expect(problems.join('\n')).not.toContain('73194628551');
  });
});

describe('the variables', () => {
  it('are process-wide only when they are the console’s own, not a cluster’s', () => {
    // A new variable lands here by default; one that describes a cluster belongs in CLUSTER_FIELDS.
    expect([...PROCESS_VARIABLES].sort()).toEqual(
      [
        'AUTH',
        'DATABASE_URL',
        'METRICS_TOKEN',
        'OFFLINE_LONG_MS',
        'PORT',
        'SESSION_SECRET',
        'SESSION_TTL_MS',
        'TRUST_PROXY',
        'WIZARD_RUN_TTL_MS',
        'ZONE_LABEL',
      ].sort(),
    );
  });
});

describe('the README', () => {
  const readme = readFileSync(path.join(__dirname, '../../README.md'), 'utf8');
  const example = /<!-- clusters-example -->\n```yaml\n([\s\S]*?)```/.exec(readme)?.[1];

  it('shows a clusters file that loads as it says, and an error as start-up prints it', () => {
    expect(example).toBeDefined();
    const file = write('clusters.yaml', example!);
    const fleet = loadFleetConfig({ CLUSTERS_FILE: file, SESSION_SECRET });
    expect(fleet.clusters.map((c) => c.name)).toEqual(['prod', 'dr']);
    expect(live(fleet.clusters[1]!.config)).toMatchObject({
      pollIntervalMs: 5000,
      ucp: { url: 'https://ucp.dr.example.com', caFile: '/etc/dtr-console/dr-ucp-ca.pem' },
    });

    const shown = /`(CLUSTERS_FILE [^`]*), …`/.exec(readme)?.[1];
    expect(shown).toBeDefined();
    const shownPath = shown!.split(':')[0]!.replace('CLUSTERS_FILE ', '');
    const broken = example!.replace('https://dtr.dr.example.com', 'https://dtr.dr.example.com/v2');
    const [line] = problemsOf({
      CLUSTERS_FILE: write('clusters.yaml', broken),
      SESSION_SECRET,
    });
    expect(line?.replace(file, shownPath).startsWith(shown!)).toBe(true);
  });
});
