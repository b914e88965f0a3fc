import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type ClusterTarget,
  ConfigError,
  type EngineConfig,
  type EngineTarget,
  type LiveConfig,
  type PasswordSource,
} from './model';

// ---------------------------------------------------------------------------
// From configuration to a poll target: the only step that reads files.

export type ReadText = (path: string) => string;

const readTextFile: ReadText = (path) => readFileSync(path, 'utf8');

function describeReadError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return typeof code === 'string' ? code : 'unreadable';
}

/** Reads the CA and password files a live config points at and returns the monitor's target. */
export function clusterTargetFromConfig(
  config: Omit<LiveConfig, 'resolveTarget'>,
  readText: ReadText = readTextFile,
): ClusterTarget {
  const problems: string[] = [];
  const read = (variable: string, path: string): string | undefined => {
    try {
      return readText(path);
    } catch (err) {
      problems.push(`${variable}: cannot read ${path}: ${describeReadError(err)}`);
      return undefined;
    }
  };
  const readCa = (variable: string, path: string | null): string | undefined => {
    if (path === null) return undefined;
    const pem = read(variable, path);
    if (pem !== undefined && !pem.includes('-----BEGIN CERTIFICATE-----')) {
      problems.push(
        `${variable}: ${path} holds no PEM certificate (expected "-----BEGIN CERTIFICATE-----"; UCP serves its CA at /ca)`,
      );
      return undefined;
    }
    return pem;
  };
  const readPassword = (variable: string, source: PasswordSource): string => {
    if (source.kind === 'inline') return source.secret.reveal();
    // Files written by editors and `echo` end in a newline that is not part of the password.
    return read(variable, source.path)?.replace(/\r?\n$/, '') ?? '';
  };

  const { ucp, dtr } = config;
  const ucpVar = ucp?.password.kind === 'file' ? 'UCP_PASSWORD_FILE' : 'UCP_PASSWORD';
  const sharedPassword = ucp !== null && dtr?.password === ucp.password;
  const dtrVar = sharedPassword
    ? ucpVar
    : dtr?.password.kind === 'file'
      ? 'DTR_PASSWORD_FILE'
      : 'DTR_PASSWORD';
  const ucpCa = ucp ? readCa('UCP_CA_FILE', ucp.caFile) : undefined;
  const dtrCa =
    dtr === null
      ? undefined
      : ucp && dtr.caFile === ucp.caFile
        ? ucpCa
        : readCa('DTR_CA_FILE', dtr.caFile);
  const ucpPassword = ucp ? readPassword(ucpVar, ucp.password) : '';
  const dtrPassword =
    dtr === null ? '' : sharedPassword ? ucpPassword : readPassword(dtrVar, dtr.password);
  const engine = config.engine
    ? engineTarget(config.engine, config.dockerHost, 'DOCKER_CERT_PATH', read, problems)
    : undefined;
  const executeEngine = config.execute?.engine
    ? engineTarget(
        config.execute.engine,
        config.execute.host,
        config.execute.host === config.dockerHost ? 'DOCKER_CERT_PATH' : 'EXECUTE_CERT_PATH',
        read,
        problems,
      )
    : undefined;
  if (problems.length === 0 && ucp && ucpPassword === '')
    problems.push(`${ucpVar}: the password is empty`);
  if (problems.length === 0 && dtr && !sharedPassword && dtrPassword === '')
    problems.push(`${dtrVar}: the password is empty`);
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);

  return {
    ucp: ucp
      ? {
          url: ucp.url,
          username: ucp.username,
          password: ucpPassword,
          insecureTls: ucp.insecureTls,
          ...(ucpCa ? { ca: ucpCa } : {}),
        }
      : null,
    ...(engine ? { engine } : {}),
    ...(executeEngine
      ? {
          execute: {
            engine: executeEngine,
            // Through UCP's own address a bundle's requests are scheduled by UCP; a socket or a
            // manager's engine port runs containers on that engine's node only.
            viaBundle:
              ucp !== null && executeEngine.kind === 'tcp' && sameHost(executeEngine.url, ucp.url),
          },
        }
      : {}),
    dtr: dtr
      ? {
          url: dtr.url,
          username: dtr.username,
          password: dtrPassword,
          insecureTls: dtr.insecureTls,
          probeScheme: dtr.probeScheme,
          ...(dtrCa ? { ca: dtrCa } : {}),
        }
      : null,
    pollIntervalMs: config.pollIntervalMs,
    probeTimeoutMs: config.probeTimeoutMs,
    dtrVersion: config.dtrVersion,
    ...(config.probeAllowedHosts.length > 0 ? { probeAllowedHosts: config.probeAllowedHosts } : {}),
  };
}

const PEM_MARKERS = {
  'ca.pem': ['-----BEGIN CERTIFICATE-----', 'PEM certificate'],
  'cert.pem': ['-----BEGIN CERTIFICATE-----', 'PEM certificate'],
  'key.pem': ['PRIVATE KEY-----', 'PEM private key'],
} as const;

/** The Engine target, with ca.pem, cert.pem and key.pem read from DOCKER_CERT_PATH for tcp://. */
function engineTarget(
  engine: EngineConfig,
  dockerHost: string | null,
  certVariable: string,
  read: (variable: string, path: string) => string | undefined,
  problems: string[],
): EngineTarget | undefined {
  const host =
    dockerHost ??
    (engine.kind === 'unix' ? `unix://${engine.socketPath}` : `tcp://${engine.hostname}`);
  if (engine.kind === 'unix') return { kind: 'unix', host, socketPath: engine.socketPath };
  const files = {} as Record<keyof typeof PEM_MARKERS, string>;
  let complete = true;
  for (const [name, [marker, what]] of Object.entries(PEM_MARKERS)) {
    const file = path.join(engine.certPath, name);
    const text = read(certVariable, file);
    if (text !== undefined && !text.includes(marker)) {
      problems.push(`${certVariable}: ${file} holds no ${what} (a UCP client bundle has one)`);
      complete = false;
    } else if (text === undefined) complete = false;
    else files[name as keyof typeof PEM_MARKERS] = text;
  }
  if (!complete) return undefined;
  const h = engine.hostname.includes(':') ? `[${engine.hostname}]` : engine.hostname;
  return {
    kind: 'tcp',
    host,
    url: `https://${h}:${engine.port}`,
    ca: files['ca.pem'],
    cert: files['cert.pem'],
    key: files['key.pem'],
  };
}

/** Whether two URLs name the same host (the bundle's Docker API is UCP's own address). */
function sameHost(a: string, b: string): boolean {
  try {
    return new URL(a).hostname.toLowerCase() === new URL(b).hostname.toLowerCase();
  } catch {
    return false;
  }
}
