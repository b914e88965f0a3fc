// The fleet: which clusters the console watches. Today's variables are one cluster named
// "default"; CLUSTERS_FILE (YAML or JSON) lists several real ones; DEMO_CLUSTERS=2 runs two
// built-in demo clusters. Each file cluster is mapped onto the variables parseConfig reads, over
// the process-wide ones only, so every check of env.ts applies to it unchanged; its problems come
// back as one line naming the file, the cluster and the field.
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CONFIG_VARIABLES, loadConfig, parseConfig } from './env';
import { type Config, ConfigError, type DemoConfig, type DemoSize, type LiveConfig } from './model';

export interface ClusterEntry {
  name: string;
  config: Config;
}

export interface FleetConfig {
  /**
   * The process-wide settings (PORT, DATABASE_URL, AUTH, SESSION_*, METRICS_TOKEN, TRUST_PROXY,
   * OFFLINE_LONG_MS, ZONE_LABEL, WIZARD_RUN_TTL_MS): today's Config from the env in 'single' and
   * 'demo'. With CLUSTERS_FILE it is the first cluster's config (mode 'live', so nothing demo-only
   * applies to the process); read per-cluster settings from `clusters`, never from `base`.
   */
  base: Config;
  /** At least one; order as configured. Names unique, each matching CLUSTER_NAME. */
  clusters: ClusterEntry[];
  /** 'single': today's variables (one cluster, "default"); 'file': CLUSTERS_FILE; 'demo': DEMO_CLUSTERS=2. */
  source: 'single' | 'file' | 'demo';
  /** Lines to print at start-up; never a secret. */
  notices: string[];
}

// A cluster's name appears in URLs (/c/<name>/…), metrics labels and messages; the rule and the
// one-cluster name live with the URL rules (lib/domain/cluster-path.ts).
import { CLUSTER_NAME, DEFAULT_CLUSTER as DEFAULT_CLUSTER_NAME } from '@/lib/domain/cluster-path';

export { CLUSTER_NAME, DEFAULT_CLUSTER_NAME };

/** The second demo cluster's size with DEMO_CLUSTERS=2: a small disaster-recovery site. */
export const DR_DEMO_SIZE: DemoSize = { managers: 3, replicas: 1, caches: 0, workers: 2 };

/**
 * Variables that describe one cluster, with the clusters file's field for each. From the process
 * environment they never reach a file cluster. DOCKER_TLS_VERIFY has no field: a file cluster
 * with a tcp:// dockerHost is always verified.
 */
export const CLUSTER_FIELDS = {
  UCP_URL: 'ucpUrl',
  UCP_USERNAME: 'username',
  UCP_PASSWORD: 'password',
  UCP_PASSWORD_FILE: 'passwordFile',
  UCP_CA_FILE: 'ucpCaFile',
  UCP_INSECURE_TLS: 'ucpInsecureTls',
  DOCKER_HOST: 'dockerHost',
  DOCKER_CERT_PATH: 'dockerCertPath',
  DTR_URL: 'dtrUrl',
  DTR_USERNAME: 'dtrUsername',
  DTR_PASSWORD: 'dtrPassword',
  DTR_PASSWORD_FILE: 'dtrPasswordFile',
  DTR_CA_FILE: 'dtrCaFile',
  DTR_INSECURE_TLS: 'dtrInsecureTls',
  DTR_PROBE_SCHEME: 'dtrProbeScheme',
  DTR_VERSION: 'dtrVersion',
  DTR_IMAGE: 'dtrImage',
  ALLOW_PLAINTEXT_CREDENTIALS: 'allowPlaintextCredentials',
  PROBE_ALLOWED_HOSTS: 'probeAllowedHosts',
  LB_STATS_URL: 'lbStatsUrl',
  POLL_INTERVAL_MS: 'pollIntervalMs',
  PROBE_TIMEOUT_MS: 'probeTimeoutMs',
  EXECUTE: 'execute',
  EXECUTE_DOCKER_HOST: 'executeDockerHost',
  EXECUTE_CERT_PATH: 'executeCertPath',
} as const;

