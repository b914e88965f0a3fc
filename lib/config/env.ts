// Configuration from the environment: the only place that reads process.env (DESIGN.md §5).
// Each variable is parsed with zod; every problem is one line naming the variable.
import { z } from 'zod';
import { validateImage } from '@/lib/domain/commands';
import { parseImageOverride } from '@/lib/domain/image';
import { validHost } from '@/lib/sources/upstream-values';
import {
  type CommonConfig,
  type Config,
  ConfigError,
  DEFAULTS,
  type DtrConfig,
  type EngineConfig,
  type ExecuteConfig,
  type LiveConfig,
  type PasswordSource,
  Secret,
  type UcpConfig,
} from './model';
import { clusterTargetFromConfig } from './target';

// ---------------------------------------------------------------------------
// Variable parsers. Each issue message is complete except for the variable name.

type Ctx = z.RefinementCtx;

function fail(ctx: Ctx, message: string): typeof z.NEVER {
  ctx.addIssue({ code: 'custom', message });
  return z.NEVER;
}

const optionalText = z.string().optional();

function integer(def: number, min: number, max: number, example: string) {
  return optionalText.transform((raw, ctx) => {
    if (raw === undefined) return def;
    if (!/^\d+$/.test(raw))
      return fail(ctx, `expected a whole number of milliseconds, got "${raw}" (e.g. ${example})`);
    const value = Number(raw);
    if (value < min || value > max)
      return fail(ctx, `must be between ${min} and ${max}, got ${raw} (e.g. ${example})`);
    return value;
  });
}

function count(def: number, min: number, max: number, example: string) {
  return optionalText.transform((raw, ctx) => {
    if (raw === undefined) return def;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max)
      return fail(
        ctx,
        `expected a whole number from ${min} to ${max}, got "${raw}" (e.g. ${example})`,
      );
    return value;
  });
}

function boolean(example: string) {
  return optionalText.transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    const v = raw.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(v)) return true;
    if (['0', 'false', 'no', 'off'].includes(v)) return false;
    return fail(ctx, `expected true or false, got "${raw}" (e.g. ${example})`);
  });
}

function httpUrl(example: string) {
  return optionalText.transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return fail(ctx, `not a valid URL${raw.includes('@') ? '' : `: "${raw}"`} (e.g. ${example})`);
    }
    if (url.username || url.password) {
      return fail(
        ctx,
        `must not contain credentials; use the _USERNAME and _PASSWORD variables (e.g. ${example})`,
      );
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return fail(ctx, `must start with https:// or http://, got "${raw}" (e.g. ${example})`);
    }
    if (url.pathname !== '/' || url.search || url.hash) {
      return fail(
        ctx,
        `must be scheme://host[:port] without a path, got "${raw}" (e.g. ${example})`,
      );
    }
    return url.origin;
  });
}

/** DTR_IMAGE: a bootstrapper repository as `docker run` takes it, with an optional tag (never latest). */
function isImageReference(raw: string): boolean {
  const { repository, tag } = parseImageOverride(raw);
  if (
    tag !== null &&
    (tag.toLowerCase() === 'latest' || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag))
  )
    return false;
  try {
    validateImage('DTR_IMAGE', repository);
    return true;
  } catch {
    return false;
  }
}

