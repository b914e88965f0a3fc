// Docker Engine adapter for gated execution (issue 22, docs/design-gated-execution.md §1–§3): runs
// the DTR bootstrapper as one container on one engine — image, create, hijacked attach, start,
// wait, logs, remove, and the labelled leftovers recovery looks for. Nothing here decides what runs
// or when: the services do. Only the endpoints in ENGINE_EXEC_ENDPOINTS are ever called.
import 'server-only';
import type { Duplex } from 'node:stream';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import type { EngineTarget } from '@/lib/config';
import type { ContainerSpec } from '@/lib/domain/execution/types';
import { engineEndpoint } from './engine-endpoint';
import { engineErrorMessage } from './engine-schemas';
import { classifyError, SourceError } from './errors';
import { bodySnippet } from './fallback';
import { dispatcherFor } from './http';
import { capStrings, sanitizeReason } from './upstream-values';

export interface ImageFacts {
  id: string;
  repoDigests: string[];
  entrypoint: string[];
  cmd: string[];
}

export interface ContainerFacts {
  id: string;
  /** The image ID (`sha256:…`) the container was created from. */
  image: string;
  running: boolean;
  /** `created`, `running`, `exited`, … (State.Status). */
  status: string;
  /** Set once the container has exited (status `exited` or `dead`); null before. */
  exitCode: number | null;
  labels: Record<string, string>;
  env: string[];
  entrypoint: string[];
  cmd: string[];
  /** ISO time it finished; null while it has not. */
  finishedAt: string | null;
}

export interface AttachedStream {
  /** The raw multiplexed bytes of stdout/stderr (8-byte frame headers, TTY off) as they arrive; ends when the container's streams close. */
  output: AsyncIterable<Buffer>;
  write(data: string): Promise<void>;
  closeStdin(): void;
  destroy(): void;
}

export interface EngineExec {
  /** GET /info → the engine's node name (Name) and ID. */
  info(): Promise<{ name: string; id: string; serverVersion: string }>;
  /** GET /images/{ref}/json; null on 404. */
  inspectImage(ref: string): Promise<ImageFacts | null>;
  /** POST /images/create?fromImage=&tag= (pull), reading the progress stream to its end; throws with the daemon's error. */
  pullImage(ref: string, signal?: AbortSignal): Promise<void>;
  /** POST /containers/create: Image, Entrypoint, Cmd, Env, Labels, Tty:false, OpenStdin:true, StdinOnce:true, AttachStdin/Stdout/Stderr:true, HostConfig.AutoRemove:false. Returns the ID. */
  createContainer(spec: ContainerSpec, name?: string): Promise<string>;
  /** POST /containers/{id}/attach?stream=1&stdin=1&stdout=1&stderr=1 with Upgrade: tcp → 101, hijacked. */
  attach(id: string): Promise<AttachedStream>;
  startContainer(id: string): Promise<void>;
  /** POST /containers/{id}/wait?condition=not-running → StatusCode; re-issued if the long poll is cut (idempotent). */
  waitContainer(id: string, signal?: AbortSignal): Promise<number>;
  inspectContainer(id: string): Promise<ContainerFacts | null>;
  /** GET /containers/{id}/logs?stdout=1&stderr=1 (not following): the raw multiplexed bytes. */
  logs(id: string): Promise<Buffer>;
  /** DELETE /containers/{id}?force=… ; a 404 is fine. */
  removeContainer(id: string, options?: { force?: boolean }): Promise<void>;
  /** GET /containers/json?all=1&filters={"label":[label]} → IDs with their labels and state. */
  listByLabel(label: string): Promise<ContainerFacts[]>;
}

/**
 * Every request this adapter may make (method and path; `{ref}` an image reference, `{id}` a
 * container ID or name). Tests pin that nothing else is called.
 */
export const ENGINE_EXEC_ENDPOINTS = [
  'GET /info',
  'GET /images/{ref}/json',
  'POST /images/create',
  'POST /containers/create',
  'POST /containers/{id}/attach',
  'POST /containers/{id}/start',
  'POST /containers/{id}/wait',
  'GET /containers/{id}/json',
  'GET /containers/{id}/logs',
  'DELETE /containers/{id}',
  'GET /containers/json',
] as const;

