// One error shape for every API route: { error: { code, message } }.
import 'server-only';
import type { ZodError } from 'zod';

export type ApiErrorCode =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'unsupported_media_type'
  | 'internal';

export function apiError(status: number, code: ApiErrorCode, message: string): Response {
  return Response.json({ error: { code, message } }, { status });
}

/** Readable one-line summary of a zod failure: "kind: expected one of ...; target: required". */
export function describeZodError(error: ZodError): string {
  return error.issues
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
    )
    .join('; ');
}

/** Parse a JSON request body; a malformed body becomes a 400 Response instead of a throw. */
export async function readJson(
  request: Request,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = request.headers.get('content-type') ?? '';
  if (!type.toLowerCase().includes('application/json')) {
    return {
      ok: false,
      response: apiError(
        415,
        'unsupported_media_type',
        'Send the body as JSON (content-type: application/json).',
      ),
    };
  }
  try {
    return { ok: true, value: await request.json() };
  } catch {
    return {
      ok: false,
      response: apiError(400, 'bad_request', 'The request body is not valid JSON.'),
    };
  }
}
