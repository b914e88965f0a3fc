// The one HTTP wrapper every adapter uses: per-request timeout, TLS per setting, typed errors.
import 'server-only';
import { createHash } from 'node:crypto';
import { Agent, buildConnector, request } from 'undici';
import type { z } from 'zod';
import { classifyError, endpointOf, noLeaderError, SourceError, statusError } from './errors';
import { capStrings } from './upstream-values';

export interface TlsSettings {
  /** PEM of the CA to trust in addition to none (replaces the system store). */
  ca?: string;
  /** Skip certificate verification: only when the operator asked for it. */
  insecureTls: boolean;
  /** Verify the certificate against this name instead of the address dialled (for per-member URLs). */
  servername?: string;
  /** Client certificate and key (PEM), as in a UCP client bundle's cert.pem and key.pem. */
  cert?: string;
  key?: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
  tls?: TlsSettings;
  /** Dial this unix socket instead of the URL's host (a Docker daemon's socket). */
  socketPath?: string;
  /**
   * A member's health probe: it goes over the probes' own pool, one kept connection per member
   * origin, whose closes by the member are announced to onPeerClose's listeners.
   */
  probe?: boolean;
}

/** Options every adapter takes; `now` stamps probe results (tests pass a fixed clock). */
export interface SourceClientOptions {
  now?: () => Date;
}

export interface HttpResponse {
  status: number;
  body: string;
  latencyMs: number;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const agents = new Map<string, Agent>();

/**
 * Connections stay open between requests (probes: exactly one per member origin), so that a
 * member whose process dies is seen at once: its kernel closes the probe's kept connection.
 * Idle connections are kept this long unless the server's `Keep-Alive: timeout=N` says less;
 * undici then keeps them N s minus KEEP_ALIVE_MARGIN_MS (Node's default 5 s gives 4 s, longer
 * than the 2 s poll interval).
 */
const KEEP_ALIVE_MS = 60_000;
const KEEP_ALIVE_MARGIN_MS = 1_000;

/** Called with the origin (`scheme://host:port`) of a kept connection the far end closed or reset. */
export type PeerCloseListener = (origin: string) => void;
const peerCloseListeners = new Set<PeerCloseListener>();

// What undici reports when the far end ended the connection: a FIN ("other side closed"), an RST
// or a write into a closed socket. Closes of our own (idle timeout, `Connection: close`, an
// aborted request, a timeout) carry other codes and are not the member's doing.
const PEER_CLOSE_CODES = new Set(['UND_ERR_SOCKET', 'ECONNRESET', 'EPIPE']);

function closedByPeer(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && PEER_CLOSE_CODES.has(code);
}

/**
 * Watches the probes' kept connections: `listener` hears of each one the far end closes or
 * resets. Returns the function that stops watching.
 */
export function onPeerClose(listener: PeerCloseListener): () => void {
  peerCloseListeners.add(listener);
  return () => {
    peerCloseListeners.delete(listener);
  };
}

function announcePeerClose(origin: unknown, err: unknown): void {
  if (!closedByPeer(err) || peerCloseListeners.size === 0) return;
  let text: string;
  try {
    text = new URL(origin instanceof URL ? origin.href : String(origin)).origin;
  } catch {
    return;
  }
  for (const listener of [...peerCloseListeners]) {
    try {
      listener(text);
    } catch {
      // a watcher's failure is its own: the connection pool carries on
    }
  }
}

function agentFor(
  tls: TlsSettings | undefined,
  socketPath: string | undefined,
  probe: boolean,
): Agent {
  // Hashed: the key material must not sit in a map key that a heap dump prints in the clear.
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        tls?.ca ?? null,
        tls?.insecureTls ?? false,
        tls?.servername ?? null,
        tls?.cert ?? null,
        tls?.key ?? null,
        socketPath ?? null,
        probe,
      ]),
    )
    .digest('hex');
  let agent = agents.get(key);
  if (!agent) {
    const connector = buildConnector({
      ...(tls?.ca ? { ca: tls.ca } : {}),
      ...(tls?.cert && tls.key ? { cert: tls.cert, key: tls.key } : {}),
      ...(socketPath ? { socketPath } : {}),
      rejectUnauthorized: !(tls?.insecureTls ?? false),
    });
    const servername = tls?.servername;
    agent = new Agent({
      // A probe's confirming re-probe follows at once; with one connection per origin it reuses
      // the kept one instead of opening a second (probes of one member never run side by side).
      ...(probe ? { connections: 1 } : {}),
      keepAliveTimeout: KEEP_ALIVE_MS,
      keepAliveMaxTimeout: KEEP_ALIVE_MS,
      keepAliveTimeoutThreshold: KEEP_ALIVE_MARGIN_MS,
      connect: servername
        ? (options, callback) => connector({ ...options, servername }, callback)
        : connector,
    });
    if (probe) agent.on('disconnect', (origin, _targets, err) => announcePeerClose(origin, err));
    agents.set(key, agent);
  }
  return agent;
}

