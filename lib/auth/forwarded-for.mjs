// Loaded into the `next start` process (scripts/start.mjs runs node with --import this file).
// `next start` keeps a client-sent X-Forwarded-For as it is and only fills it in when absent, so
// a route cannot tell a forged address from a real one. Here every request's X-Forwarded-For gets
// the TCP peer's address appended, as a well-behaved proxy would: the last entry is always the
// address the connection really came from, and lib/auth/request-info.ts clientIp() counts
// TRUST_PROXY hops back from it. Plain JavaScript: it runs before Next, without a compiler.
import http from 'node:http';

const STAMPED = Symbol.for('dtr-ha-console.forwarded-for-stamped');
const INSTALLED = Symbol.for('dtr-ha-console.forwarded-for-installed');

/** Appends the socket's remote address to X-Forwarded-For (once per request). */
export function appendPeerAddress(req) {
  if (req[STAMPED]) return;
  req[STAMPED] = true;
  const peer = req.socket?.remoteAddress ?? 'unknown';
  const sent = req.headers['x-forwarded-for'];
  const list = (Array.isArray(sent) ? sent.join(', ') : (sent ?? '')).trim();
  req.headers['x-forwarded-for'] = list ? `${list}, ${peer}` : peer;
}

/** Makes every server built on `proto` (default: every http.Server) stamp its requests. */
export function installPeerAddress(proto = http.Server.prototype) {
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const emit = proto.emit;
  proto.emit = function emitWithPeer(event, ...args) {
    if (event === 'request' && args[0]) appendPeerAddress(args[0]);
    return emit.call(this, event, ...args);
  };
}

if (process.env.DTR_CONSOLE_PEER_ADDRESS === '1') installPeerAddress();
