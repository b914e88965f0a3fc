// CSRF defence for mutating requests: the request must come from our own origin (Origin /
// Sec-Fetch-Site) and carry the session's token in `x-csrf-token`, which a cross-site page can
// neither read nor send without a CORS preflight we never grant.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

export function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}

export type CsrfVerdict =
  | { ok: true }
  | { ok: false; reason: 'cross-site' | 'missing-token' | 'wrong-token'; message: string };

export interface OriginCheckOptions {
  /** Extra origins allowed to post (e.g. the public URL when a proxy rewrites Host). */
  allowedOrigins?: readonly string[];
}

const CROSS_SITE: CsrfVerdict = {
  ok: false,
  reason: 'cross-site',
  message: 'Refused: this request came from another site.',
};

/**
 * Whether the request was sent by a page of this console. Browsers always send Sec-Fetch-Site
 * and Origin on cross-site POSTs; a request with neither is not from a browser (curl, scripts),
 * which CSRF cannot abuse, so it passes here and still needs the token.
 */
export function checkSameOrigin(request: Request, options: OriginCheckOptions = {}): CsrfVerdict {
  const site = request.headers.get('sec-fetch-site')?.toLowerCase();
  // The browser's own verdict, which page scripts cannot set. Trusted before Origin because some
  // referrer policies make browsers send "Origin: null" even on same-origin POSTs.
  if (site === 'same-origin') return { ok: true };
  // "same-site" includes sibling subdomains, which may belong to someone else.
  if (site && site !== 'none') return CROSS_SITE;

  const origin = request.headers.get('origin');
  if (origin === null) return { ok: true };
  let originUrl: URL;
  try {
    originUrl = new URL(origin);
  } catch {
    return CROSS_SITE; // includes the opaque origin "null" (sandboxed frames, file:, redirects)
  }
  if (options.allowedOrigins?.some((allowed) => sameOriginString(allowed, originUrl))) {
    return { ok: true };
  }
  // Host, not scheme: behind a TLS-terminating proxy the page is https and the request http.
  // A browser on another site cannot set Host or X-Forwarded-Host on a request to us.
  const ownHosts = new Set<string>();
  ownHosts.add(new URL(request.url).host.toLowerCase());
  for (const name of ['host', 'x-forwarded-host']) {
    const value = request.headers.get(name)?.split(',')[0]?.trim().toLowerCase();
    if (value) ownHosts.add(value);
  }
  return ownHosts.has(originUrl.host.toLowerCase()) ? { ok: true } : CROSS_SITE;
}

function sameOriginString(allowed: string, origin: URL): boolean {
  try {
    return new URL(allowed).origin === origin.origin;
  } catch {
    return false;
  }
}

/** Constant-time comparison; hashing first hides the length too. */
export function tokensMatch(sent: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(sent), digest(expected));
}

/** Full check for a mutating request made with a session whose token is `expected`. */
export function checkCsrf(
  request: Request,
  expected: string,
  options: OriginCheckOptions = {},
): CsrfVerdict {
  const origin = checkSameOrigin(request, options);
  if (!origin.ok) return origin;
  const sent = request.headers.get(CSRF_HEADER);
  if (!sent) {
    return {
      ok: false,
      reason: 'missing-token',
      message: `Missing the ${CSRF_HEADER} header; reload the page and try again.`,
    };
  }
  if (!tokensMatch(sent, expected)) {
    return {
      ok: false,
      reason: 'wrong-token',
      message: 'The CSRF token does not match this session; reload the page and try again.',
    };
  }
  return { ok: true };
}