type ClusterVariable = keyof typeof CLUSTER_FIELDS;

/** Per-cluster variables whose value in the environment is every file cluster's default. */
const ENV_DEFAULTS = new Set<string>(['POLL_INTERVAL_MS', 'PROBE_TIMEOUT_MS']);

/** Variables of the built-in demo only. */
export const DEMO_VARIABLES = [
  'DEMO_MANAGERS',
  'DEMO_REPLICAS',
  'DEMO_CACHES',
  'DEMO_WORKERS',
  'DEMO_SERVICE_PASSWORD',
] as const;

/** Per-cluster variables that exist only in the environment (no field in the file). */
const ENV_ONLY_CLUSTER_VARIABLES = new Set<string>(['DOCKER_TLS_VERIFY']);

/** Everything else parseConfig reads is the process's: shared by every cluster. */
export const PROCESS_VARIABLES: readonly string[] = CONFIG_VARIABLES.filter(
  (v) =>
    !(v in CLUSTER_FIELDS) &&
    !ENV_ONLY_CLUSTER_VARIABLES.has(v) &&
    !(DEMO_VARIABLES as readonly string[]).includes(v),
);

/** The variables that name a real cluster: with any of them set, the console is live. */
const LIVE_VARIABLES = ['UCP_URL', 'DTR_URL', 'DOCKER_HOST'] as const;

function setting(env: Record<string, string | undefined>, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** Reads the fleet from the environment; throws ConfigError listing every problem, one per line. */
export function loadFleetConfig(
  env: Record<string, string | undefined> = process.env,
): FleetConfig {
  const clustersFile = setting(env, 'CLUSTERS_FILE');
  const demoClusters = setting(env, 'DEMO_CLUSTERS');
  const live = LIVE_VARIABLES.filter((v) => setting(env, v) !== undefined);

  if (demoClusters !== undefined) {
    const problems: string[] = [];
    if (demoClusters !== '1' && demoClusters !== '2')
      problems.push(
        `DEMO_CLUSTERS: expected 1 or 2 built-in demo clusters, got "${demoClusters}" (e.g. DEMO_CLUSTERS=2)`,
      );
    if (clustersFile !== undefined)
      problems.push(
        'DEMO_CLUSTERS: runs built-in demo clusters, and CLUSTERS_FILE lists real ones; set one of them, not both',
      );
    if (live.length > 0)
      problems.push(
        `DEMO_CLUSTERS: runs built-in demo clusters, and ${live.join(', ')} ${live.length > 1 ? 'name' : 'names'} a real one; unset DEMO_CLUSTERS to watch that cluster, or unset ${live.join(', ')} for the demo`,
      );
    let config: Config | null = null;
    // A real cluster's own problems would only distract from the choice to make first.
    if (clustersFile === undefined && live.length === 0) {
      try {
        config = loadConfig(env);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(...error.problems);
      }
    }
    if (problems.length > 0 || config === null) throw new ConfigError(problems);
    if (demoClusters === '2' && config.mode === 'demo') return demoFleet(config);
    return single(config);
  }

  if (clustersFile !== undefined) {
    if (live.length > 0)
      throw new ConfigError([
        `CLUSTERS_FILE: lists the clusters, and ${live.join(', ')} in the environment ${live.length > 1 ? 'name' : 'names'} one too; pick one: move that cluster into ${clustersFile}, or unset CLUSTERS_FILE to watch only it`,
      ]);
    return fileFleet(clustersFile, env);
  }

  return single(loadConfig(env));
}

function single(config: Config): FleetConfig {
  return {
    base: config,
    clusters: [{ name: DEFAULT_CLUSTER_NAME, config }],
    source: 'single',
    notices: [],
  };
}

function describeSize(size: DemoSize): string {
  return `${size.managers} managers, ${size.replicas} ${size.replicas === 1 ? 'replica' : 'replicas'}, ${size.caches} caches, ${size.workers} workers`;
}

function demoFleet(prod: DemoConfig): FleetConfig {
  // LB_STATS_URL describes one load balancer: the first cluster's.
  const dr: DemoConfig = { ...prod, demo: { ...DR_DEMO_SIZE }, lbStatsUrl: null };
  return {
    base: prod,
    clusters: [
      { name: 'prod', config: prod },
      { name: 'dr', config: dr },
    ],
    source: 'demo',
    notices: [
      `DEMO_CLUSTERS=2: two built-in demo clusters, prod (${describeSize(prod.demo)}) and dr (${describeSize(dr.demo)})`,
    ],
  };
}

// ---------------------------------------------------------------------------
// CLUSTERS_FILE

const text = z.string({ error: 'expected text' });
const flag = z.union([z.boolean(), z.string()], { error: 'expected true or false' });
const millis = z.union([z.number(), z.string()], {
  error: 'expected a whole number of milliseconds',
});

const clusterSchema = z
  .object({
    name: z
      .string({ error: 'expected text' })
      .regex(
        CLUSTER_NAME,
        'must be 1 to 31 lowercase letters, digits or dashes, starting with a letter or digit, as it appears in URLs (e.g. prod-eu)',
      ),
    ucpUrl: text.optional(),
    username: text.optional(),
    password: text.optional(),
    passwordFile: text.optional(),
    ucpCaFile: text.optional(),
    ucpInsecureTls: flag.optional(),
    dockerHost: text.optional(),
    dockerCertPath: text.optional(),
    dtrUrl: text.optional(),
    dtrUsername: text.optional(),
    dtrPassword: text.optional(),
    dtrPasswordFile: text.optional(),
    dtrCaFile: text.optional(),
    dtrInsecureTls: flag.optional(),
    dtrProbeScheme: text.optional(),
    dtrVersion: text.optional(),
    dtrImage: text.optional(),
    allowPlaintextCredentials: flag.optional(),
    probeAllowedHosts: z
      .union([z.string(), z.array(z.string())], {
        error: 'expected a list of host names or IP addresses',
      })
      .optional(),
    lbStatsUrl: text.optional(),
    pollIntervalMs: millis.optional(),
    probeTimeoutMs: millis.optional(),
    execute: flag.optional(),
    executeDockerHost: text.optional(),
    executeCertPath: text.optional(),
  })
  .strict();

type FileCluster = z.infer<typeof clusterSchema>;

const FIELDS = ['name', ...Object.values(CLUSTER_FIELDS)];

const VARIABLE_OF = Object.fromEntries(
  Object.entries(CLUSTER_FIELDS).map(([variable, field]) => [field, variable]),
) as Record<string, ClusterVariable>;

function describeReadError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return typeof code === 'string' ? code : 'unreadable';
}

