// Response headers for every answer, and the per-request Content-Security-Policy for pages.
// Used by proxy.ts; pure, so the policy itself is unit-tested.

/** 128 random bits, base64: a fresh one per page request. */
export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64');
}

export interface CspOptions {
  /** React's dev build needs eval for its error overlays; production never does. */
  dev?: boolean;
  https?: boolean;
}

/**
 * Scripts run only with this request's nonce (Next adds it to its own scripts when it finds the
 * policy on the request); 'strict-dynamic' lets those load their chunks. Inline style
 * *attributes* stay allowed because Recharts renders them; they cannot run script.
 */
export function contentSecurityPolicy(nonce: string, options: CspOptions = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

/** For API answers: nothing to load, nothing to frame. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

export function securityHeaders(options: { https: boolean }): Record<string, string> {
  return {
    'x-content-type-options': 'nosniff',
    // Not "no-referrer": with it, browsers send "Origin: null" on our own POSTs.
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
    // Only over HTTPS (a plain-HTTP answer cannot set it anyway); subdomains are the operator's call.
    ...(options.https ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  };
}
