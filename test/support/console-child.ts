// One console process for the suites that run the console in child processes and kill them
// (test/ha, test/alerts, test/fleet): the real runtime (lib/server/runtime.ts, booted from the
// environment as instrumentation.ts does, so CLUSTERS_FILE or UCP_URL decide the clusters) behind
// a small HTTP server that hands requests to the app's own route handlers. Several of these may
// share one Postgres database.
//
// Run: node --conditions=react-server --import tsx test/support/console-child.ts
// Env: the console's own (DATABASE_URL, UCP_URL or CLUSTERS_FILE, …) plus
//   CONSOLE_CHILD_ROUTES  the routes it serves, comma-separated: "GET /api/status,POST /api/auth/logout"
//   CONSOLE_CHILD_PORT    the port to listen on (0 or unset: any)
//   CONSOLE_CHILD_CLUSTER_PREFIX=on  route /c/<name>/… URLs the way proxy.ts does: the prefix comes
//                         off and the cluster rides in CLUSTER_HEADER. A CLUSTER_HEADER sent by the
//                         client is dropped either way, as the proxy drops it.
// Prints `READY {"pid":…,"port":…}` once the runtime has booted and the server listens.
import { createServer, type IncomingMessage } from 'node:http';
import { CLUSTER_HEADER } from '@/lib/auth/proxy-handler';
import { bootOrExit } from '@/lib/server/boot';
import { routeFiles, routeHandlers, type RouteHandler } from '@/test/support/routes';

/** "GET /api/status,…" → the app's handler for each, keyed "GET /api/status". */
async function loadRoutes(list: string): Promise<Map<string, RouteHandler>> {
  const files = routeFiles();
  const routes = new Map<string, RouteHandler>();
  for (const entry of list.split(',').map((item) => item.trim())) {
    const [method, urlPath] = entry.split(/\s+/);
    const file = files.find((route) => route.urlPath === urlPath)?.file;
    const handler = file
      ? (await routeHandlers(file)).find((route) => route.method === method)?.handler
      : undefined;
    if (!handler) throw new Error(`CONSOLE_CHILD_ROUTES: no route handler for "${entry}".`);
    routes.set(`${method} ${urlPath}`, handler);
  }
  return routes;
}

async function body(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function main(): Promise<void> {
  const list = process.env.CONSOLE_CHILD_ROUTES;
  if (!list) throw new Error('CONSOLE_CHILD_ROUTES is not set.');
  const routes = await loadRoutes(list);
  const clusterPrefix = process.env.CONSOLE_CHILD_CLUSTER_PREFIX === 'on';
  await bootOrExit();
  const port = Number(process.env.CONSOLE_CHILD_PORT ?? 0);
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string' && name !== CLUSTER_HEADER) headers.set(name, value);
      const prefixed = clusterPrefix ? /^\/c\/([a-z0-9-]+)(\/.*)$/.exec(url.pathname) : null;
      if (prefixed) {
        headers.set(CLUSTER_HEADER, prefixed[1]!);
        url.pathname = prefixed[2]!;
      }
      const handler = routes.get(`${req.method} ${url.pathname}`);
      if (!handler) {
        res.writeHead(404).end();
        return;
      }
      const payload =
        req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(await body(req));
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
