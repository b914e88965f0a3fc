// A recording front for a daemon's unix socket: plain HTTP on another unix socket, or HTTPS on
// 127.0.0.1 that demands a client certificate (a UCP client bundle's transport). It forwards every
// request, hijacked attach included, and records `METHOD path?query` as it arrives.
import { once } from 'node:events';
import { request as httpRequest, createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

export interface EngineProxy {
  /** Each request as `METHOD /path?query`, in arrival order. */
  seen: string[];
  /** The unix socket it listens on (plain HTTP), or null. */
  socketPath: string | null;
  /** Its port on 127.0.0.1 (HTTPS), or null. */
  port: number | null;
  close(): Promise<void>;
}

export type ProxyListen =
  { socketPath: string } | { tls: { key: string; cert: string; clientCa: string } };

export async function startEngineProxy(
  upstreamSocket: string,
  listen: ProxyListen,
): Promise<EngineProxy> {
  const seen: string[] = [];
  const sockets = new Set<Duplex>();
  const handler = (
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
  ) => {
    seen.push(`${req.method} ${req.url}`);
    const upstream = httpRequest(
      { socketPath: upstreamSocket, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const server: Server =
    'tls' in listen
      ? createHttpsServer(
          {
            key: listen.tls.key,
            cert: listen.tls.cert,
            ca: listen.tls.clientCa,
            requestCert: true,
            rejectUnauthorized: true,
          },
          handler,
        )
      : createHttpServer(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Duplex) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // The Engine's hijack: pass the request head on, then bytes both ways, half-closes included.
  server.on('upgrade', (req: import('node:http').IncomingMessage, client: Duplex, head: Buffer) => {
    seen.push(`${req.method} ${req.url}`);
    // The client half-closes after the password (its stdin ends); its output must still flow.
    // An HTTPS server's sockets would otherwise end their side as soon as the client's ends.
    client.allowHalfOpen = true;
    const upstream = connect(upstreamSocket);
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
    const drop = () => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', drop);
    client.on('error', drop);
  });
  if ('tls' in listen) server.listen(0, '127.0.0.1');
  else server.listen(listen.socketPath);
  await once(server, 'listening');
  const address = server.address();
  return {
    seen,
    socketPath: 'tls' in listen ? null : listen.socketPath,
    port: typeof address === 'object' && address ? address.port : null,
    async close() {
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
