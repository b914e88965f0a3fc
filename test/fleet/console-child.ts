// One console process for test/fleet/fleet.test.ts: the real fleet runtime (lib/server/runtime.ts,
// booted from the environment as instrumentation.ts does, so CLUSTERS_FILE decides the clusters)
// behind a small HTTP server that hands requests to the app's own route handlers. A /c/<name>/
// URL is routed the way proxy.ts does it: the prefix comes off and the cluster rides in
// CLUSTER_HEADER.
//
// Run: node --conditions=react-server --import tsx test/fleet/console-child.ts
// Env: the console's own (CLUSTERS_FILE, AUTH=off, DATABASE_URL, …) plus FLEET_PORT (0: any).
// Prints `READY {"pid":…,"port":…}` once every cluster's runtime is up and the server listens.
import { createServer } from 'node:http';
import { GET as fleet } from '@/app/api/fleet/route';
import { GET as healthz } from '@/app/api/healthz/route';
import { GET as status } from '@/app/api/status/route';
import { CLUSTER_HEADER } from '@/lib/auth/proxy-handler';
import { bootOrExit } from '@/lib/server/boot';

type Handler = (request: Request, context: unknown) => Promise<Response>;
const routes: Record<string, Handler> = {
  'GET /api/fleet': fleet as Handler,
  'GET /api/healthz': healthz as Handler,
  'GET /api/status': status as Handler,
};

async function main(): Promise<void> {
  await bootOrExit();
  const port = Number(process.env.FLEET_PORT ?? 0);
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string' && name !== CLUSTER_HEADER) headers.set(name, value);
      const prefixed = /^\/c\/([a-z0-9-]+)(\/.*)$/.exec(url.pathname);
      if (prefixed) {
        headers.set(CLUSTER_HEADER, prefixed[1]!);
        url.pathname = prefixed[2]!;
      }
      const handler = routes[`${req.method} ${url.pathname}`];
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      const response = await handler(new Request(url, { method: req.method, headers }), {
        params: Promise.resolve({}),
      });
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
