// The console's own base URL as written into generated files (a load-balancer config's permalink,
// a Prometheus rule's runbook link): scheme, host, optional port and path prefix, nothing else.
// One rule for both, so a value refused in one place is refused in the other.
import { isDnsName, isIpv4, isIpv6 } from './lb/replicas';

/** Whitespace, control characters and the invisible ones that reorder or hide text (bidi, zero-width). */
const CONTROL_OR_SPACE =
  /[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;
const PATH_PREFIX = /^(\/[A-Za-z0-9._~-]+)*\/?$/;

/** `value` as `scheme://host[:port][/prefix]`, or null when it is anything more or less. */
export function normalizeConsoleUrl(value: string): string | null {
  if (CONTROL_OR_SPACE.test(value) || value.includes('?') || value.includes('#')) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username !== '' || url.password !== '') return null;
  const host = url.hostname;
  const hostOk = host.startsWith('[') ? isIpv6(host.slice(1, -1)) : isIpv4(host) || isDnsName(host);
  if (!hostOk || !PATH_PREFIX.test(url.pathname)) return null;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}