/** Long upstream strings are cut at this length; a PEM CA in Cmd stays whole. */
const MAX_EXEC_TEXT = 64 * 1024;
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** A pull may be silent this long (resolving, a slow layer) before it counts as hung. */
const PULL_IDLE_MS = 300_000;
/** A cut wait is re-issued this many times in a row, this far apart, before giving up. */
const WAIT_RETRIES = 5;
const WAIT_RETRY_DELAY_MS = 1_000;

// An image reference (`repo/name:tag`, `host:port/name@sha256:…`) and a container ID or name:
// checked before they go into a path, so no `..`, `?` or `%` can change the endpoint called.
const IMAGE_REF = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]{0,511}$/;
const CONTAINER_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

const strings = z
  .array(z.string())
  .nullish()
  .transform((v) => v ?? []);
const labelsSchema = z
  .record(z.string(), z.string())
  .nullish()
  .transform((v) => v ?? {});

const infoSchema = z.looseObject({ Name: z.string(), ID: z.string(), ServerVersion: z.string() });
const imageSchema = z.looseObject({
  Id: z.string(),
  RepoDigests: strings,
  Config: z.looseObject({ Entrypoint: strings, Cmd: strings }).nullish(),
});
const createdSchema = z.looseObject({ Id: z.string() });
const waitSchema = z.looseObject({
  StatusCode: z.number().int(),
  Error: z.looseObject({ Message: z.string().optional() }).nullish(),
});
const containerSchema = z.looseObject({
  Id: z.string(),
  Image: z.string(),
  State: z.looseObject({
    Status: z.string(),
    Running: z.boolean(),
    ExitCode: z.number().int(),
    FinishedAt: z.string().nullish(),
  }),
  Config: z.looseObject({
    Labels: labelsSchema,
    Env: strings,
    Entrypoint: strings,
    Cmd: strings,
  }),
});
const listSchema = z.array(z.looseObject({ Id: z.string(), Labels: labelsSchema }));

type Method = 'GET' | 'POST' | 'DELETE';

interface Call {
  method: Method;
  path: string;
  query?: URLSearchParams;
  json?: unknown;
  /** Per-call timeouts; the adapter's timeoutMs when absent. */
  headersTimeoutMs?: number;
  bodyTimeoutMs?: number;
  /** Overall deadline; none for long-lived calls. */
  deadlineMs?: number | null;
  signal?: AbortSignal;
}

interface Answer {
  status: number;
  body: Buffer;
}

function toFacts(c: z.infer<typeof containerSchema>): ContainerFacts {
  const finished =
    c.State.FinishedAt && !c.State.FinishedAt.startsWith('0001-') ? c.State.FinishedAt : null;
  const ended = !c.State.Running && (c.State.Status === 'exited' || c.State.Status === 'dead');
  return {
    id: c.Id,
    image: c.Image,
    running: c.State.Running,
    status: c.State.Status,
    exitCode: ended ? c.State.ExitCode : null,
    labels: c.Config.Labels,
    env: c.Config.Env,
    entrypoint: c.Config.Entrypoint,
    cmd: c.Config.Cmd,
    finishedAt: ended ? finished : null,
  };
}