const envSchema = z.object({
  UCP_URL: httpUrl('UCP_URL=https://ucp.example.com'),
  UCP_USERNAME: optionalText,
  UCP_PASSWORD: optionalText,
  UCP_PASSWORD_FILE: optionalText,
  UCP_CA_FILE: optionalText,
  UCP_INSECURE_TLS: boolean('UCP_INSECURE_TLS=false'),
  DTR_URL: httpUrl('DTR_URL=https://dtr.example.com'),
  DTR_USERNAME: optionalText,
  DTR_PASSWORD: optionalText,
  DTR_PASSWORD_FILE: optionalText,
  DTR_CA_FILE: optionalText,
  DTR_INSECURE_TLS: boolean('DTR_INSECURE_TLS=false'),
  ALLOW_PLAINTEXT_CREDENTIALS: boolean('ALLOW_PLAINTEXT_CREDENTIALS=false'),
  DTR_PROBE_SCHEME: optionalText.transform((raw, ctx) => {
    if (raw === undefined) return 'https' as const;
    const v = raw.toLowerCase();
    if (v === 'https' || v === 'http') return v;
    return fail(ctx, `expected https or http, got "${raw}" (e.g. DTR_PROBE_SCHEME=https)`);
  }),
  DTR_VERSION: optionalText.refine(
    (raw) => raw === undefined || /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(raw),
    {
      message: 'not a valid image tag (e.g. DTR_VERSION=2.9.16)',
    },
  ),
  DTR_IMAGE: optionalText.refine((raw) => raw === undefined || isImageReference(raw), {
    message:
      'not an image repository, with or without a tag (e.g. DTR_IMAGE=registry.mirantis.com/msr/dtr or DTR_IMAGE=mirantis/dtr:2.9.16)',
  }),
  // Checked in buildLive, and only when it is the cluster source: a shell that sourced a client
  // bundle may carry DOCKER_HOST next to UCP_URL.
  DOCKER_HOST: optionalText,
  DOCKER_CERT_PATH: optionalText,
  // As the Docker CLI reads it: any non-empty value turns verification on, even "0".
  DOCKER_TLS_VERIFY: optionalText,
  EXECUTE: optionalText.transform((raw, ctx) => {
    if (raw === undefined) return 'off' as const;
    const v = raw.toLowerCase();
    if (v === 'on' || v === 'true') return 'on' as const;
    if (v === 'off' || v === 'false') return 'off' as const;
    return fail(ctx, `expected on or off, got "${raw}" (e.g. EXECUTE=on)`);
  }),
  EXECUTE_DOCKER_HOST: optionalText,
  EXECUTE_CERT_PATH: optionalText,
  POLL_INTERVAL_MS: integer(DEFAULTS.pollIntervalMs, 100, 3_600_000, 'POLL_INTERVAL_MS=2000'),
  PROBE_TIMEOUT_MS: integer(DEFAULTS.probeTimeoutMs, 50, 60_000, 'PROBE_TIMEOUT_MS=1500'),
  OFFLINE_LONG_MS: integer(
    DEFAULTS.offlineLongMs,
    1000,
    31 * 24 * 3_600_000,
    'OFFLINE_LONG_MS=1800000',
  ),
  DATABASE_URL: optionalText.refine(
    (raw) => raw === undefined || /^(file:|sqlite:|postgres(ql)?:\/\/)\S+$/.test(raw),
    {
      message:
        'expected a file:, sqlite: or postgres:// URL (e.g. DATABASE_URL=postgres://console@db/console)',
    },
  ),
  ZONE_LABEL: optionalText,
  AUTH: optionalText.transform((raw, ctx) => {
    if (raw === undefined) return 'on' as const;
    const v = raw.toLowerCase();
    if (v === 'on' || v === 'off') return v;
    return fail(ctx, `expected on or off, got "${raw}" (e.g. AUTH=on)`);
  }),
  SESSION_SECRET: optionalText.refine((raw) => raw === undefined || raw.length >= 32, {
    message: 'must be at least 32 characters (e.g. SESSION_SECRET=$(openssl rand -base64 48))',
  }),
  SESSION_TTL_MS: integer(
    DEFAULTS.sessionTtlMs,
    60_000,
    7 * 24 * 3_600_000,
    'SESSION_TTL_MS=28800000',
  ),
  WIZARD_RUN_TTL_MS: integer(
    DEFAULTS.wizardRunTtlMs,
    60_000,
    7 * 24 * 3_600_000,
    'WIZARD_RUN_TTL_MS=3600000',
  ),
  METRICS_TOKEN: optionalText.refine((raw) => raw === undefined || raw.length >= 16, {
    message: 'must be at least 16 characters (e.g. METRICS_TOKEN=$(openssl rand -hex 24))',
  }),
  TRUST_PROXY: optionalText.transform((raw, ctx) => {
    if (raw === undefined || raw.toLowerCase() === 'false') return 0;
    if (raw.toLowerCase() === 'true') return 1;
    if (/^[0-5]$/.test(raw)) return Number(raw);
    return fail(
      ctx,
      `expected the number of proxies in front, 0 to 5, got "${raw}" (e.g. TRUST_PROXY=1)`,
    );
  }),
  DEMO_MANAGERS: count(DEFAULTS.demo.managers, 1, 9, 'DEMO_MANAGERS=3'),
  DEMO_REPLICAS: count(DEFAULTS.demo.replicas, 1, 9, 'DEMO_REPLICAS=3'),
  DEMO_CACHES: count(DEFAULTS.demo.caches, 0, 20, 'DEMO_CACHES=3'),
  DEMO_WORKERS: count(DEFAULTS.demo.workers, 0, 10_000, 'DEMO_WORKERS=2000'),
  DEMO_SERVICE_PASSWORD: optionalText.refine((raw) => raw === undefined || raw.length >= 16, {
    message: 'must be at least 16 characters (e.g. DEMO_SERVICE_PASSWORD=$(openssl rand -hex 16))',
  }),
  LB_STATS_URL: optionalText.transform((raw, ctx) => {
    if (raw === undefined) return undefined;
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return fail(ctx, 'not a valid URL (e.g. LB_STATS_URL=http://lb.example.com:8404/stats)');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      return fail(
        ctx,
        'must start with http:// or https:// (e.g. LB_STATS_URL=http://lb.example.com:8404/stats)',
      );
    }
    return url.toString();
  }),
  PROBE_ALLOWED_HOSTS: optionalText.transform((raw, ctx) => {
    if (raw === undefined) return [];
    const hosts = raw.split(/[\s,]+/).filter((h) => h !== '');
    const bad = hosts.filter((h) => validHost(h.replace(/^\[|\]$/g, '')) === null);
    if (bad.length > 0)
      return fail(
        ctx,
        `expected host names or IP addresses separated by commas, got "${bad[0]}" (e.g. PROBE_ALLOWED_HOSTS=cache-eu.example.com,10.0.4.17)`,
      );
    return hosts.map((h) => h.replace(/^\[|\]$/g, '').toLowerCase());
  }),
  PORT: optionalText.transform((raw, ctx) => {
    if (raw === undefined) return DEFAULTS.port;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < 1 || value > 65535)
      return fail(ctx, `expected a TCP port 1-65535, got "${raw}" (e.g. PORT=3000)`);
    return value;
  }),
});

