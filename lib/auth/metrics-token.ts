// The metrics token (METRICS_TOKEN), as Prometheus sends it: `Authorization: Bearer <token>`.
// One reading for the proxy, the status lane and the scrape guard.
import { tokensMatch } from './csrf';

/** The Authorization header carries the configured metrics token (compared in constant time). */
export function metricsTokenSent(
  authorization: string | null | undefined,
  token: string | null,
): boolean {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  return token !== null && token !== '' && bearer !== undefined && tokensMatch(bearer, token);
}

/** What the permission table needs to know of a request's Bearer token (the metrics scrape). */
export function scrapeFlags(
  authorization: string | null | undefined,
  settings: { enabled: boolean; metricsToken: string | null },
): { scrapeAllowed: boolean; metricsTokenValid: boolean } {
  const metricsTokenValid = metricsTokenSent(authorization, settings.metricsToken);
  const scrapeAllowed = !settings.enabled || !settings.metricsToken || metricsTokenValid;
  return { scrapeAllowed, metricsTokenValid };
}
