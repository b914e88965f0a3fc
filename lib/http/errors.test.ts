import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { ApiError, withErrors } from './errors';
import { readJson } from './json-body';

const request = (url = 'http://console.example/api/things?token=abc', init: RequestInit = {}) =>
  new Request(url, init);

interface ErrorBody {
  error: { code: string; message: string; requestId?: string };
}

afterEach(() => vi.restoreAllMocks());

describe('withErrors', () => {
  it('answers an unknown error with 500, the one shape and a request id, and logs that id once', async () => {
    const lines: string[] = [];
    const handler = withErrors(
      async () => {
        throw new Error('connect ECONNREFUSED 10.0.0.5:5432 (internal detail)');
      },
      (line) => lines.push(line),
    );
    const response = await handler(request());
    expect(response.status).toBe(500);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe('internal');
    const requestId = body.error.requestId;
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('x-request-id')).toBe(requestId);
    expect(body.error.message).toContain(requestId);
    // Nothing of the error reaches the client.
    expect(JSON.stringify(body)).not.toMatch(/ECONNREFUSED|10\.0\.0\.5|internal detail/);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`request ${requestId}: GET /api/things failed:`);
    expect(lines[0]).toContain('ECONNREFUSED');
    // The query string is the client's, not the log's.
    expect(lines[0]).not.toContain('token=abc');
  });

  it('gives every failing request its own id', async () => {
    const handler = withErrors(
      () => {
        throw 'a string';
      },
      () => undefined,
    );
    const ids = await Promise.all(
      [1, 2].map(
        async () => ((await (await handler(request())).json()) as ErrorBody).error.requestId,
      ),
    );
    expect(new Set(ids).size).toBe(2);
  });

  it('writes to console.error by default', async () => {
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await withErrors(() => {
      throw new TypeError('boom');
    })(request());
    const { requestId } = ((await response.json()) as ErrorBody).error;
    expect(spy).toHaveBeenCalledTimes(1);
    expect(String(spy.mock.calls[0]?.[0])).toContain(`request ${requestId}: GET /api/things`);
  });

  it('maps a ZodError to 400 with each field’s message, without logging', async () => {
    const log = vi.fn();
    const Schema = z.object({
      kind: z.enum(['a', 'b'], { message: 'kind must be one of: a, b' }),
      limit: z.number().max(10, 'limit must be at most 10'),
    });
    const handler = withErrors(async () => {
      Schema.parse({ kind: 'c', limit: 11 });
      return new Response('unreachable');
    }, log);
    const response = await handler(request());
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'bad_request',
        message: 'kind: kind must be one of: a, b; limit: limit must be at most 10',
      },
    });
    expect(log).not.toHaveBeenCalled();
  });

  it('answers an ApiError with its own status, code, message and headers', async () => {
    const handler = withErrors(async () => {
      throw new ApiError(429, 'rate_limited', 'Too many tries.', { 'retry-after': '30' });
    });
    const response = await handler(request());
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('30');
    expect(await response.json()).toEqual({
      error: { code: 'rate_limited', message: 'Too many tries.' },
    });
  });

  it('passes the result and the extra arguments through untouched', async () => {
    const handler = withErrors(async (_request: Request, context: { id: string }) =>
      Response.json({ id: context.id }),
    );
    const response = await handler(request(), { id: 'r1' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'r1' });
  });
});

describe('readJson', () => {
  it('refuses a body that is not JSON with 415 or 400, in the one shape', async () => {
    const handler = withErrors(async (req: Request) => Response.json(await readJson(req)));
    const form = await handler(
      request('http://console.example/x', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a=1',
      }),
    );
    expect(form.status).toBe(415);
    expect(((await form.json()) as ErrorBody).error.code).toBe('unsupported_media_type');
    const broken = await handler(
      request('http://console.example/x', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a":',
      }),
    );
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as ErrorBody).error.message).toBe(
      'The request body is not valid JSON.',
    );
  });
});
