// One console instance for test/ha/failover.test.ts: the real runtime (lib/server/runtime.ts,
// booted from the environment exactly as instrumentation.ts does) behind a small HTTP server that
// hands requests to the app's own route handlers. Several of these share one Postgres database.
//
// Run: node --conditions=react-server --import tsx test/ha/console-child.ts
// Env: the console's own (DATABASE_URL=postgres://…, UCP_URL, DTR_URL, …) plus HA_PORT.
// Prints `READY {"pid":…,"port":…}` once the runtime has booted and the server listens.
import { createServer, type IncomingMessage } from 'node:http';
import { POST as logout } from '@/app/api/auth/logout/route';
import { GET as healthz } from '@/app/api/healthz/route';
import { GET as status } from '@/app/api/status/route';
import { getRuntime } from '@/lib/server/runtime';

type Handler = (request: Request, context: unknown) => Promise<Response>;
const routes: Record<string, Handler> = {
  'GET /api/status': status as Handler,
  'GET /api/healthz': healthz as Handler,
  'POST /api/auth/logout': logout as Handler,
};

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function main(): Promise<void> {
  await getRuntime();
  const port = Number(process.env.HA_PORT ?? 0);
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      const handler = routes[`${req.method} ${url.pathname}`];
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string') headers.set(name, value);
      const payload = req.method === 'POST' ? new Uint8Array(await body(req)) : undefined;
      const response = await handler(
        new Request(url, { method: req.method, headers, body: payload }),
        { params: Promise.resolve({}) },
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      console.error(`request failed: ${String(error)}`);
      res.writeHead(500).end();
    });
  });
  server.listen(port, '127.0.0.1', () => {
    const address = server.address();
    const bound = typeof address === 'object' && address ? address.port : port;
    console.log(`READY ${JSON.stringify({ pid: process.pid, port: bound })}`);
  });
}

process.on('unhandledRejection', (reason) => {
  console.error(`UNHANDLED REJECTION: ${String(reason)}`);
});

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