type Env = z.infer<typeof envSchema>;

/** Every variable parseConfig reads (lib/config/clusters.ts sorts them into per-cluster and process-wide). */
export const CONFIG_VARIABLES = Object.keys(envSchema.shape) as readonly string[];

const SECRET_VARS = new Set([
  'UCP_PASSWORD',
  'DTR_PASSWORD',
  'SESSION_SECRET',
  'METRICS_TOKEN',
  'DEMO_SERVICE_PASSWORD',
  'LB_STATS_URL',
]);

/** Blank values count as unset, as in most .env files. */
function normalise(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const key of Object.keys(envSchema.shape)) {
    const raw = env[key];
    // Passwords keep their exact bytes; everything else is trimmed.
    const value = raw === undefined ? undefined : SECRET_VARS.has(key) ? raw : raw.trim();
    out[key] = value === '' || value === undefined ? undefined : value;
  }
  return out;
}

function passwordFrom(inline: string | undefined, file: string | undefined): PasswordSource | null {
  if (inline !== undefined) return { kind: 'inline', secret: new Secret(inline) };
  if (file !== undefined) return { kind: 'file', path: file };
  return null;
}

const DOCKER_HOST_EXAMPLE =
  'e.g. DOCKER_HOST=unix:///var/run/docker.sock or DOCKER_HOST=tcp://manager-1.example.com:2376';

/** Which variables name an Engine address and its client certificates, for the messages. */
interface EngineVariables {
  host: string;
  certPath: string;
  example: string;
}
const DOCKER_VARIABLES: EngineVariables = {
  host: 'DOCKER_HOST',
  certPath: 'DOCKER_CERT_PATH',
  example: DOCKER_HOST_EXAMPLE,
};
const EXECUTE_VARIABLES: EngineVariables = {
  host: 'EXECUTE_DOCKER_HOST',
  certPath: 'EXECUTE_CERT_PATH',
  example:
    'e.g. EXECUTE_DOCKER_HOST=tcp://ucp.example.com:443 with EXECUTE_CERT_PATH=/etc/dtr-console/admin-bundle',
};

/**
 * An Engine address as the Docker CLI reads DOCKER_HOST: a unix socket, or tcp:// with the client
 * certificates in a folder. `verify` is whether TLS verification was asked for (DOCKER_TLS_VERIFY);
 * the console never talks plain TCP to a daemon.
 */
