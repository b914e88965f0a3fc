// The auth settings of this process, read from the runtime (config is parsed in lib/config/).
import 'server-only';
import { getRuntime } from '@/lib/server/runtime';
import type { UcpLoginTarget } from './ucp-login';

export interface AuthSettings {
  /** false with AUTH=off: everyone acts as a local administrator (the UI must say so loudly). */
  enabled: boolean;
  sessionSecret: string;
  sessionTtlMs: number;
  /** Reverse proxies in front that append to X-Forwarded-For (TRUST_PROXY). */
  trustedProxies: number;
  /** Bearer token for /api/metrics and /api/healthz; null leaves healthz open, metrics to sessions. */
  metricsToken: string | null;
  /** The UCP that checks passwords (the cluster's own, or the demo's). */
  ucp: UcpLoginTarget;
}

export async function getAuthSettings(): Promise<AuthSettings> {
  const runtime = await getRuntime();
  const { config, target } = runtime;
  return {
    enabled: config.auth !== 'off',
    sessionSecret: runtime.sessionSecret,
    sessionTtlMs: config.sessionTtlMs,
    trustedProxies: config.trustProxy,
    metricsToken: config.metricsToken?.reveal() ?? null,
    // A Swarm-only console (DOCKER_HOST, no UCP_URL) has no UCP to check passwords against;
    // lib/config/ refuses to start one unless AUTH=off, so this address is never dialled.
    ucp: target.ucp
      ? {
          url: target.ucp.url,
          insecureTls: target.ucp.insecureTls,
          ...(target.ucp.ca ? { ca: target.ucp.ca } : {}),
        }
      : { url: 'https://no-ucp-configured.invalid', insecureTls: false },
  };
}
