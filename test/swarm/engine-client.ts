// Raw Docker Engine API calls over a daemon's unix socket, each with a hard deadline: a
// manager that lost quorum accepts a request and may never answer it.
import { Agent, request } from 'undici';

export type EngineOutcome =
  | { kind: 'response'; status: number; body: unknown; elapsedMs: number }
  | { kind: 'error'; message: string; elapsedMs: number }
  | { kind: 'timeout'; elapsedMs: number };

export interface EngineCallOptions {
  method?: 'GET' | 'POST' | 'DELETE';
  body?: unknown;
  timeoutMs?: number;
}

export async function engineCall(
  socketPath: string,
  apiPath: string,
  { method = 'GET', body, timeoutMs = 5_000 }: EngineCallOptions = {},
): Promise<EngineOutcome> {
  // One connection per call: nothing pooled survives towards a daemon we kill later.
  const agent = new Agent({ connect: { socketPath }, pipelining: 0 });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const response = await request(`http://docker${apiPath}`, {
      method,
      dispatcher: agent,
      signal: controller.signal,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.body.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // the Engine answers plain text on a few routes (`/_ping`)
    }
    return { kind: 'response', status: response.statusCode, body: parsed, elapsedMs: elapsed() };
  } catch (err) {
    if (controller.signal.aborted) return { kind: 'timeout', elapsedMs: elapsed() };
    return {
      kind: 'error',
      message: err instanceof Error ? err.message : String(err),
      elapsedMs: elapsed(),
    };
  } finally {
    clearTimeout(timer);
    await agent.destroy().catch(() => undefined);
  }
}

export function describeOutcome(outcome: EngineOutcome): string {
  switch (outcome.kind) {
    case 'response':
      return `HTTP ${outcome.status} ${JSON.stringify(outcome.body).slice(0, 200)}`;
    case 'error':
      return `error: ${outcome.message}`;
    case 'timeout':
      return `no answer within ${outcome.elapsedMs} ms`;
  }
}

/** The parsed body of a 2xx answer; throws on anything else. */
export async function engineJson(
  socketPath: string,
  apiPath: string,
  options?: EngineCallOptions,
): Promise<unknown> {
  const outcome = await engineCall(socketPath, apiPath, options);
  if (outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300) {
    return outcome.body;
  }
  throw new Error(
    `${options?.method ?? 'GET'} ${apiPath} on ${socketPath}: ${describeOutcome(outcome)}`,
  );
}
