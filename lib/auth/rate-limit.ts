// Failed sign-in limiter. Three rules, none of which lets a stranger lock someone else out:
// - per (user, address): after a few free failures each further one doubles the wait before that
//   address may try that user again (exponential back-off), forgotten after a quiet window or on
//   the right password;
// - per address: too many failures across usernames lock the address for a while;
// - per user, across addresses: past a global rate of failures, only addresses that have no failure
//   for that user are still heard (one try each), so the right password from a clean address is
//   never refused, while a spray from one place cannot go on.
// Memory is bounded however many keys attackers try.

export interface LimitRule {
  /** Failures allowed within `windowMs`; the one that reaches it locks the key. */
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export interface BackoffRule {
  /** Failures from one address for one user before any wait. */
  freeFailures: number;
  /** The first wait; each further failure doubles it, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A (user, address) pair quiet this long after its wait ends starts afresh. */
  forgetAfterMs: number;
}

export interface UserRateRule {
  /** Failures for one user, from all addresses, within `windowMs`. */
  maxFailures: number;
  windowMs: number;
}

export interface LoginLimiterOptions {
  perUserAddress?: BackoffRule;
  perUser?: UserRateRule;
  perIp?: LimitRule;
  /** Per scope; the least recently touched keys are forgotten first. */
  maxKeys?: number;
  now?: () => number;
}

export const DEFAULT_BACKOFF_RULE: BackoffRule = {
  freeFailures: 3,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60_000,
  forgetAfterMs: 15 * 60_000,
};
export const DEFAULT_USER_RULE: UserRateRule = {
  maxFailures: 30,
  windowMs: 15 * 60_000,
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

interface PairState {
  failures: number;
  nextAllowedAt: number;
}

/** The wait after the `failures`th failure of one (user, address) pair. */
export function backoffDelay(rule: BackoffRule, failures: number): number {
  if (failures <= rule.freeFailures) return 0;
  const doublings = Math.min(failures - rule.freeFailures - 1, 40);
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** doublings);
}

/** Least-recently-touched-first map with a size bound. */
class BoundedMap<V> {
  readonly #map = new Map<string, V>();
  constructor(
    private readonly maxKeys: number,
    private readonly idle: (value: V) => boolean,
  ) {}
  get size(): number {
    return this.#map.size;
  }
  get(key: string): V | undefined {
    return this.#map.get(key);
  }
  delete(key: string): void {
    this.#map.delete(key);
  }
  set(key: string, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size <= this.maxKeys) return;
    for (const [k, v] of this.#map) if (this.idle(v)) this.#map.delete(k);
    while (this.#map.size > this.maxKeys) {
      const oldest = this.#map.keys().next().value;
      if (oldest === undefined) break;
      this.#map.delete(oldest);
    }
  }
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

/** The Retry-After header of a refused attempt: whole seconds until the next one is heard. */
export function retryAfterHeader(ms: number): { 'retry-after': string } {
  return { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) };
}

/** "7 min", "1 min", "45 s": how long until the lock lifts, rounded up. */
export function describeWait(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.ceil(ms / 1000))} s`;
  return `${Math.ceil(ms / 60_000)} min`;
}

export class LoginRateLimiter {
  readonly #ip: Bucket;
  readonly #pairs: BoundedMap<PairState>;
  readonly #users: BoundedMap<number[]>;
  readonly #backoff: BackoffRule;
  readonly #userRule: UserRateRule;
  readonly #now: () => number;

  constructor(options: LoginLimiterOptions = {}) {
    const maxKeys = options.maxKeys ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#backoff = options.perUserAddress ?? DEFAULT_BACKOFF_RULE;
    this.#userRule = options.perUser ?? DEFAULT_USER_RULE;
    this.#ip = new Bucket(options.perIp ?? DEFAULT_IP_RULE, maxKeys);
    this.#pairs = new BoundedMap(
      maxKeys,
      (p) => p.nextAllowedAt + this.#backoff.forgetAfterMs <= this.#now(),
    );
    this.#users = new BoundedMap(maxKeys, (f) => this.#recentUser(f, this.#now()).length === 0);
  }

  /** Ask before checking the password; a refused attempt is answered without asking UCP. */
  check(attempt: Attempt): LimitVerdict {
    const now = this.#now();
    const user = userKey(attempt.username);
    const pair = this.#pair(user, attempt.ip, now);
    if (pair && pair.nextAllowedAt > now) {
      const wait = pair.nextAllowedAt - now;
      return {
        allowed: false,
        scope: 'user',
        retryAfterMs: wait,
        message: `Too many failed sign-ins for this user from your address. Try again in ${describeWait(wait)}.`,
      };
    }
    if (pair && pair.failures > 0) {
      const recent = this.#recentUser(this.#users.get(user) ?? [], now);
      if (recent.length >= this.#userRule.maxFailures) {
        const wait = (recent[0] ?? now) + this.#userRule.windowMs - now;
        return {
          allowed: false,
          scope: 'user',
          retryAfterMs: wait,
          message: `Too many failed sign-ins for this user. Try again in ${describeWait(wait)}.`,
        };
      }
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
    const freeLeft = Math.max(0, this.#backoff.freeFailures - (pair?.failures ?? 0));
    return { allowed: true, remaining: Math.min(freeLeft, this.#ip.remaining(attempt.ip, now)) };
  }

  /** Counts a wrong password; returns the verdict for the next attempt from the same place. */
  recordFailure(attempt: Attempt): LimitVerdict {
    const now = this.#now();
    const user = userKey(attempt.username);
    const failures = (this.#pair(user, attempt.ip, now)?.failures ?? 0) + 1;
    this.#pairs.set(pairKey(user, attempt.ip), {
      failures,
      nextAllowedAt: now + backoffDelay(this.#backoff, failures),
    });
    // Only the last maxFailures matter (is the rate reached, and when does it fall below).
    const recent = [...this.#recentUser(this.#users.get(user) ?? [], now), now];
    this.#users.set(user, recent.slice(-this.#userRule.maxFailures));
    this.#ip.fail(attempt.ip, now);
    return this.check(attempt);
  }

  /**
   * A correct password forgets that user's failures from that address. The address keeps its
   * count: otherwise one valid account would let an attacker reset the per-address limit.
   */
  recordSuccess(attempt: Attempt): void {
    this.#pairs.delete(pairKey(userKey(attempt.username), attempt.ip));
  }

  /** Keys held, for tests and metrics. */
  get size(): { user: number; ip: number; pair: number } {
    return { user: this.#users.size, ip: this.#ip.size, pair: this.#pairs.size };
  }

  #pair(user: string, ip: string, now: number): PairState | undefined {
    const key = pairKey(user, ip);
    const pair = this.#pairs.get(key);
    if (pair && pair.nextAllowedAt + this.#backoff.forgetAfterMs <= now) {
      this.#pairs.delete(key);
      return undefined;
    }
    return pair;
  }

  #recentUser(failures: number[], now: number): number[] {
    return failures.filter((at) => at > now - this.#userRule.windowMs);
  }
}

function pairKey(user: string, ip: string): string {
  return `${user}\n${ip}`;
}

/** Case and surrounding space must not buy an attacker a fresh allowance. */
function userKey(username: string): string {
  return username.trim().toLowerCase().slice(0, 256);
}
