// node:http servers for every manager, replica and cache, each on its member's loopback address.
// No 'server-only' marker: scripts/demo-cluster.ts runs this under plain Node.
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  MemberServer,
  readBody,
  send,
  type ServedKind,
  type ServedMember,
  type ServedTls,
} from './member-server';
import type { DemoModel } from './model';
import { routeDtr, routeCache, routeCacheLb } from './routes-dtr';
import { routeUcp } from './routes-ucp';
import { CACHE_LB_ADDRESS, type DemoNode } from './topology';
import { garbled, type DemoContext, type DemoRequest, type DemoResponse } from './wire';

export type DemoRequestCounts = Record<string, Record<string, number>>;

function servedMembers(model: DemoModel): ServedMember[] {
  const { ucpPort, cachePort } = model.options;
  const node = (kind: ServedKind, port: number) => (n: DemoNode) => ({
    target: n.hostname,
    kind,
    address: n.address,
    port,
    // Cut off from the console: the cluster still sees it, the console's connections are refused.
    up: model.nodeIsUp(n.hostname) && !model.cutFromConsole(n.hostname),
  });
  return [
    ...model.managers.map(node('manager', ucpPort)),
    ...model.replicas.map((r) => ({
      target: r.id,
      kind: 'replica' as const,
      address: model.replicaAddress(r),
      port: model.httpPort(r),
      up: model.replicaIsUp(r.id) && !model.cutFromConsole(r.id),
    })),
    ...model.caches.map(node('cache', cachePort)),
    // The HA cache's load balancer: not a node, never stopped by a fault.
    ...(model.haCacheNodes.length > 0
      ? [
          {
            target: CACHE_LB_TARGET,
            kind: 'cache-lb' as const,
            address: CACHE_LB_ADDRESS,
            port: cachePort,
            up: true,
          },
        ]
      : []),
  ];
}

/** The counters' and servers' name for the HA cache's load balancer. */
export const CACHE_LB_TARGET = 'cache-lb';

const BIND_ATTEMPTS = 5;

const ROUTES: Record<
  ServedKind,
  (ctx: DemoContext, target: string, request: DemoRequest) => DemoResponse
> = {
  manager: routeUcp,
  replica: routeDtr,
  cache: routeCache,
  'cache-lb': routeCacheLb,
};

export class DemoServers {
  private readonly servers = new Map<string, MemberServer>();
  private readonly counts = new Map<string, Map<string, number>>();
  private queue: Promise<void> = Promise.resolve();

  /** `ucpTls`: managers serve HTTPS with this certificate (the demo's `tls` option). */
  constructor(
    private readonly ctx: DemoContext,
    private readonly ucpTls?: ServedTls,
  ) {}

  private get model(): DemoModel {
    return this.ctx.model;
  }

  /** Binds every member; managers share one port, replicas another, caches a third. */
  async start(): Promise<void> {
    const members = servedMembers(this.model);
    const group = (kind: ServedKind) =>
      members.filter((m) => m.kind === kind).map((m) => this.serverFor(m));
    const { ucpPort, dtrHttpPort, cachePort } = this.model.options;
    const ucp = await this.bindGroup(group('manager'), ucpPort);
    const dtrHttp = await this.bindGroup(group('replica'), dtrHttpPort);
    const cache = await this.bindGroup([...group('cache'), ...group('cache-lb')], cachePort);
    this.model.assignPorts({ ucp, dtrHttp, cache });
  }

  /** Brings servers in line with the model: listening unless stopped, gone when the member is. */
  reconcile(): Promise<void> {
    const run = this.queue.then(() => this.reconcileNow());
    this.queue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.queue;
    await Promise.all([...this.servers.values()].map((server) => server.close()));
    this.servers.clear();
  }

  counters(): DemoRequestCounts {
    return Object.fromEntries(
      [...this.counts].map(([target, paths]) => [target, Object.fromEntries(paths)]),
    );
  }

  private async reconcileNow(): Promise<void> {
    const members = servedMembers(this.model);
    const wanted = new Set(members.map((m) => m.target));
    for (const [target, server] of this.servers) {
      if (!wanted.has(target)) {
        this.servers.delete(target);
        await server.close();
      }
    }
    for (const member of members) {
      const server = this.serverFor(member);
      if (member.up && !server.listening) await server.listen(member.port);
      if (!member.up && server.listening) await server.close();
    }
  }

  private serverFor(member: ServedMember): MemberServer {
    let server = this.servers.get(member.target);
    if (server && server.member.address !== member.address) {
      void server.close();
      server = undefined;
    }
    if (!server) {
      server = new MemberServer(
        member,
        (s, req, res) => this.handle(s, req, res),
        member.kind === 'manager' ? this.ucpTls : undefined,
      );
      this.servers.set(member.target, server);
    }
    return server;
  }

  /** Binds the first server (on the requested port or any), then the others on that same port. */
  private async bindGroup(servers: MemberServer[], requestedPort: number): Promise<number> {
    const [first, ...rest] = servers;
    if (!first) return requestedPort;
    for (let attempt = 1; ; attempt++) {
      try {
        const port = await first.listen(requestedPort);
        for (const server of rest) await server.listen(port);
        return port;
      } catch (error) {
        await Promise.all(servers.map((server) => server.close()));
        const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
        if (requestedPort !== 0 || !inUse || attempt >= BIND_ATTEMPTS) throw error;
      }
    }
  }

  private count(target: string, path: string): void {
    let paths = this.counts.get(target);
    if (!paths) this.counts.set(target, (paths = new Map()));
    paths.set(path, (paths.get(path) ?? 0) + 1);
  }

  private handle(server: MemberServer, req: IncomingMessage, res: ServerResponse): void {
    const { target, kind } = server.member;
    const url = new URL(req.url ?? '/', 'http://demo.invalid');
    this.count(target, url.pathname);
    const fault = this.model.faultOf(target);
    if (fault === 'hang') return;
    readBody(req).then(
      (body) => {
        const request: DemoRequest = {
          method: req.method ?? 'GET',
          path: url.pathname,
          query: url.searchParams,
          authorization: req.headers.authorization,
          body,
        };
        const answer = () => {
          let response: DemoResponse;
          try {
            response = ROUTES[kind](this.ctx, target, request);
          } catch {
            response = {
              status: 500,
              contentType: 'application/json',
              body: '{"message":"internal error"}',
              json: true,
            };
          }
          send(res, fault === 'garbage' ? garbled(response) : response);
        };
        if (fault === 'slow') server.later(answer, this.model.options.slowMs);
        else answer();
      },
      () => res.destroy(),
    );
  }
}
