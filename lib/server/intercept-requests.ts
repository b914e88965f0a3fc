// One wrapper of http.Server's "request" event for the process (refuse-methods.ts and
// status-lane.ts): each interceptor sees a request before the server's own listeners (Next) and
// either answers it (returns true) or hands it on with `next()`, now or later. Installed once per
// key, for every server of the process, present or future.
import http from 'node:http';

export type Interceptor = (
  server: http.Server,
  request: http.IncomingMessage,
  response: http.ServerResponse,
  next: () => void,
) => boolean;

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
type Patched = typeof http.Server.prototype & Record<symbol, boolean | undefined>;

export function interceptRequests(key: symbol, intercept: Interceptor): void {
  const proto = http.Server.prototype as Patched;
  if (proto[key]) return;
  proto[key] = true;
  const emit = proto.emit as Emit;
  proto.emit = function intercepted(this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event !== 'request') return emit.call(this, event, ...args);
    const [request, response] = args as [http.IncomingMessage, http.ServerResponse];
    let handedOn = false;
    const next = () => {
      if (handedOn) return;
      handedOn = true;
      emit.call(this, event, ...args);
    };
    if (intercept(this, request, response, next)) return true;
    handedOn = true;
    return emit.call(this, event, ...args);
  } as typeof proto.emit;
}