/** The file's text and permission bits, from one open file (no swap between stat and read). */
function readClustersFile(file: string): { text: string; mode: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new ConfigError([
      `CLUSTERS_FILE ${file}: cannot read it (${describeReadError(error)}); give the path of a YAML or JSON clusters file the console can read`,
    ]);
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile())
      throw new ConfigError([
        `CLUSTERS_FILE ${file}: not a regular file; give the path of a YAML or JSON clusters file`,
      ]);
    return { text: readFileSync(fd, 'utf8'), mode: stat.mode & 0o777 };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError([
      `CLUSTERS_FILE ${file}: cannot read it (${describeReadError(error)}); give the path of a YAML or JSON clusters file the console can read`,
    ]);
  } finally {
    closeSync(fd);
  }
}

/** JSON's own messages may quote the text around the error (a password): keep the position only. */
function jsonProblem(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  let reason = message.replace(/\s*in JSON at position \d+.*$/s, '');
  // V8 quotes the text around an unexpected token in double quotes: never show it.
  if (reason.includes('"'))
    reason = /^Unexpected token/.test(reason)
      ? 'unexpected character (a value without quotes?)'
      : 'unexpected input';
  if (!position) return reason.includes('end of JSON input') ? 'the text ends early' : reason;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${reason} at line ${line}, column ${column}`;
}

function parseText(file: string, text: string): unknown {
  const json = file.toLowerCase().endsWith('.json');
  try {
    return json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = json
      ? jsonProblem(text, error)
      : (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/:$/, '');
    throw new ConfigError([
      `CLUSTERS_FILE ${file}: not valid ${json ? 'JSON' : 'YAML'}: ${reason}`,
    ]);
  }
}

/** Rewrites a parser message for the file: variable names become the file's field names. */
function inFileTerms(message: string): string {
  let out = message.replace(
    /the _USERNAME and _PASSWORD variables/g,
    'the username and password fields',
  );
  for (const [variable, field] of Object.entries(CLUSTER_FIELDS)) {
    out = out
      .replace(new RegExp(`\\b${variable}=`, 'g'), `${field}: `)
      .replace(new RegExp(`\\b${variable}\\b`, 'g'), field);
  }
  return out;
}

function stringValue(value: string | boolean | number | string[]): string {
  return Array.isArray(value) ? value.join(',') : String(value);
}

function fileFleet(file: string, env: Record<string, string | undefined>): FleetConfig {
  const { text: raw, mode } = readClustersFile(file);
  const where = `CLUSTERS_FILE ${file}`;
  const parsed = parseText(file, raw) ?? [];
  const top = z
    .union([z.object({ clusters: z.array(z.unknown()) }).strict(), z.array(z.unknown())])
    .safeParse(parsed);
  if (!top.success)
    throw new ConfigError([
      `${where}: expected a "clusters" list (or a bare list) of clusters, each with a name (e.g. clusters: [{name: prod, ucpUrl: https://ucp.example.com, dtrUrl: https://dtr.example.com, username: dtr-console, passwordFile: /run/secrets/prod}])`,
    ]);
  const items = Array.isArray(top.data) ? top.data : top.data.clusters;
  if (items.length === 0)
    throw new ConfigError([
      `${where}: lists no clusters; give at least one, each with a name, its UCP (ucpUrl) or Swarm manager (dockerHost), and usually its DTR (dtrUrl)`,
    ]);

  // What every cluster shares: the process-wide variables, and the defaults a cluster may override.
  const shared: Record<string, string | undefined> = {};
  for (const variable of [...PROCESS_VARIABLES, ...ENV_DEFAULTS]) shared[variable] = env[variable];

  const processProblems = new Set<string>();
  const problems: string[] = [];
  const clusters: ClusterEntry[] = [];
  const names = new Map<string, number>();
  const inline: { label: string; field: string }[] = [];

  items.forEach((item, index) => {
    const givenName =
      item && typeof item === 'object' ? (item as { name?: unknown }).name : undefined;
    const label =
      typeof givenName === 'string' && givenName.trim() !== ''
        ? `cluster ${JSON.stringify(givenName.slice(0, 64))}`
        : `cluster #${index + 1}`;
    const at = (field: string, message: string) => `${where}: ${label}: ${field}: ${message}`;

    const result = clusterSchema.safeParse(item);
    if (!result.success) {
      for (const issue of result.error.issues) {
        if (issue.code === 'unrecognized_keys') {
          for (const key of issue.keys)
            problems.push(
              at(
                /^[\w.-]{1,64}$/.test(key) ? key : JSON.stringify(key.slice(0, 64)),
                `unknown field (the fields are ${FIELDS.join(', ')})`,
              ),
            );
        } else if (issue.path.length === 0) {
          problems.push(
            `${where}: ${label}: expected a cluster: a mapping of fields (${FIELDS.join(', ')})`,
          );
        } else {
          const field = String(issue.path[0]);
          const given = (item as Record<string, unknown>)[field] !== undefined;
          problems.push(at(field, given ? issue.message : 'is required'));
        }
      }
      return;
    }
    const cluster: FileCluster = result.data;
    const first = names.get(cluster.name);
    if (first !== undefined) {
      problems.push(
        at('name', `cluster #${first + 1} has this name too; each cluster needs its own`),
      );
      return;
    }
    names.set(cluster.name, index);
    if (
      cluster.ucpUrl === undefined &&
      cluster.dockerHost === undefined &&
      cluster.dtrUrl === undefined
    ) {
      problems.push(
        at(
          'ucpUrl',
          'required: a cluster is read from its UCP (ucpUrl) or a Swarm manager (dockerHost), and its DTR (dtrUrl) (e.g. ucpUrl: https://ucp.example.com)',
        ),
      );
      return;
    }
    for (const field of ['password', 'dtrPassword'] as const)
      if (cluster[field] !== undefined) inline.push({ label, field });

    const clusterEnv: Record<string, string | undefined> = { ...shared };
    const fromFile = new Set<string>();
    for (const [field, value] of Object.entries(cluster)) {
      const variable = VARIABLE_OF[field];
      if (variable === undefined || value === undefined) continue;
      clusterEnv[variable] = stringValue(value as string | boolean | number | string[]);
      fromFile.add(variable);
    }
    // The console only talks verified TLS to a Docker daemon; the file has no way to say otherwise.
    clusterEnv.DOCKER_TLS_VERIFY = '1';

    const line = (problem: string): string => {
      const match = /^([A-Z][A-Z0-9_]*): ([\s\S]*)$/.exec(problem);
      if (!match) return `${where}: ${label}: ${problem}`;
      const variable = match[1]!;
      const message = match[2]!;
      if (variable === 'AUTH' && message.startsWith('sign-in checks passwords against UCP'))
        return at(
          'dockerHost',
          'sign-in checks passwords against UCP, and this cluster has none (no ucpUrl); give it a ucpUrl, or set AUTH=off for the console and keep it behind your own access control',
        );
      const field = (CLUSTER_FIELDS as Record<string, string>)[variable];
      if (field !== undefined && (fromFile.has(variable) || !ENV_DEFAULTS.has(variable)))
        return at(field, inFileTerms(message));
      processProblems.add(problem);
      return '';
    };

    let config: Config;
    try {
      config = parseConfig(clusterEnv);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems.map(line).filter((l) => l !== ''));
      return;
    }
    if (config.mode !== 'live') {
      problems.push(at('ucpUrl', 'required (e.g. ucpUrl: https://ucp.example.com)'));
      return;
    }
    const target = config.resolveTarget;
    const wrapped: LiveConfig = {
      ...config,
      // The CA and password files are read later: their problems name the cluster too.
      resolveTarget: async () => {
        try {
          return await target();
        } catch (error) {
          if (!(error instanceof ConfigError)) throw error;
          throw new ConfigError(error.problems.map(line).filter((l) => l !== ''));
        }
      },
    };
    clusters.push({ name: cluster.name, config: wrapped });
  });

  const notices: string[] = [];
  if (inline.length > 0) {
    const which = inline.map(({ label, field }) => `${label} (${field})`).join(', ');
    if ((mode & 0o077) !== 0) {
      for (const { label, field } of inline)
        problems.push(
          `${where}: ${label}: ${field}: an inline password needs the file readable by its owner only, and its mode is ${mode.toString(8).padStart(4, '0')}; run chmod 600 ${file}, or use ${field}File with a file of its own`,
        );
    } else {
      notices.push(
        `${where}: holds inline passwords for ${which}; it is mode ${mode.toString(8).padStart(4, '0')}, readable by its owner only: keep it so, or move them to passwordFile / dtrPasswordFile`,
      );
    }
  }
  const all = [...processProblems, ...problems];
  if (all.length > 0) throw new ConfigError(all);

  const ignored = CONFIG_VARIABLES.filter(
    (v) =>
      (v in CLUSTER_FIELDS ||
        ENV_ONLY_CLUSTER_VARIABLES.has(v) ||
        DEMO_VARIABLES.includes(v as never)) &&
      !ENV_DEFAULTS.has(v) &&
      setting(env, v) !== undefined,
  );
  if (ignored.length > 0)
    notices.push(
      `${where}: each cluster's settings come from the file; ${ignored.join(', ')} in the environment ${ignored.length > 1 ? 'are' : 'is'} not used`,
    );
  return { base: clusters[0]!.config, clusters, source: 'file', notices };
}
