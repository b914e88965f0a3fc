// Auth answers in the console's one error shape ({ error: { code, message } }) for the statuses
// lib/server/api-error.ts has no code for yet (429, 502, 503).
import 'server-only';

export type AuthErrorCode = 'rate_limited' | 'upstream_error' | 'unavailable';

export function authError(
  status: 429 | 502 | 503,
  code: AuthErrorCode,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json(
    { error: { code, message } },
    { status, headers: { 'cache-control': 'no-store', ...headers } },
  );
}
