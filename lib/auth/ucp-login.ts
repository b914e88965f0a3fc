// Checks a person's UCP username and password and reads whether they are a UCP admin.
// The password goes to UCP and nowhere else: not into a log line, an error or the session.
import 'server-only';
import { z } from 'zod';
import { httpRequest, type TlsSettings } from '@/lib/sources/http';
import { isSourceError } from '@/lib/sources/errors';
import type { SessionUser } from './session';

export interface UcpLoginTarget {
  /** Origin of UCP, e.g. "https://ucp.example.com". */
  url: string;
  ca?: string;
  insecureTls: boolean;
}

export type UcpLoginResult =
  | { ok: true; user: SessionUser }
  | {
      ok: false;
      /** invalid: wrong credentials (401); unavailable: UCP did not answer (503); upstream: UCP answered oddly (502). */
      reason: 'invalid' | 'unavailable' | 'upstream';
      /** Safe to show to the person signing in. */
      message: string;
      /** For the server log: names the UCP address and what failed, never credentials. */
      detail: string;
    };

export const DEFAULT_LOGIN_TIMEOUT_MS = 8000;

const loginSchema = z.looseObject({ auth_token: z.string().min(1) });
const accountSchema = z.looseObject({
  name: z.string().min(1).optional(),
  isAdmin: z.boolean(),
  isActive: z.boolean().optional(),
});

const INVALID = 'Wrong username or password.';
const UNAVAILABLE =
  'UCP did not answer, so the console cannot check your password. Try again shortly.';
const UPSTREAM =
  'UCP gave an unexpected answer, so the console cannot sign you in. Ask an administrator to check the console log.';

function parse<T>(body: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export async function verifyUcpLogin(
  username: string,
  password: string,
  target: UcpLoginTarget,
  timeoutMs = DEFAULT_LOGIN_TIMEOUT_MS,
): Promise<UcpLoginResult> {
  const tls: TlsSettings = {
    insecureTls: target.insecureTls,
    ...(target.ca ? { ca: target.ca } : {}),
  };
  const upstream = (detail: string): UcpLoginResult => ({
    ok: false,
    reason: 'upstream',
    message: UPSTREAM,
    detail,
  });
  try {
    const login = await httpRequest({
      method: 'POST',
      url: `${target.url}/auth/login`,
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ username, password }),
      timeoutMs,
      tls,
    });
    if (login.status === 401 || login.status === 403) {
      return {
        ok: false,
        reason: 'invalid',
        message: INVALID,
        detail: `UCP refused the credentials (HTTP ${login.status})`,
      };
    }
    if (login.status === 502 || login.status === 503 || login.status === 504) {
      return {
        ok: false,
        reason: 'unavailable',
        message: UNAVAILABLE,
        detail: `UCP /auth/login answered HTTP ${login.status}`,
      };
    }
    if (login.status < 200 || login.status > 299)
      return upstream(`UCP /auth/login answered HTTP ${login.status}`);
    const token = parse(login.body, loginSchema)?.auth_token;
    if (!token) return upstream('UCP /auth/login answered without an auth_token');

    const account = await httpRequest({
      method: 'GET',
      url: `${target.url}/accounts/${encodeURIComponent(username)}`,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      timeoutMs,
      tls,
    });
    // A UCP that will not show the account to its owner grants no admin rights: least privilege.
    if (account.status === 403) return { ok: true, user: { username, isAdmin: false } };
    if (account.status < 200 || account.status > 299) {
      return upstream(`UCP /accounts/<name> answered HTTP ${account.status}`);
    }
    const found = parse(account.body, accountSchema);
    if (!found) return upstream('UCP /accounts/<name> answered without a boolean isAdmin');
    if (found.isActive === false) {
      return { ok: false, reason: 'invalid', message: INVALID, detail: 'UCP account is inactive' };
    }
    // UCP's spelling of the name (it matches case-insensitively), so one person is one audit actor.
    const name =
      found.name && found.name.toLowerCase() === username.toLowerCase() ? found.name : username;
    return { ok: true, user: { username: name, isAdmin: found.isAdmin } };
  } catch (error) {
    if (isSourceError(error) && error.kind !== 'malformed') {
      const unavailable = error.kind !== 'tls';
      return {
        ok: false,
        reason: unavailable ? 'unavailable' : 'upstream',
        message: unavailable ? UNAVAILABLE : UPSTREAM,
        detail: error.message,
      };
    }
    return upstream(error instanceof Error ? error.message : 'unknown error');
  }
}
