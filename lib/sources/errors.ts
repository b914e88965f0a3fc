// Upstream failures, classified into a few kinds with messages safe to show (no credentials).
import 'server-only';
import { sanitizeReason } from './upstream-values';

export type SourceErrorKind =
  'refused' | 'timeout' | 'dns' | 'tls' | 'http' | 'auth' | 'malformed' | 'network';

/** A failed upstream call, classified; the message is safe to show (no credentials). */
export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly kind: SourceErrorKind,
    message: string,
    readonly status?: number,
    /** 'no-leader': Swarm answered that it has no Raft leader (too few managers online). */
    readonly reason?: 'no-leader',
  ) {
    super(message);
  }
}

const NO_LEADER = /does not have a leader/i;

/** Swarm's own word that its managers lost quorum: "The swarm does not have a leader". */
export function isNoLeaderError(err: unknown): boolean {
  return err instanceof SourceError && err.reason === 'no-leader';
}

/** The "no leader" error for a 500 whose body says so; null for any other answer. */
export function noLeaderError(
  status: number,
  body: string,
  method: string,
  url: string,
  socketPath?: string,
): SourceError | null {
  if (status !== 500 && status !== 503) return null;
  const said = /"message"\s*:\s*"([^"]{0,300})"/.exec(body)?.[1] ?? body.slice(0, 300);
  if (!NO_LEADER.test(said)) return null;
  const text = sanitizeReason(said.replace(/^rpc error: code = \w+ desc = /, ''));
  return new SourceError(
    'http',
    `Swarm has no leader (manager quorum lost): ${where(method, new URL(url), socketPath)} answered HTTP ${status}: ${text}`,
    status,
    'no-leader',
  );
}

export function isSourceError(err: unknown): err is SourceError {
  return err instanceof SourceError;
}

/** "host:port" of a URL, with the scheme's default port filled in. */
export function hostPort(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.hostname}:${port}`;
}

/** What a message names as the far end: the unix socket when one was dialled, else host:port. */
export function endpointOf(url: URL, socketPath?: string): string {
  return socketPath ? `unix://${socketPath}` : hostPort(url);
}

function where(method: string, url: URL, socketPath?: string): string {
  return `${endpointOf(url, socketPath)} (${method} ${url.pathname})`;
}

function errorChain(err: unknown): { code?: string; name?: string; message?: string }[] {
  const chain: { code?: string; name?: string; message?: string }[] = [];
  let current: unknown = err;
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    chain.push(current as { code?: string; name?: string; message?: string });
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);
const TLS_MESSAGES: Record<string, string> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'certificate signed by unknown authority',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'certificate signed by unknown authority',
  UNABLE_TO_GET_ISSUER_CERT: 'certificate signed by unknown authority',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificate signed by unknown authority (self-signed CA in chain)',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'certificate signed by unknown authority (self-signed certificate)',
  CERT_HAS_EXPIRED: 'certificate has expired',
  CERT_NOT_YET_VALID: 'certificate is not yet valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'certificate is not valid for this host name',
};

/** Turns whatever undici or Node threw into a SourceError with a readable message. */
export function classifyError(
  err: unknown,
  method: string,
  url: URL,
  timeoutMs: number,
  socketPath?: string,
): SourceError {
  if (err instanceof SourceError) return err;
  const chain = errorChain(err);
  const at = endpointOf(url, socketPath);
  for (const e of chain) {
    const code = e.code ?? '';
    if (e.name === 'TimeoutError' || e.name === 'AbortError' || TIMEOUT_CODES.has(code)) {
      return new SourceError(
        'timeout',
        `no answer within ${timeoutMs} ms from ${where(method, url, socketPath)}`,
      );
    }
    if (code === 'ECONNREFUSED') return new SourceError('refused', `connection refused by ${at}`);
    if (socketPath && code === 'ENOENT') {
      return new SourceError('refused', `no socket at ${at}: is the Docker daemon running?`);
    }
    if (socketPath && (code === 'EACCES' || code === 'EPERM')) {
      return new SourceError(
        'auth',
        `permission denied on ${at}: the console's user needs access to the Docker socket`,
      );
    }
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
      return new SourceError('dns', `cannot resolve host ${url.hostname}`);
    }
    const tlsText = TLS_MESSAGES[code];
    if (tlsText)
      return new SourceError(
        'tls',
        `TLS: ${tlsText} (${at}); set the CA file or, for tests only, insecure TLS`,
      );
    if (
      code.startsWith('ERR_SSL_') ||
      code.startsWith('ERR_TLS_') ||
      code === 'EPROTO' ||
      /certificate|ssl|tls/i.test(code)
    ) {
      return new SourceError('tls', `TLS: handshake with ${at} failed (${code})`);
    }
    if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE') {
      return new SourceError('network', `connection to ${at} was closed unexpectedly`);
    }
    if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') {
      return new SourceError('network', `no route to ${at} (${code})`);
    }
  }
  const first = chain.find((e) => e.code) ?? chain[0];
  return new SourceError(
    'network',
    `request to ${at} failed${first?.code ? ` (${first.code})` : ''}`,
  );
}

/** The error for an HTTP status the caller did not expect. */
export function statusError(
  status: number,
  method: string,
  url: string,
  socketPath?: string,
): SourceError {
  const u = new URL(url);
  if (status === 401 || status === 403) {
    return new SourceError(
      'auth',
      `authentication failed: HTTP ${status} from ${where(method, u, socketPath)}`,
      status,
    );
  }
  return new SourceError(
    'http',
    `unexpected HTTP ${status} from ${where(method, u, socketPath)}`,
    status,
  );
}

/** Whether another address of the same cluster might answer where this one failed. */
export function worthTryingElsewhere(err: unknown): boolean {
  if (!(err instanceof SourceError)) return false;
  if (
    err.kind === 'refused' ||
    err.kind === 'timeout' ||
    err.kind === 'network' ||
    err.kind === 'dns' ||
    // One member answering garbage (a broken proxy, a half-upgraded node) says nothing of the rest.
    err.kind === 'malformed'
  )
    return true;
  // A load balancer with no live backend answers 502/503/504 itself.
  return err.kind === 'http' && (err.status === 502 || err.status === 503 || err.status === 504);
}
