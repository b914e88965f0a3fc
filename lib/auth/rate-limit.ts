// Failed sign-in limiter: a sliding window of failures per username and per client address.
// Reaching the limit locks that key for a while; memory is bounded however many keys attackers try.

export interface LimitRule {
  /** Failures allowed within `windowMs`; the one that reaches it locks the key. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export interface LoginLimiterOptions {
  perUser?: LimitRule;
  perIp?: LimitRule;
  /** Per scope; the least recently touched keys are forgotten first. */
  maxKeys?: number;
  now?: () => number;
}

export const DEFAULT_USER_RULE: LimitRule = {
  maxFailures: 5,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};
export const DEFAULT_IP_RULE: LimitRule = {
  maxFailures: 20,
  windowMs: 15 * 60_000,
  lockMs: 15 * 60_000,
};

export type LimitScope = 'user' | 'ip';

export type LimitVerdict =
  | { allowed: true; remaining: number }
  | { allowed: false; scope: LimitScope; retryAfterMs: number; message: string };

export interface Attempt {
  ip: string;
  username: string;
}

interface KeyState {
  failures: number[];
  lockedUntil: number;
}

class Bucket {
  readonly #states = new Map<string, KeyState>();
  constructor(
    readonly rule: LimitRule,
    private readonly maxKeys: number,
  ) {}

  get size(): number {
    return this.#states.size;
  }

  lockedFor(key: string, now: number): number {
    const state = this.#states.get(key);
    return state && state.lockedUntil > now ? state.lockedUntil - now : 0;
  }

  remaining(key: string, now: number): number {
    const state = this.#states.get(key);
    if (!state) return this.rule.maxFailures;
    return Math.max(0, this.rule.maxFailures - this.#recent(state, now).length);
  }

  fail(key: string, now: number): void {
    const state = this.#states.get(key) ?? { failures: [], lockedUntil: 0 };
    state.failures = [...this.#recent(state, now), now];
    if (state.failures.length >= this.rule.maxFailures) {
      state.lockedUntil = now + this.rule.lockMs;
      state.failures = [];
    }
    this.#touch(key, state, now);
  }

  clear(key: string): void {
    this.#states.delete(key);
  }

  #recent(state: KeyState, now: number): number[] {
    return state.failures.filter((at) => at > now - this.rule.windowMs);
  }

  /** Re-insert so Map order is least-recently-touched first; then enforce the bound. */
  #touch(key: string, state: KeyState, now: number): void {
    this.#states.delete(key);
    this.#states.set(key, state);
    if (this.#states.size <= this.maxKeys) return;
    for (const [k, s] of this.#states) {
      if (s.lockedUntil <= now && this.#recent(s, now).length === 0) this.#states.delete(k);
    }
    while (this.#states.size > this.maxKeys) {
      const oldest = this.#states.keys().next().value;
      if (oldest === undefined) break;
      this.#states.delete(oldest);
    }
  }
}

/** "7 min", "1 min", "45 s": how long until the lock lifts, rounded up. */
export function describeWait(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.ceil(ms / 1000))} s`;
  return `${Math.ceil(ms / 60_000)} min`;
}

export class LoginRateLimiter {
  readonly #user: Bucket;
  readonly #ip: Bucket;
  readonly #now: () => number;

  constructor(options: LoginLimiterOptions = {}) {
    const maxKeys = options.maxKeys ?? 10_000;
    this.#user = new Bucket(options.perUser ?? DEFAULT_USER_RULE, maxKeys);
    this.#ip = new Bucket(options.perIp ?? DEFAULT_IP_RULE, maxKeys);
    this.#now = options.now ?? Date.now;
  }

  /** Ask before checking the password; a locked key is refused without asking UCP. */
  check(attempt: Attempt): LimitVerdict {
    const now = this.#now();
    const user = userKey(attempt.username);
    const userWait = this.#user.lockedFor(user, now);
    if (userWait > 0) {
      return {
        allowed: false,
        scope: 'user',
        retryAfterMs: userWait,
        message: `Too many failed sign-ins for this user: locked out. Try again in ${describeWait(userWait)}.`,
      };
    }
    const ipWait = this.#ip.lockedFor(attempt.ip, now);
    if (ipWait > 0) {
      return {
        allowed: false,
        scope: 'ip',
        retryAfterMs: ipWait,
        message: `Too many failed sign-ins from your address: locked out. Try again in ${describeWait(ipWait)}.`,
      };
    }
    return {
      allowed: true,
      remaining: Math.min(this.#user.remaining(user, now), this.#ip.remaining(attempt.ip, now)),
    };
  }

  /** Counts a wrong password; returns the verdict for the next attempt (locked when this was the last). */
  recordFailure(attempt: Attempt): LimitVerdict {
    const now = this.#now();
    this.#user.fail(userKey(attempt.username), now);
    this.#ip.fail(attempt.ip, now);
    return this.check(attempt);
  }

  /**
   * A correct password forgets that user's failures. The address keeps its count: otherwise one
   * valid account would let an attacker reset the per-address limit between guesses.
   */
  recordSuccess(attempt: Attempt): void {
    this.#user.clear(userKey(attempt.username));
  }

  /** Keys held, for tests and metrics. */
  get size(): { user: number; ip: number } {
    return { user: this.#user.size, ip: this.#ip.size };
  }
}

/** Case and surrounding space must not buy an attacker a fresh allowance. */
function userKey(username: string): string {
  return username.trim().toLowerCase().slice(0, 256);
}

const LIMITER = Symbol.for('dtr-ha-console.login-limiter');
type LimiterGlobal = typeof globalThis & { [LIMITER]?: LoginRateLimiter };

/** The process-wide limiter used by POST /api/auth/login. */
export function getLoginLimiter(): LoginRateLimiter {
  const g = globalThis as LimiterGlobal;
  g[LIMITER] ??= new LoginRateLimiter();
  return g[LIMITER];
}
