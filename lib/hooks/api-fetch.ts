// The browser's one way to call the console's API: no cache, CSRF on every change, a lapsed
// session sent to sign-in, the one error shape ({ error: { code, message } }) turned into an
// Error whose message is the server's sentence, and a shape check where a wrong shape would
// mislead. Every client fetch goes through here.

import { clusterUrl } from './cluster-url';

/** A call that failed; `httpStatus` is null when the console did not answer at all. */
export class ApiFetchError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number | null,
    /** The error shape's `code`, when the server sent one. */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'ApiFetchError';
  }
}

/** The server's own message and code when it sent them, else a plain description of the status. */
async function errorOf(response: Response): Promise<{ message: string; code: string | null }> {
  try {
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && 'error' in body) {
      const { error } = body;
      if (typeof error === 'object' && error !== null) {
        const message =
          'message' in error && typeof error.message === 'string' ? error.message : '';
        const code = 'code' in error && typeof error.code === 'string' ? error.code : null;
        if (message.trim()) return { message, code };
      }
    }
  } catch {
    // not JSON: fall through to the status line
  }
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return { message: `The console answered HTTP ${status}.`, code: null };
}

/** The header a mutating request carries once the server hands out a CSRF token in the page. */
export function csrfHeaders(): Record<string, string> {
  if (typeof document === 'undefined') return {};
  const token = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content;
  return token ? { 'x-csrf-token': token } : {};
}

/** Sends the browser to sign-in and back here; not from the sign-in page itself. */
function toSignIn(): void {
  if (typeof window === 'undefined' || window.location.pathname === '/login') return;
  const next = encodeURIComponent(window.location.pathname + window.location.search);
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  window.location.assign(`/login?reason=expired&next=${next}`);
}

export interface ApiFetchOptions<T> {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Sent as JSON. */
  body?: unknown;
  /** `text` for plain-text answers (load-balancer configs); default `json`. */
  as?: 'json' | 'text';
  /**
   * Checks the answer's shape and returns it typed; throw (or return a message) when it is not
   * what the page expects. Without it the answer is trusted as T.
   */
  check?: (value: unknown) => T;
  /** On 401, go to sign-in (default). The sign-in form turns it off: 401 is its wrong password. */
  signInOn401?: boolean;
}

export async function apiFetch<T>(url: string, options: ApiFetchOptions<T> = {}): Promise<T> {
  const { method = 'GET', body, as = 'json', check, signInOn401 = true } = options;
  let response: Response;
  try {
    response = await fetch(clusterUrl(url), {
      method,
      cache: 'no-store',
      headers: {
        accept: as === 'json' ? 'application/json' : 'text/plain',
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(method === 'GET' ? {} : csrfHeaders()),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiFetchError(`The console did not answer (${reason}).`, null);
  }
  if (response.status === 401 && signInOn401) toSignIn();
  if (!response.ok) {
    const { message, code } = await errorOf(response);
    throw new ApiFetchError(message, response.status, code);
  }
  const text = await response.text();
  // An empty answer (204, or a change that returns nothing) is undefined, not a parse error.
  const value: unknown =
    as === 'text' ? text : text === '' ? undefined : (JSON.parse(text) as unknown);
  if (!check) return value as T;
  try {
    return check(value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiFetchError(
      `The console's answer from ${url} was not what this page expects (${reason}).`,
      response.status,
    );
  }
}

/** For `check`: an object with these keys, or a sentence naming the first one missing. */
export function hasKeys<T>(...keys: string[]): (value: unknown) => T {
  return (value) => {
    if (typeof value !== 'object' || value === null) throw new Error('not an object');
    const missing = keys.find((key) => !(key in value));
    if (missing) throw new Error(`no "${missing}"`);
    return value as T;
  };
}