/**
 * The pooled dispatcher of one TLS setting and socket, for adapters that drive undici themselves
 * (long polls, streamed bodies, the Engine's hijacked attach): same connector, same pool.
 */
export function dispatcherFor(tls: TlsSettings | undefined, socketPath: string | undefined): Agent {
  return agentFor(tls, socketPath, false);
}

/** Bodies this large are remembered per URL (a big cluster's `/nodes`, polled every interval). */
const REMEMBERED_BODY_BYTES = 256 * 1024;
const lastBodies = new Map<string, { bytes: Buffer; text: string }>();

async function readBody(
  body: AsyncIterable<Buffer>,
  endpoint: string,
  url: string,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES)
      throw new SourceError(
        'malformed',
        `response from ${endpoint} exceeds ${MAX_BODY_BYTES} bytes`,
      );
    chunks.push(chunk);
  }
  const bytes = Buffer.concat(chunks);
  if (bytes.length < REMEMBERED_BODY_BYTES) return bytes.toString('utf8');
  // The same bytes as last time give the same string object: decoding 7 MB costs ~20 ms, the
  // comparison well under one, and parseJson then knows the body by reference.
  const last = lastBodies.get(url);
  if (last?.bytes.equals(bytes)) return last.text;
  const text = bytes.toString('utf8');
  lastBodies.delete(url);
  lastBodies.set(url, { bytes, text });
  // A few URLs answer this large (the node list at each origin tried): keep the newest 8.
  for (const oldest of lastBodies.keys()) {
    if (lastBodies.size <= 8) break;
    lastBodies.delete(oldest);
  }
  return text;
}

/** One HTTP exchange. Any HTTP status resolves; transport failures reject with a SourceError. */
export async function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  const endpoint = endpointOf(url, req.socketPath);
  const started = performance.now();
  try {
    const res = await request(url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      dispatcher: agentFor(req.tls, req.socketPath, req.probe === true),
      // The signal bounds the whole exchange: connect, headers and body.
      signal: AbortSignal.timeout(req.timeoutMs),
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
    const body = await readBody(res.body, endpoint, url.href);
    return { status: res.statusCode, body, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    throw classifyError(err, req.method, url, req.timeoutMs, req.socketPath);
  }
}

function summariseIssues(error: z.ZodError): string {
  const lines = error.issues.slice(0, 3).map((issue) => {
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('');
    return `${path ? `${path.replace(/^\./, '')}: ` : ''}${issue.message}`;
  });
  const more = error.issues.length > 3 ? ` (+${error.issues.length - 3} more)` : '';
  return lines.join('; ') + more;
}

const lastParsed = new WeakMap<z.ZodType, { body: string; value: unknown }>();

/**
 * Parses a JSON body with a schema; failures are `malformed` SourceErrors naming what was wrong.
 * A large body identical to the last one parsed with the same schema gets the same value back
 * (readBody hands back the same string for the same bytes; parsing, capping and validating 7 MB
 * takes ~80 ms):
 * callers treat parsed values as read-only.
 */
export function parseJson<T>(body: string, schema: z.ZodType<T>, what: string): T {
  const remember = body.length >= REMEMBERED_BODY_BYTES;
  const last = remember ? lastParsed.get(schema) : undefined;
  if (last && last.body === body) return last.value as T;
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new SourceError('malformed', `malformed response: ${what} is not JSON`);
  }
  // Upstream strings are capped where they enter: a 10 MB label goes no further than here.
  const parsed = schema.safeParse(capStrings(json));
  if (!parsed.success)
    throw new SourceError(
      'malformed',
      `malformed response: ${what}: ${summariseIssues(parsed.error)}`,
    );
  if (remember) lastParsed.set(schema, { body, value: parsed.data });
  return parsed.data;
}

/** Request expecting a 2xx JSON answer matching the schema. */
export async function requestJson<T>(req: HttpRequest, schema: z.ZodType<T>): Promise<T> {
  const res = await httpRequest(req);
  if (res.status < 200 || res.status > 299)
    throw (
      noLeaderError(res.status, res.body, req.method, req.url, req.socketPath) ??
      statusError(res.status, req.method, req.url, req.socketPath)
    );
  const url = new URL(req.url);
  return parseJson(
    res.body,
    schema,
    `${req.method} ${url.pathname} at ${endpointOf(url, req.socketPath)}`,
  );
}

/** A member's own origin: the cluster URL's scheme and port on the member's address. */
export function memberOrigin(clusterUrl: string, host: string): string {
  const base = new URL(clusterUrl);
  const scheme = base.protocol === 'https:' ? 'https' : 'http';
  return originOf(scheme, host, Number(base.port || (scheme === 'https' ? 443 : 80)));
}

/** `scheme://host:port`, bracketing IPv6 literals. */
export function originOf(scheme: 'http' | 'https', host: string, port: number): string {
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  // Through URL so it compares equal to a configured URL's origin (default ports dropped).
  return new URL(`${scheme}://${h}:${port}`).origin;
}
