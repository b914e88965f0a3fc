// Long requests (the event stream) outlive the check made when they began: this re-checks the
// session every second, so a sign-out or expiry ends them within a second.
import 'server-only';
import type { Revocations } from './revocations';
import type { Session } from './session';

export const SESSION_RECHECK_MS = 1000;

/**
 * A signal that aborts when `request` does or when `session` is signed out (on any instance
 * sharing the store) or expires, checked every `everyMs`. With no session (AUTH=off) it is
 * `request` itself.
 */
export function untilSessionEnds(
  request: AbortSignal,
  session: Pick<Session, 'id' | 'expiresAt'> | null,
  revocations: Pick<Revocations, 'hasEnded'>,
  { everyMs = SESSION_RECHECK_MS }: { everyMs?: number } = {},
): AbortSignal {
  if (!session || request.aborted) return request;
  const ended = new AbortController();
  let checking = false;
  const stop = () => {
    clearInterval(timer);
    request.removeEventListener('abort', stop);
  };
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    void revocations
      .hasEnded(session)
      .then((over) => {
        if (!over) return;
        stop();
        ended.abort(new Error('session ended'));
      })
      .finally(() => {
        checking = false;
      });
  }, everyMs);
  timer.unref?.();
  request.addEventListener('abort', stop);
  return AbortSignal.any([request, ended.signal]);
}
