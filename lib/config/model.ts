// The console's configuration as the rest of the code reads it: the parsed settings, the poll
// target, the secrets that never print themselves, and the defaults.
/** A password that does not print itself in logs, JSON or inspect output. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return 'Secret([redacted])';
  }
}

export type PasswordSource = { kind: 'inline'; secret: Secret } | { kind: 'file'; path: string };
export type ProbeScheme = 'https' | 'http';

export interface UcpConfig {
  /** Origin of the UCP/MKE URL, e.g. "https://ucp.example.com". */
  url: string;
  username: string;
  password: PasswordSource;
  caFile: string | null;
  insecureTls: boolean;
}

export interface DtrConfig {
  url: string;
  username: string;
  password: PasswordSource;
  caFile: string | null;
  insecureTls: boolean;
  probeScheme: ProbeScheme;
}

export interface CommonConfig {
  pollIntervalMs: number;
  probeTimeoutMs: number;
  databaseUrl: string;
  /** A replica offline longer than this is worth a warning of its own. */
  offlineLongMs: number;
  /** Node label naming a node's failure zone. */
  zoneLabel: string;
  port: number;
  /** AUTH=off lets every visitor act as a local administrator (shown loudly in the UI). */
  auth: 'on' | 'off';
  /** Signs and encrypts session cookies; required in live mode with sign-in on. */
  sessionSecret: Secret | null;
  sessionTtlMs: number;
  /** A wizard run's command is withdrawn once its plan is older than this, whatever the cluster says. */
  wizardRunTtlMs: number;
  /** Bearer token for /api/metrics and /api/healthz; null leaves them open to scrapers. */
  metricsToken: Secret | null;
  /** Reverse-proxy hops in front of the console that append to X-Forwarded-For. */
  trustProxy: number;
  /** HAProxy stats (CSV) of the load balancer in front of DTR, to compare its pool with the cluster. */
  lbStatsUrl: string | null;
  /** EXECUTE=on: the console may run wizard steps itself (issue 22); null when off (the default). */
  execute: ExecuteConfig | null;
}

/** How the console runs a wizard step when EXECUTE=on. */
export interface ExecuteConfig {
  /**
   * The Docker API the bootstrapper runs through (an admin's UCP client bundle, or one engine);
   * null in demo mode, where the demo cluster runs the step itself.
   */
  engine: EngineConfig | null;
  /** EXECUTE_DOCKER_HOST (or DOCKER_HOST) as given, to say where steps run; null in demo mode. */
  host: string | null;
}

/** Size of the embedded demo cluster (DEMO_* variables), for load tests and benchmarks. */
export interface DemoSize {
  managers: number;
  replicas: number;
  caches: number;
  workers: number;
}

export interface DemoConfig extends CommonConfig {
  mode: 'demo';
  demo: DemoSize;
  /** Password of the demo's polling account; random unless given (tests scan for it). */
  demoServicePassword: Secret | null;
}

/**
 * A Swarm manager's Docker Engine API (DOCKER_HOST), read as the Docker CLI reads it: a unix
 * socket, or TCP with the client certificates in DOCKER_CERT_PATH (what a UCP client bundle holds).
 */
export type EngineConfig =
  | { kind: 'unix'; socketPath: string }
  | { kind: 'tcp'; hostname: string; port: number; certPath: string };

export interface LiveConfig extends CommonConfig {
  mode: 'live';
  /** null when DOCKER_HOST names the cluster instead (Swarm-only). */
  ucp: UcpConfig | null;
  /** The Swarm manager polled when UCP_URL is not set; null otherwise. */
  engine: EngineConfig | null;
  /** null when DTR_URL is not set: Swarm-only, the DTR section reports "not configured". */
  dtr: DtrConfig | null;
  /** DOCKER_HOST as given, when it is the cluster source. */
  dockerHost: string | null;
  /** Installed DTR version when the operator pins it; otherwise discovered through UCP. */
  dtrVersion: string | null;
  /**
   * ALLOW_PLAINTEXT_CREDENTIALS: the operator accepts that an http:// UCP_URL or DTR_URL on
   * another machine gets the service password and token in clear (warned about at start-up).
   */
  allowPlaintextCredentials: boolean;
  /** PROBE_ALLOWED_HOSTS: hosts outside the node list the console may probe (content caches). */
  probeAllowedHosts: string[];
  /**
   * DTR_IMAGE: the bootstrapper image printed commands use (`repo` or `repo:tag`), when the
   * operator sets it; otherwise derived from the replicas' own dtr-registry image.
   */
  dtrImage: string | null;
  /** Reads the CA and password files and builds the poll target (see clusterTargetFromConfig). */
  resolveTarget(): Promise<ClusterTarget>;
}

export type Config = DemoConfig | LiveConfig;

export interface UcpTarget {
  url: string;
  username: string;
  password: string;
  ca?: string;
  insecureTls: boolean;
}

export interface DtrTarget {
  url: string;
  username: string;
  password: string;
  ca?: string;
  insecureTls: boolean;
  probeScheme: ProbeScheme;
}

/** A Swarm manager's Engine API with its certificate files read. `host` is DOCKER_HOST, for messages. */
export type EngineTarget =
  | { kind: 'unix'; host: string; socketPath: string }
  | { kind: 'tcp'; host: string; url: string; ca: string; cert: string; key: string };

/** What the monitor needs to poll one cluster, with CA and password files already read. */
export interface ClusterTarget {
  /** UCP / MKE; null when a Swarm manager's Engine API (`engine`) is the cluster source. */
  ucp: UcpTarget | null;
  /** The Swarm manager to read nodes from when there is no UCP (DOCKER_HOST). */
  engine?: EngineTarget;
  /** null when DTR is not configured (Swarm-only). */
  dtr: DtrTarget | null;
  /**
   * EXECUTE=on in live mode: the Docker API the bootstrapper runs through, certificates read.
   * `viaBundle`: a UCP client bundle (UCP schedules, `constraint:node==` pins the node), as
   * opposed to one engine, whose own node is the only place a step can run.
   */
  execute?: { engine: EngineTarget; viaBundle: boolean };
  pollIntervalMs: number;
  probeTimeoutMs: number;
  dtrVersion: string | null;
  /**
   * Send the service credentials to member addresses from the node list, not only to UCP_URL's
   * and DTR_URL's origins, whatever the scheme. Only for the built-in demo, whose members are
   * the console's own loopback servers; never from the environment. Without it, a member is
   * asked with credentials only over verified HTTPS pinned to the configured host name.
   */
  trustMemberOrigins?: boolean;
  /**
   * Hosts (lowercase names or IP literals) the console may probe besides the node list's own
   * hostnames and addresses: content caches outside the swarm. Absent: the node list only.
   */
  probeAllowedHosts?: string[];
}

/** A misconfiguration: `problems` holds one readable line per problem, `message` joins them. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

export const DEFAULTS = {
  pollIntervalMs: 2000,
  probeTimeoutMs: 1500,
  offlineLongMs: 30 * 60 * 1000,
  zoneLabel: 'zone',
  databaseUrl: 'file:./data/console.db',
  port: 3000,
  sessionTtlMs: 8 * 3_600_000,
  wizardRunTtlMs: 3_600_000,
  demo: { managers: 3, replicas: 3, caches: 3, workers: 4 },
} as const;
