// The session cookie: its names, attributes and Set-Cookie values. Route handlers build the
// Set-Cookie header themselves, so they stay testable with plain Requests.
import 'server-only';
import type { Session } from './session';

/** Over plain HTTP the cookie cannot carry the `__Host-` prefix (it requires Secure). */
export const SESSION_COOKIE = 'dtrc_session';
export const SECURE_SESSION_COOKIE = '__Host-dtrc_session';

/**
 * The browser keeps the cookie this long after the session itself expires, so the server can
 * tell "your session expired" from "you never signed in". The server still refuses it.
 */
const EXPIRED_COOKIE_GRACE_SECONDS = 12 * 60 * 60;

/** HTTPS as the browser sees it: TLS here, or a TLS-terminating proxy saying so. */
export function requestIsHttps(request: Request): boolean {
  if (new URL(request.url).protocol === 'https:') return true;
  return forwardedHttps(request.headers.get('x-forwarded-proto'));
}

/** X-Forwarded-Proto's first value says https (in any case). */
export function forwardedHttps(value: string | null | undefined): boolean {
  return value?.split(',')[0]?.trim().toLowerCase() === 'https';
}

export function sessionCookieName(secure: boolean): string {
  return secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
}

/** The sealed session from a Cookie header (prefers the `__Host-` cookie). */
export function readSessionToken(cookieHeader: string | null | undefined): string | undefined {
  const cookies = parseCookieHeader(cookieHeader ?? '');
  return cookies.get(SECURE_SESSION_COOKIE) ?? cookies.get(SESSION_COOKIE);
}

/** Same, from Next's `cookies()` store or `NextRequest.cookies`. */
export function readSessionTokenFrom(store: {
  get(name: string): { value: string } | undefined;
}): string | undefined {
  return store.get(SECURE_SESSION_COOKIE)?.value ?? store.get(SESSION_COOKIE)?.value;
}

function parseCookieHeader(header: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

export interface SessionCookieOptions {
  httpOnly: true;
  sameSite: 'lax';
  secure: boolean;
  path: '/';
  maxAge: number;
}

/** Options in the shape of Next's ResponseCookies.set (for proxy.ts or cookies()). */
export function sessionCookieOptions(
  session: Pick<Session, 'expiresAt'>,
  secure: boolean,
  now = Date.now(),
): SessionCookieOptions {
  const maxAge =
    Math.max(0, Math.ceil((session.expiresAt - now) / 1000)) + EXPIRED_COOKIE_GRACE_SECONDS;
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge };
}

/** A `Set-Cookie` value carrying the sealed session. */
export function sessionSetCookie(
  token: string,
  session: Pick<Session, 'expiresAt'>,
  secure: boolean,
  now = Date.now(),
): string {
  const o = sessionCookieOptions(session, secure, now);
  return serialize(sessionCookieName(secure), token, o.maxAge, secure);
}

/** `Set-Cookie` values that delete both cookie names (the prefixed one only over HTTPS). */
export function clearSessionSetCookies(secure: boolean): string[] {
  const plain = serialize(SESSION_COOKIE, '', 0, secure);
  return secure ? [serialize(SECURE_SESSION_COOKIE, '', 0, true), plain] : [plain];
}

function serialize(name: string, value: string, maxAge: number, secure: boolean): string {
  return [
    `${name}=${value}`,
    'Path=/',
    `Max-Age=${maxAge}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(secure ? ['Secure'] : []),
  ].join('; ');
}
