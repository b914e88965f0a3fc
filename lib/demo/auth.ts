// Demo users and UCP session tokens, shared by every manager (and DTR basic auth).
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { DemoInputError } from './faults';
import type { DemoUser } from './topology';

/** Oldest tokens are forgotten past this, so long benchmarks do not grow memory. */
const MAX_TOKENS = 10_000;

export function defaultUsers(): DemoUser[] {
  const password = () => randomBytes(12).toString('base64url');
  return [
    { username: 'admin', password: password(), isAdmin: true },
    { username: 'viewer', password: password(), isAdmin: false },
  ];
}

function sameSecret(a: string, b: string): boolean {
  const hash = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(hash(a), hash(b));
}

export interface LoginTokens {
  auth_token: string;
  refresh_token: string;
}

export class DemoAuth {
  readonly users: readonly DemoUser[];
  private readonly tokens = new Map<string, DemoUser>();

  constructor(users: readonly DemoUser[] = defaultUsers()) {
    if (users.length === 0 || users.some((u) => !u.username || !u.password)) {
      throw new DemoInputError(
        'INVALID_OPTION',
        'users must list at least one user, each with a username and a password',
      );
    }
    const names = users.map((user) => user.username);
    if (new Set(names).size !== names.length) {
      throw new DemoInputError(
        'INVALID_OPTION',
        `Demo usernames must be unique, got ${names.join(', ')}`,
      );
    }
    this.users = users.map((user) => ({ ...user }));
  }

  user(username: string): DemoUser | undefined {
    return this.users.find((user) => user.username === username);
  }

  verify(username: string, password: string): DemoUser | null {
    const user = this.user(username);
    return user && sameSecret(user.password, password) ? user : null;
  }

  login(username: string, password: string): LoginTokens | null {
    const user = this.verify(username, password);
    if (!user) return null;
    const token = randomUUID();
    this.tokens.set(token, user);
    if (this.tokens.size > MAX_TOKENS) {
      const oldest = this.tokens.keys().next().value;
      if (oldest !== undefined) this.tokens.delete(oldest);
    }
    return { auth_token: token, refresh_token: randomUUID() };
  }

  /** The user of an `Authorization: Bearer <token>` header, if the token is live. */
  bearerUser(authorization: string | undefined): DemoUser | null {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    return (match?.[1] && this.tokens.get(match[1])) || null;
  }

  /** The user of an `Authorization: Basic ...` header, if the credentials match. */
  basicUser(authorization: string | undefined): DemoUser | null {
    const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    if (!match?.[1]) return null;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return null;
    return this.verify(decoded.slice(0, colon), decoded.slice(colon + 1));
  }

  /** Every token stops working; clients must log in again. */
  expireTokens(): void {
    this.tokens.clear();
  }
}
