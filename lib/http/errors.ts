// The console's one error path for API routes: the one shape `{ error: { code, message } }`
// (plus `requestId` on a 500), ApiError for a refusal thrown from anywhere below a route, and
// withErrors, which every route wrapper (withAuth, the scrape guards) runs the handler inside.
import 'server-only';
import { ZodError } from 'zod';

export type ApiErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'internal'
  | 'upstream_error'
  | 'unavailable';

/** A response in the one error shape; `headers` e.g. `retry-after` or `cache-control`. */
export function apiError(
  status: number,
  code: ApiErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}

/**
 * A refusal a handler (or a service below it) throws; the route wrapper answers it in the one
 * shape with this status. The message is for the person who sent the request.
 */
export class ApiError extends Error {
  override readonly name: string = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  toResponse(): Response {
    return apiError(this.status, this.code, this.message, this.headers);
  }
}

/** Readable one-line summary of a zod failure: "kind: expected one of ...; target: required". */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}

/** Where unexpected errors are written: one line each, with the request id the client got. */
export type ErrorLog = (line: string) => void;

const logToConsole: ErrorLog = (line) => console.error(line);

function describeUnknown(error: unknown): string {
  if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
  return `non-Error thrown: ${typeof error}`;
}

/**
 * The answer to anything a handler threw. ApiError: its own status and message. ZodError (a
 * request that failed its schema; handlers `.parse()` only what the client sent): 400 with the
 * field messages. Anything else is a bug: logged once with a fresh request id, answered 500 with
 * that id and nothing of the error itself.
 */
export function errorResponse(error: unknown, request: Request, log = logToConsole): Response {
  if (error instanceof ApiError) return error.toResponse();
  if (error instanceof ZodError) return apiError(400, 'bad_request', describeZodError(error));
  const requestId = crypto.randomUUID();
  // The path only: a query string is the client's to read, not the log's.
  const path = URL.canParse(request.url) ? new URL(request.url).pathname : '(unparsable URL)';
  log(`request ${requestId}: ${request.method} ${path} failed: ${describeUnknown(error)}`);
  return Response.json(
    {
      error: {
        code: 'internal',
        message: `The console could not answer this request: an internal error, logged with request id ${requestId}.`,
        requestId,
      },
    },
    { status: 500, headers: { 'cache-control': 'no-store', 'x-request-id': requestId } },
  );
}

/** Runs a route handler so that whatever it throws is answered by errorResponse. */
export function withErrors<Args extends unknown[]>(
  handler: (request: Request, ...args: Args) => Response | Promise<Response>,
  log: ErrorLog = logToConsole,
): (request: Request, ...args: Args) => Promise<Response> {
  return async (request, ...args) => {
    try {
      return await handler(request, ...args);
    } catch (error) {
      return errorResponse(error, request, log);
    }
  };
}
