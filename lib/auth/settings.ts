// The auth settings of this process. The runtime builds them once at boot (lib/server/runtime.ts)
// from the config and owns the parts with state: the audit log, the sign-outs, the login limiter.
import type { AuditLog } from '@/lib/domain/audit';
import type { LoginRateLimiter } from './rate-limit';
import type { Revocations } from './revocations';
import type { SessionCache } from './session-cache';
import type { UcpLoginTarget } from './ucp-login';

/** One cluster's UCP, which decides the person's role on that cluster. */
export interface ClusterLogin extends UcpLoginTarget {
  cluster: string;
}

export interface AuthSettings {
  /** false with AUTH=off: everyone acts as a local administrator (the UI must say so loudly). */
  enabled: boolean;
  sessionSecret: string;
  sessionTtlMs: number;
  /** Reverse proxies in front that append to X-Forwarded-For (TRUST_PROXY). */
  trustedProxies: number;
  /** Bearer token for /api/metrics and /api/healthz; null leaves healthz open, metrics to sessions. */
  metricsToken: string | null;
  /**
   * Every cluster's UCP, in configured order: sign-in asks them all at once, and each one's answer
   * is the person's role on that cluster (admin, viewer, or none). One entry in a one-cluster
   * console.
   */
  ucp: readonly ClusterLogin[];
  /** How long each UCP may take per request at sign-in; default DEFAULT_LOGIN_TIMEOUT_MS. */
  loginTimeoutMs?: number;
  /** Where sign-ins, refusals and changes are recorded. */
  audit: AuditLog;
  /** Sign-outs, so a copied cookie dies with its session. */
  revocations: Revocations;
  /** Cookies already opened on this process (proxy, route and page share the verdict). */
  sessionCache?: SessionCache;
  /** Slows down password guessing on POST /api/auth/login. */
  loginLimiter: LoginRateLimiter;
}