function engineAddress(
  raw: string | undefined,
  certPath: string | undefined,
  verify: boolean,
  vars: EngineVariables,
  problems: string[],
): EngineConfig | null {
  if (raw === undefined) return null;
  const scheme = /^([a-z]+):\/\//i.exec(raw)?.[1]?.toLowerCase();
  if (scheme === 'unix') {
    const socketPath = raw.slice('unix://'.length);
    if (!socketPath.startsWith('/')) {
      problems.push(
        `${vars.host}: a unix socket needs an absolute path, got "${raw}" (e.g. ${vars.host}=unix:///var/run/docker.sock)`,
      );
      return null;
    }
    return { kind: 'unix', socketPath };
  }
  if (scheme === 'ssh') {
    problems.push(
      `${vars.host}: ssh:// is not supported; use the manager's unix socket or tcp:// with a client bundle (${vars.example})`,
    );
    return null;
  }
  // Never echo a value that may carry credentials (user:password@host).
  const shown = raw.includes('@') ? '' : `, got "${raw}"`;
  if (scheme !== 'tcp') {
    problems.push(
      `${vars.host}: expected unix:///path/to/docker.sock or tcp://host:port${shown} (${vars.example})`,
    );
    return null;
  }
  let url: URL;
  try {
    // tcp: is not a special scheme to URL, so a port such as 443 is kept, not dropped as a default.
    url = new URL(raw);
  } catch {
    problems.push(`${vars.host}: not a valid tcp://host:port address${shown} (${vars.example})`);
    return null;
  }
  if (
    !url.hostname ||
    url.username ||
    url.password ||
    (url.pathname !== '' && url.pathname !== '/') ||
    url.search ||
    url.hash
  ) {
    problems.push(
      `${vars.host}: expected tcp://host:port without credentials or a path (${vars.example})`,
    );
    return null;
  }
  if (!verify) {
    problems.push(
      "DOCKER_TLS_VERIFY: required with DOCKER_HOST=tcp://: the console only talks TLS, verified, to a Docker daemon (plain TCP hands root on the host to anyone on the network); set it with DOCKER_CERT_PATH, as a UCP client bundle's env.sh does (e.g. DOCKER_TLS_VERIFY=1)",
    );
  }
  if (certPath === undefined) {
    problems.push(
      `${vars.certPath}: required with ${vars.host}=tcp://: the folder holding ca.pem, cert.pem and key.pem, e.g. an unzipped UCP client bundle (e.g. ${vars.certPath}=/etc/dtr-console/bundle)`,
    );
  }
  if (!verify || certPath === undefined) return null;
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  // The Docker CLI's default port for TLS.
  return { kind: 'tcp', hostname, port: Number(url.port || 2376), certPath };
}

/** DOCKER_HOST, DOCKER_CERT_PATH and DOCKER_TLS_VERIFY as the Docker CLI reads them. */
function engineFrom(env: Env, problems: string[]): EngineConfig | null {
  return engineAddress(
    env.DOCKER_HOST,
    env.DOCKER_CERT_PATH,
    env.DOCKER_TLS_VERIFY !== undefined,
    DOCKER_VARIABLES,
    problems,
  );
}

/**
 * EXECUTE=on (issue 22): the console runs join, remove and emergency repair itself. The demo runs
 * them in its own cluster; a real cluster needs the Engine API of an admin client bundle
 * (EXECUTE_DOCKER_HOST/EXECUTE_CERT_PATH, defaulting to DOCKER_HOST/DOCKER_CERT_PATH), UCP for the
 * tool to log in to, and sign-in, so that only the cluster's UCP administrators can make it do so.
 */
function executeFrom(env: Env, mode: 'demo' | 'live', problems: string[]): ExecuteConfig | null {
  if (env.EXECUTE !== 'on') {
    for (const variable of ['EXECUTE_DOCKER_HOST', 'EXECUTE_CERT_PATH'] as const)
      if (env[variable] !== undefined)
        problems.push(
          `${variable}: only read with EXECUTE=on, which is off; set EXECUTE=on to let the console run wizard steps, or unset ${variable}`,
        );
    return null;
  }
  if (mode === 'demo') {
    if (env.EXECUTE_DOCKER_HOST !== undefined)
      problems.push(
        'EXECUTE_DOCKER_HOST: the built-in demo cluster runs the steps itself and has no Docker API to use; unset it, or point the console at a real cluster (UCP_URL, DTR_URL)',
      );
    return { engine: null, host: null };
  }
  if (env.AUTH === 'off')
    problems.push(
      'EXECUTE: with AUTH=off anyone who reaches the console could make it change the cluster; keep AUTH=on (only UCP administrators of the cluster may then run a step), or set EXECUTE=off',
    );
  if (env.UCP_URL === undefined)
    problems.push(
      'EXECUTE: the DTR bootstrapper logs in to UCP, and no UCP_URL is set; set UCP_URL, or EXECUTE=off',
    );
  const raw = env.EXECUTE_DOCKER_HOST ?? env.DOCKER_HOST;
  if (raw === undefined) {
    problems.push(
      `EXECUTE_DOCKER_HOST: required with EXECUTE=on: the Docker API the bootstrapper runs through, an admin's UCP client bundle (${EXECUTE_VARIABLES.example})`,
    );
    return null;
  }
  const own = env.EXECUTE_DOCKER_HOST !== undefined;
  const engine = engineAddress(
    raw,
    own ? env.EXECUTE_CERT_PATH : (env.EXECUTE_CERT_PATH ?? env.DOCKER_CERT_PATH),
    // The console always verifies; DOCKER_TLS_VERIFY is the Docker CLI's switch, not needed here.
    true,
    own ? EXECUTE_VARIABLES : DOCKER_VARIABLES,
    problems,
  );
  return engine ? { engine, host: raw } : null;
}

