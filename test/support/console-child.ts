// One console process for the suites that run the console in child processes and kill them
// (test/ha, test/alerts, test/fleet): the real runtime (lib/server/runtime.ts, booted from the
// environment as instrumentation.ts does, so CLUSTERS_FILE or UCP_URL decide the clusters) behind
// a small HTTP server that hands requests to the app's own route handlers. Several of these may
// share one Postgres database.
//
// Run: node --conditions=react-server --import tsx test/support/console-child.ts
// Env: the console's own (DATABASE_URL, UCP_URL or CLUSTERS_FILE, …) plus
//   CONSOLE_CHILD_ROUTES  the routes it serves, comma-separated: "GET /api/status,POST /api/auth/logout";
//                         a dynamic segment is written as test/support/routes.ts names it
//                         ("GET /api/wizards/runs/matrix-test-id") and matches any one segment,
//                         handed to the handler as its param (params: { id })
//   CONSOLE_CHILD_PORT    the port to listen on (0 or unset: any)
//   CONSOLE_CHILD_CLUSTER_PREFIX=on  route /c/<name>/… URLs the way proxy.ts does: the prefix comes
//                         off and the cluster rides in CLUSTER_HEADER. A CLUSTER_HEADER sent by the
//                         client is dropped either way, as the proxy drops it.
// Prints `READY {"pid":…,"port":…}` once the runtime has booted and the server listens.
import { createServer, type IncomingMessage } from 'node:http';
import { CLUSTER_HEADER } from '@/lib/auth/proxy-handler';
import { bootOrExit } from '@/lib/server/boot';
import { Readable } from 'node:stream';
import { ROUTE_TEST_ID, routeFiles, routeHandlers, type RouteHandler } from '@/test/support/routes';

interface Route {
  method: string;
  /** URL path segments; null where a dynamic segment matches anything. */
  segments: (string | null)[];
  /** The param name of each dynamic segment ([id] → id), in order. */
  params: string[];
  handler: RouteHandler;
}

/** "GET /api/status,…" → the app's handler for each, with its dynamic segments. */
async function loadRoutes(list: string): Promise<Route[]> {
  const files = routeFiles();
  const routes: Route[] = [];
  for (const entry of list.split(',').map((item) => item.trim())) {
    const [method, urlPath] = entry.split(/\s+/);
    const file = files.find((route) => route.urlPath === urlPath)?.file;
    const handler = file
      ? (await routeHandlers(file)).find((route) => route.method === method)?.handler
      : undefined;
    if (!file || !handler || !method || !urlPath)
      throw new Error(`CONSOLE_CHILD_ROUTES: no route handler for "${entry}".`);
    const params = [...file.matchAll(/\[([A-Za-z]+)\]/g)].map((match) => match[1]!);
    const segments = urlPath
      .split('/')
      .map((segment) => (segment === ROUTE_TEST_ID ? null : segment));
    routes.push({ method, segments, params, handler });
  }
  return routes;
}

function match(
  routes: Route[],
  method: string | undefined,
  pathname: string,
): { handler: RouteHandler; params: Record<string, string> } | null {
  const parts = pathname.split('/');
  for (const route of routes) {
    if (route.method !== method || route.segments.length !== parts.length) continue;
    if (!route.segments.every((segment, i) => segment === null || segment === parts[i])) continue;
    const values = parts.filter((_, i) => route.segments[i] === null).map(decodeURIComponent);
    return {
      handler: route.handler,
      params: Object.fromEntries(route.params.map((name, i) => [name, values[i] ?? ''])),
    };
  }
  return null;
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
      const found = match(routes, req.method, url.pathname);
      if (!found) {
        res.writeHead(404).end();
        return;
      }
      const payload =
        req.method === 'GET' || req.method === 'HEAD' ? undefined : new Uint8Array(await body(req));
      const response = await found.handler(
        new Request(url, { method: req.method, headers, body: payload }),
        { params: Promise.resolve(found.params) },
      );
      res.writeHead(response.status, Object.fromEntries(response.headers));
      // Streamed as it comes (server-sent events), not buffered to the end.
      if (!response.body) res.end();
      else Readable.fromWeb(response.body as import('node:stream/web').ReadableStream).pipe(res);
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
