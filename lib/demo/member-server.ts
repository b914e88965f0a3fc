// One member's HTTP server on its own loopback address, and the small pieces of HTTP it needs.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { DemoResponse } from './wire';

const MAX_BODY_BYTES = 1 << 20;

export type ServedKind = 'manager' | 'replica' | 'cache' | 'cache-lb';

/** A member that answers HTTP, and whether its server should be listening. */
export interface ServedMember {
  target: string;
  kind: ServedKind;
  address: string;
  port: number;
  up: boolean;
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function send(res: ServerResponse, response: DemoResponse): void {
  if (res.destroyed || res.writableEnded) return;
  // Keep-alive, as a real member's server: the console's probes keep their connection, and a
  // stopped member closes it (close() below), as a killed process's kernel does.
  res.writeHead(response.status, { 'Content-Type': response.contentType, ...response.headers });
  res.end(response.body);
}

/** Certificate and key a member serves HTTPS with. */
export interface ServedTls {
  cert: string;
  key: string;
}

/** One member's server. It is closed for `stop` and listens again on the same address and port. */
export class MemberServer {
  private readonly server: Server;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    readonly member: ServedMember,
    handle: (server: MemberServer, req: IncomingMessage, res: ServerResponse) => void,
    tls?: ServedTls,
  ) {
    const listener = (req: IncomingMessage, res: ServerResponse) => handle(this, req, res);
    this.server = tls
      ? createTlsServer({ cert: tls.cert, key: tls.key }, listener)
      : createServer(listener);
    // Not the console's server: the console's status lane (lib/server/status-lane.ts) leaves it be.
    Object.assign(this.server, { [Symbol.for('dtr-ha-console.not-the-console')]: true });
  }

  get listening(): boolean {
    return this.server.listening;
  }

  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.member.address, () => {
        this.server.off('error', reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  later(answer: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      answer();
    }, delayMs);
    this.timers.add(timer);
  }

  /**
   * A stopped container: refuses new connections (the listening socket goes first, so a client
   * that sees its connection close and dials again is refused) and closes every open one, idle
   * kept connections and hung requests alike, as the kernel does for a killed process.
   */
  close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