/** An http:// URL whose host is not this machine: credentials sent there cross a network in clear. */
export function isPlaintextRemote(url: string): boolean {
  const u = new URL(url);
  if (u.protocol !== 'http:') return false;
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return !(host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host));
}

function buildLive(env: Env, common: CommonConfig, problems: string[]): LiveConfig | null {
  const need = (cond: boolean, line: string) => {
    if (cond) problems.push(line);
  };
  for (const variable of ['UCP_URL', 'DTR_URL'] as const) {
    const url = env[variable];
    need(
      url !== undefined && isPlaintextRemote(url) && env.ALLOW_PLAINTEXT_CREDENTIALS !== true,
      `${variable}: plain http:// would send the console's password and token in clear; use https:// (e.g. ${variable}=https://${variable === 'UCP_URL' ? 'ucp' : 'dtr'}.example.com), or accept the risk with ALLOW_PLAINTEXT_CREDENTIALS=true`,
    );
  }
  for (const prefix of ['UCP', 'DTR'] as const) {
    need(
      env[`${prefix}_PASSWORD`] !== undefined && env[`${prefix}_PASSWORD_FILE`] !== undefined,
      `${prefix}_PASSWORD_FILE: set either ${prefix}_PASSWORD or ${prefix}_PASSWORD_FILE, not both`,
    );
  }

  let ucp: UcpConfig | null = null;
  let engine: EngineConfig | null = null;
  const ucpPassword = passwordFrom(env.UCP_PASSWORD, env.UCP_PASSWORD_FILE);
  if (env.UCP_URL !== undefined) {
    need(!env.UCP_USERNAME, 'UCP_USERNAME: required when UCP_URL is set (e.g. UCP_USERNAME=admin)');
    need(
      !ucpPassword,
      'UCP_PASSWORD: required when UCP_URL is set; set UCP_PASSWORD or UCP_PASSWORD_FILE (e.g. UCP_PASSWORD_FILE=/run/secrets/ucp-password)',
    );
    if (env.UCP_USERNAME && ucpPassword) {
      ucp = {
        url: env.UCP_URL,
        username: env.UCP_USERNAME,
        password: ucpPassword,
        caFile: env.UCP_CA_FILE ?? null,
        insecureTls: env.UCP_INSECURE_TLS ?? false,
      };
    }
    need(
      env.DTR_URL === undefined,
      'DTR_URL: required when UCP_URL is set; the console reads the replica list from the DTR API (e.g. DTR_URL=https://dtr.example.com)',
    );
  } else if (env.DOCKER_HOST !== undefined) {
    engine = engineFrom(env, problems);
    need(
      env.AUTH === 'on',
      'AUTH: sign-in checks passwords against UCP, and with DOCKER_HOST alone there is none; set AUTH=off and keep the console behind your own access control, or set UCP_URL (e.g. AUTH=off)',
    );
  } else {
    problems.push(
      'UCP_URL: required when DTR_URL is set; the console reads nodes and managers from UCP, or from a Swarm manager with DOCKER_HOST (e.g. UCP_URL=https://ucp.example.com)',
    );
  }

  let dtr: DtrConfig | null = null;
  if (env.DTR_URL !== undefined) {
    const dtrUsername = env.DTR_USERNAME ?? env.UCP_USERNAME;
    const dtrPassword = passwordFrom(env.DTR_PASSWORD, env.DTR_PASSWORD_FILE) ?? ucpPassword;
    if (env.UCP_URL === undefined) {
      need(
        !dtrUsername,
        'DTR_USERNAME: required when UCP_USERNAME is not set (e.g. DTR_USERNAME=admin)',
      );
      need(
        !dtrPassword,
        'DTR_PASSWORD: required when UCP_PASSWORD is not set; set DTR_PASSWORD or DTR_PASSWORD_FILE (e.g. DTR_PASSWORD_FILE=/run/secrets/dtr-password)',
      );
    }
    if (dtrUsername && dtrPassword) {
      dtr = {
        url: env.DTR_URL,
        username: dtrUsername,
        password: dtrPassword,
        caFile: env.DTR_CA_FILE ?? env.UCP_CA_FILE ?? null,
        insecureTls: env.DTR_INSECURE_TLS ?? env.UCP_INSECURE_TLS ?? false,
        probeScheme: env.DTR_PROBE_SCHEME,
      };
    }
  }
  if (problems.length > 0 || (!ucp && !engine)) return null;

  const config: LiveConfig = {
    ...common,
    mode: 'live',
    ucp,
    engine,
    dtr,
    dockerHost: engine ? (env.DOCKER_HOST ?? null) : null,
    dtrVersion: env.DTR_VERSION ?? null,
    probeAllowedHosts: env.PROBE_ALLOWED_HOSTS,
    allowPlaintextCredentials: env.ALLOW_PLAINTEXT_CREDENTIALS ?? false,
    dtrImage: env.DTR_IMAGE ?? null,
    resolveTarget: async () => clusterTargetFromConfig(config),
  };
  return config;
}