/** `fromImage` and `tag` of a pull, as the Docker CLI splits a reference. */
export function splitImageRef(ref: string): { fromImage: string; tag: string } {
  const at = ref.indexOf('@');
  if (at > 0) return { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) };
  const colon = ref.lastIndexOf(':');
  if (colon > ref.lastIndexOf('/'))
    return { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { fromImage: ref, tag: 'latest' };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export function createEngineExec(target: {
  engine: EngineTarget;
  timeoutMs: number;
  /** Pause before a cut wait is re-issued (tests shorten it). */
  waitRetryDelayMs?: number;
}): EngineExec {
  const { engine, timeoutMs, waitRetryDelayMs = WAIT_RETRY_DELAY_MS } = target;
  const { origin, socketPath, tls } = engineEndpoint(engine);
  const dispatcher: Dispatcher = dispatcherFor(tls, socketPath);
  const at = engine.host;

  function checkRef(ref: string): string {
    if (!IMAGE_REF.test(ref) || ref.includes('..'))
      throw new SourceError(
        'malformed',
        `not an image reference: ${JSON.stringify(ref.slice(0, 80))}`,
      );
    return ref;
  }
  function checkId(id: string): string {
    if (!CONTAINER_ID.test(id))
      throw new SourceError(
        'malformed',
        `not a container ID or name: ${JSON.stringify(id.slice(0, 80))}`,
      );
    return id;
  }

  /** The daemon's refusal as a sentence naming the engine, the endpoint and what it said. */
  function refusal(what: string, status: number, body: Buffer): SourceError {
    const text = body.subarray(0, 8192).toString('utf8');
    const said = engineErrorMessage(text) ?? bodySnippet(text);
    const auth = status === 401 || status === 403;
    const sentence = auth
      ? `The Docker engine at ${at} refused the console's client certificate for ${what} (HTTP ${status})`
      : `The Docker engine at ${at} answered ${what} with HTTP ${status}`;
    return new SourceError(
      auth ? 'auth' : 'http',
      said ? `${sentence}: ${said}` : sentence,
      status,
    );
  }

  function parse<T>(body: Buffer, schema: z.ZodType<T>, what: string): T {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new SourceError('malformed', `malformed response: ${what} at ${at} is not JSON`);
    }
    const parsed = schema.safeParse(capStrings(json, MAX_EXEC_TEXT));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.map(String).join('.') ?? '';
      throw new SourceError(
        'malformed',
        `malformed response: ${what} at ${at}: ${where ? `${where}: ` : ''}${issue?.message ?? 'unexpected shape'}`,
      );
    }
    return parsed.data;
  }

  async function call(c: Call): Promise<Answer> {
    const url = new URL(origin + c.path + (c.query ? `?${c.query}` : ''));
    const deadline = c.deadlineMs === undefined ? timeoutMs : c.deadlineMs;
    const signals = [
      ...(deadline === null ? [] : [AbortSignal.timeout(deadline)]),
      ...(c.signal ? [c.signal] : []),
    ];
    try {
      const res = await dispatcher.request({
        origin,
        path: url.pathname + url.search,
        method: c.method,
        headers: c.json === undefined ? {} : { 'content-type': 'application/json' },
        body: c.json === undefined ? null : JSON.stringify(c.json),
        signal: signals.length === 0 ? null : AbortSignal.any(signals),
        headersTimeout: c.headersTimeoutMs ?? timeoutMs,
        bodyTimeout: c.bodyTimeoutMs ?? timeoutMs,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > MAX_BODY_BYTES) {
          res.body.destroy();
          throw new SourceError(
            'malformed',
            `response from ${at} (${c.method} ${c.path}) exceeds ${MAX_BODY_BYTES} bytes`,
          );
        }
        chunks.push(chunk);
      }
      return { status: res.statusCode, body: Buffer.concat(chunks) };
    } catch (err) {
      if (c.signal?.aborted) throw c.signal.reason;
      throw classifyError(
        err,
        c.method,
        url,
        deadline ?? c.headersTimeoutMs ?? timeoutMs,
        socketPath,
      );
    }
  }

  async function inspectContainer(id: string): Promise<ContainerFacts | null> {
    const what = `GET /containers/${checkId(id)}/json`;
    const res = await call({ method: 'GET', path: `/containers/${id}/json` });
    if (res.status === 404) return null;
    if (res.status !== 200) throw refusal(what, res.status, res.body);
    return toFacts(parse(res.body, containerSchema, what));
  }

  return {
    async info() {
      const res = await call({ method: 'GET', path: '/info' });
      if (res.status !== 200) throw refusal('GET /info', res.status, res.body);
      const info = parse(res.body, infoSchema, 'GET /info');
      return { name: info.Name, id: info.ID, serverVersion: info.ServerVersion };
    },

    async inspectImage(ref) {
      const path = `/images/${checkRef(ref)}/json`;
      const res = await call({ method: 'GET', path });
      if (res.status === 404) return null;
      if (res.status !== 200) throw refusal(`GET ${path}`, res.status, res.body);
      const image = parse(res.body, imageSchema, `GET ${path}`);
      return {
        id: image.Id,
        repoDigests: image.RepoDigests,
        entrypoint: image.Config?.Entrypoint ?? [],
        cmd: image.Config?.Cmd ?? [],
      };
    },

    async pullImage(ref, signal) {
      const { fromImage, tag } = splitImageRef(checkRef(ref));
      const what = `POST /images/create (pull ${ref})`;
      const res = await call({
        method: 'POST',
        path: '/images/create',
        query: new URLSearchParams({ fromImage, tag }),
        headersTimeoutMs: PULL_IDLE_MS,
        bodyTimeoutMs: PULL_IDLE_MS,
        deadlineMs: null,
        ...(signal ? { signal } : {}),
      });
      if (res.status !== 200) {
        const err = refusal(what, res.status, res.body);
        const sentence = err.message.replace(/^The /, 'the ');
        throw new SourceError(err.kind, `Could not pull ${ref}: ${sentence}`, res.status);
      }
      // A stream of JSON progress messages; a failure mid-way arrives as {"error": …} under 200.
      for (const line of res.body.toString('utf8').split(/\r?\n/)) {
        if (line.trim() === '') continue;
        let message: { error?: unknown; errorDetail?: { message?: unknown } };
        try {
          message = JSON.parse(line) as typeof message;
        } catch {
          throw new SourceError(
            'malformed',
            `malformed response: ${what} at ${at}: not a JSON progress stream`,
          );
        }
        const error = message.errorDetail?.message ?? message.error;
        if (typeof error === 'string' && error !== '')
          throw new SourceError(
            'http',
            `Could not pull ${ref}: the Docker engine at ${at} reported: ${sanitizeReason(error, 400)}`,
          );
      }
    },

    async createContainer(spec, name) {
      checkRef(spec.image);
      const query = name === undefined ? undefined : new URLSearchParams({ name: checkId(name) });
      const res = await call({
        method: 'POST',
        path: '/containers/create',
        ...(query ? { query } : {}),
        json: {
          Image: spec.image,
          Entrypoint: spec.entrypoint,
          Cmd: spec.cmd,
          Env: spec.env,
          Labels: spec.labels,
          Tty: false,
          OpenStdin: true,
          StdinOnce: true,
          AttachStdin: true,
          AttachStdout: true,
          AttachStderr: true,
          HostConfig: { AutoRemove: false },
        },
      });
      if (res.status !== 201) throw refusal('POST /containers/create', res.status, res.body);
      return parse(res.body, createdSchema, 'POST /containers/create').Id;
    },

    async attach(id) {
      const path = `/containers/${checkId(id)}/attach`;
      const what = `POST ${path}`;
      let socket: Duplex;
      try {
        // `Upgrade: tcp` + `Connection: upgrade`, as the Docker CLI attaches. An Agent needs the
        // origin, which undici's UpgradeOptions type leaves out.
        const options: Dispatcher.UpgradeOptions & { origin: string } = {
          origin,
          path: `${path}?stream=1&stdin=1&stdout=1&stderr=1`,
          method: 'POST',
          protocol: 'tcp',
          // Only the handshake is bounded: the stream lives as long as the container.
          signal: AbortSignal.timeout(timeoutMs),
        };
        const upgraded = await dispatcher.upgrade(options);
        socket = upgraded.socket;
      } catch (err) {
        const code = (err as { code?: unknown } | null)?.code;
        if (code === 'UND_ERR_SOCKET' && /bad upgrade/i.test(String((err as Error).message))) {
          // The daemon answered without upgrading (undici keeps no body): say what we know.
          const facts = await inspectContainer(id).catch(() => undefined);
          throw new SourceError(
            'http',
            facts === null
              ? `The Docker engine at ${at} answered ${what} without attaching: no container ${id}`
              : `The Docker engine at ${at} answered ${what} without attaching (no 101 Switching Protocols)${facts ? `; the container is ${facts.status}` : ''}`,
          );
        }
        throw classifyError(err, 'POST', new URL(origin + path), timeoutMs, socketPath);
      }
      let ended = false;
      let destroyed = false;
      // Without a reader the daemon stops reading the container's output, which then blocks:
      // callers read `output` from before start until it ends.
      async function* output(): AsyncGenerator<Buffer> {
        try {
          for await (const chunk of socket as AsyncIterable<Buffer>) yield chunk;
        } catch (err) {
          if (destroyed) return;
          const code = (err as { code?: unknown } | null)?.code;
          throw new SourceError(
            'network',
            `the output of container ${id} from ${at} was cut off${typeof code === 'string' ? ` (${code})` : ''}; its logs and exit code are still on the engine`,
          );
        }
      }
      // A reset or TLS error with nobody iterating yet must not crash the process.
      socket.on('error', () => undefined);
      return {
        output: output(),
        write(data) {
          return new Promise<void>((resolve, reject) => {
            if (ended || socket.destroyed || !socket.writable) {
              reject(
                new SourceError(
                  'network',
                  `the attach stream of container ${id} at ${at} is closed`,
                ),
              );
              return;
            }
            socket.write(data, (err) =>
              err
                ? reject(
                    new SourceError(
                      'network',
                      `writing to container ${id} at ${at} failed: ${err.message}`,
                    ),
                  )
                : resolve(),
            );
          });
        },
        closeStdin() {
          ended = true;
          if (!socket.destroyed) socket.end();
        },
        destroy() {
          ended = true;
          destroyed = true;
          socket.destroy();
        },
      };
    },

    async startContainer(id) {
      const path = `/containers/${checkId(id)}/start`;
      const res = await call({ method: 'POST', path });
      // 304: already started. Nothing to do, and nothing is started twice.
      if (res.status !== 204 && res.status !== 304)
        throw refusal(`POST ${path}`, res.status, res.body);
    },

    async waitContainer(id, signal) {
      const path = `/containers/${checkId(id)}/wait`;
      let failures = 0;
      for (;;) {
        let res: Answer;
        try {
          res = await call({
            method: 'POST',
            path,
            query: new URLSearchParams({ condition: 'not-running' }),
            headersTimeoutMs: 0,
            bodyTimeoutMs: 0,
            deadlineMs: null,
            ...(signal ? { signal } : {}),
          });
        } catch (err) {
          // The long poll was cut (a proxy, a daemon restart): waiting is idempotent, ask again.
          if (signal?.aborted || !(err instanceof SourceError)) throw err;
          if (!['network', 'refused', 'timeout'].includes(err.kind) || ++failures > WAIT_RETRIES) {
            throw new SourceError(
              err.kind,
              `Lost the wait for container ${id} at ${at} (POST ${path}, ${failures} tries): ${err.message}`,
            );
          }
          await sleep(waitRetryDelayMs, signal);
          if (signal?.aborted) throw signal.reason;
          continue;
        }
        if (res.status !== 200) throw refusal(`POST ${path}`, res.status, res.body);
        return parse(res.body, waitSchema, `POST ${path}`).StatusCode;
      }
    },

    inspectContainer,

    async logs(id) {
      const path = `/containers/${checkId(id)}/logs`;
      const res = await call({
        method: 'GET',
        path,
        query: new URLSearchParams({ stdout: '1', stderr: '1' }),
      });
      if (res.status !== 200) throw refusal(`GET ${path}`, res.status, res.body);
      return res.body;
    },

    async removeContainer(id, options) {
      const path = `/containers/${checkId(id)}`;
      const res = await call({
        method: 'DELETE',
        path,
        query: new URLSearchParams({ force: options?.force ? '1' : '0' }),
      });
      if (res.status !== 204 && res.status !== 404)
        throw refusal(`DELETE ${path}`, res.status, res.body);
    },

    async listByLabel(label) {
      const what = 'GET /containers/json';
      const res = await call({
        method: 'GET',
        path: '/containers/json',
        query: new URLSearchParams({ all: '1', filters: JSON.stringify({ label: [label] }) }),
      });
      if (res.status !== 200) throw refusal(what, res.status, res.body);
      const listed = parse(res.body, listSchema, what);
      // The list has no Env, Entrypoint or exit code: inspect each (a handful at most); one
      // removed in between is simply gone.
      const facts = await Promise.all(listed.map((c) => inspectContainer(c.Id)));
      return facts.filter((f): f is ContainerFacts => f !== null);
    },
  };
}