/** Parses an environment object; throws ConfigError listing every problem at once. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = envSchema.safeParse(normalise(env));
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const e = parsed.data;
  const common: CommonConfig = {
    pollIntervalMs: e.POLL_INTERVAL_MS,
    probeTimeoutMs: e.PROBE_TIMEOUT_MS,
    databaseUrl: e.DATABASE_URL ?? DEFAULTS.databaseUrl,
    offlineLongMs: e.OFFLINE_LONG_MS,
    zoneLabel: e.ZONE_LABEL ?? DEFAULTS.zoneLabel,
    port: e.PORT,
    auth: e.AUTH,
    sessionSecret: e.SESSION_SECRET === undefined ? null : new Secret(e.SESSION_SECRET),
    sessionTtlMs: e.SESSION_TTL_MS,
    wizardRunTtlMs: e.WIZARD_RUN_TTL_MS,
    metricsToken: e.METRICS_TOKEN === undefined ? null : new Secret(e.METRICS_TOKEN),
    trustProxy: e.TRUST_PROXY,
    lbStatsUrl: e.LB_STATS_URL ?? null,
    execute: null,
  };
  if (e.UCP_URL === undefined && e.DTR_URL === undefined && e.DOCKER_HOST === undefined) {
    if (/^postgres(ql)?:\/\//i.test(common.databaseUrl)) {
      throw new ConfigError([
        'DATABASE_URL: several consoles sharing Postgres must watch one real cluster, and the built-in demo cluster is private to each process; start one with `npm run demo-cluster` and point every instance at it (UCP_URL, DTR_URL, …), or use a SQLite file (e.g. DATABASE_URL=file:./data/console.db)',
      ]);
    }
    const demoProblems: string[] = [];
    const execute = executeFrom(e, 'demo', demoProblems);
    if (demoProblems.length > 0) throw new ConfigError(demoProblems);
    return {
      ...common,
      execute,
      mode: 'demo',
      demo: {
        managers: e.DEMO_MANAGERS,
        replicas: e.DEMO_REPLICAS,
        caches: e.DEMO_CACHES,
        workers: e.DEMO_WORKERS,
      },
      demoServicePassword:
        e.DEMO_SERVICE_PASSWORD === undefined ? null : new Secret(e.DEMO_SERVICE_PASSWORD),
    };
  }
  const problems: string[] = [];
  // Swarm-only consoles have no sign-in (buildLive says so), so no session secret to ask for.
  const swarmOnly = e.UCP_URL === undefined && e.DOCKER_HOST !== undefined;
  if (e.AUTH === 'on' && e.SESSION_SECRET === undefined && !swarmOnly) {
    problems.push(
      'SESSION_SECRET: required in live mode so sessions survive restarts and cannot be forged; at least 32 characters (e.g. SESSION_SECRET=$(openssl rand -base64 48))',
    );
  }
  const execute = executeFrom(e, 'live', problems);
  const live = buildLive(e, { ...common, execute }, problems);
  if (!live) throw new ConfigError(problems);
  return live;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  return parseConfig(env);
}
