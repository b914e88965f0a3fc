// The demo cluster's state without sockets: topology, member faults, and what follows from them.
import { majority } from '../domain/quorum';
import {
  DemoInputError,
  FAULT_KINDS,
  FAULTS_BY_MEMBER,
  isFaultKind,
  type DemoMemberKind,
  type FaultKind,
} from './faults';
import {
  buildNodes,
  buildReplicas,
  type DemoNode,
  type DemoReplica,
  type ResolvedDemoOptions,
} from './topology';

export interface ActiveFault {
  kind: Exclude<FaultKind, 'none'>;
  since: Date;
}

export interface SharedPorts {
  ucp: number;
  dtrHttp: number;
  cache: number;
}

interface NodeRevision {
  index: number;
  updatedAt: Date;
}

export class DemoModel {
  readonly nodes: readonly DemoNode[];
  readonly createdAt: Date;
  /** Bumped on every change; lets payload builders cache. */
  version = 0;
  private readonly base: ResolvedDemoOptions;
  private ports: SharedPorts;
  private readonly nodeByHostname: ReadonlyMap<string, DemoNode>;
  private readonly managerNodes: readonly DemoNode[];
  private readonly cacheNodes: readonly DemoNode[];
  private replicaList: DemoReplica[];
  private readonly faults = new Map<string, ActiveFault>();
  private readonly revisions = new Map<string, NodeRevision>();
  private leaderHostname: string | null;

  constructor(
    options: ResolvedDemoOptions,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.base = options;
    this.ports = { ucp: options.ucpPort, dtrHttp: options.dtrHttpPort, cache: options.cachePort };
    this.nodes = buildNodes(options);
    this.nodeByHostname = new Map(this.nodes.map((node) => [node.hostname, node]));
    this.managerNodes = this.nodes.filter((node) => node.tier === 'manager');
    this.cacheNodes = this.nodes.filter((node) => node.tier === 'cache');
    this.replicaList = buildReplicas(options);
    this.createdAt = new Date(this.clock().getTime() - 30 * 24 * 3600_000);
    this.leaderHostname = this.managerNodes[0]?.hostname ?? null;
  }

  get options(): ResolvedDemoOptions {
    return {
      ...this.base,
      ucpPort: this.ports.ucp,
      dtrHttpPort: this.ports.dtrHttp,
      cachePort: this.ports.cache,
    };
  }

  now(): Date {
    return this.clock();
  }

  /** Records the ports the servers actually bound (when 0 asked for any free one). */
  assignPorts(ports: SharedPorts): void {
    this.ports = { ...ports };
    this.changed();
  }

  // --- Members -------------------------------------------------------------

  get replicas(): readonly DemoReplica[] {
    return this.replicaList;
  }

  get managers(): readonly DemoNode[] {
    return this.managerNodes;
  }

  /** Every cache node: the HA cache's replicas and the regional caches. */
  get caches(): readonly DemoNode[] {
    return this.cacheNodes;
  }

  /** The nodes that run the HA cache service's replicas, behind the cache load balancer. */
  get haCacheNodes(): readonly DemoNode[] {
    return this.cacheNodes.filter((node) => node.cache === 'ha');
  }

  /** The regional caches, one node each, registered at the node's own address. */
  get regionalCacheNodes(): readonly DemoNode[] {
    return this.cacheNodes.filter((node) => node.cache === 'regional');
  }

  /** A cache replica answers /v2/ as a registry should: its node is up and the cache not failing. */
  cacheServes(hostname: string): boolean {
    const fault = this.faultOf(hostname);
    return this.nodeIsUp(hostname) && fault !== 'error' && fault !== 'hang' && fault !== 'garbage';
  }

  node(hostname: string): DemoNode | undefined {
    return this.nodeByHostname.get(hostname);
  }

  replica(id: string): DemoReplica | undefined {
    return this.replicaList.find((replica) => replica.id === id);
  }

  replicaOnNode(hostname: string): DemoReplica | undefined {
    return this.replicaList.find((replica) => replica.node === hostname);
  }

  replicaAddress(replica: DemoReplica): string {
    return this.nodeByHostname.get(replica.node)?.address ?? '127.0.0.1';
  }

  httpPort(replica: DemoReplica): number {
    return replica.httpPort ?? this.ports.dtrHttp;
  }

  /** The demo serves plain HTTP only; this is the number reported, nothing listens on it. */
  httpsPort(replica: DemoReplica): number {
    const http = this.httpPort(replica);
    return http < 65535 ? http + 1 : 443;
  }

  /** What settings report as `dtrHost`: the first DTR node, standing in for a load balancer. */
  get dtrHost(): string {
    return `${this.nodeByHostname.get('dtr-node-1')?.address ?? '127.0.2.1'}:${this.ports.dtrHttp}`;
  }

  memberKind(target: string): DemoMemberKind | undefined {
    if (this.replica(target)) return 'replica';
    const node = this.nodeByHostname.get(target);
    if (!node) return undefined;
    return node.tier === 'manager' ? 'manager' : node.tier === 'cache' ? 'cache' : 'worker';
  }

  // --- Faults --------------------------------------------------------------

  faultOf(target: string): FaultKind {
    return this.faults.get(target)?.kind ?? 'none';
  }

  fault(target: string): ActiveFault | undefined {
    return this.faults.get(target);
  }

  /** Sets a member's fault; a DTR node's hostname sets it on the node and its replica. */
  setFault(target: string, kind: FaultKind): void {
    if (!isFaultKind(kind)) {
      const expected = FAULT_KINDS.join(', ');
      throw new DemoInputError(
        'UNKNOWN_FAULT',
        `Unknown fault kind "${String(kind)}"; expected one of: ${expected}`,
      );
    }
    const memberKind = this.memberKind(target);
    if (!memberKind) {
      throw new DemoInputError(
        'UNKNOWN_TARGET',
        `No demo member "${target}": use a replica ID or a node hostname`,
      );
    }
    const hosted = memberKind === 'worker' ? this.replicaOnNode(target) : undefined;
    const allowed = FAULTS_BY_MEMBER[hosted ? 'replica' : memberKind];
    if (!allowed.includes(kind)) {
      const accepts = `it accepts: ${allowed.join(', ')}`;
      throw new DemoInputError(
        'FAULT_NOT_APPLICABLE',
        `Fault "${kind}" does not apply to ${memberKind} ${target}; ${accepts}`,
      );
    }
    this.record(target, kind);
    if (hosted) this.record(hosted.id, kind);
    this.touch(this.replica(target)?.node ?? target);
    this.changed();
  }

  /** Back to the initial topology with no faults. Tokens and counters are not this model's. */
  reset(): void {
    this.faults.clear();
    this.replicaList = buildReplicas(this.base);
    this.leaderHostname = this.managerNodes[0]?.hostname ?? null;
    for (const hostname of this.revisions.keys()) this.touch(hostname);
    this.changed();
  }

  private record(target: string, kind: FaultKind): void {
    if (kind === 'none') this.faults.delete(target);
    else if (this.faults.get(target)?.kind !== kind)
      this.faults.set(target, { kind, since: this.clock() });
  }

  // --- UCP -----------------------------------------------------------------

  nodeIsUp(hostname: string): boolean {
    return this.faultOf(hostname) !== 'stop' && !this.nodeGone(hostname);
  }

  /** A node removed from the swarm: the node of a replica with the `ghost` fault. */
  nodeGone(hostname: string): boolean {
    return this.replicaList.some(
      (replica) => replica.node === hostname && this.faultOf(replica.id) === 'ghost',
    );
  }

  /** The member answers, but not the console: its server refuses connections. */
  cutFromConsole(target: string): boolean {
    return this.faultOf(target) === 'partition-from-console';
  }

  ucpHasQuorum(): boolean {
    const reachable = this.managerNodes.filter((node) => this.nodeIsUp(node.hostname)).length;
    return reachable >= majority(this.managerNodes.length);
  }

  get leader(): string | null {
    return this.leaderHostname;
  }

  nodeRevision(hostname: string): NodeRevision {
    return this.revisions.get(hostname) ?? { index: 100, updatedAt: this.createdAt };
  }

  private touch(hostname: string): void {
    if (!this.nodeByHostname.has(hostname)) return;
    this.revisions.set(hostname, {
      index: this.nodeRevision(hostname).index + 1,
      updatedAt: this.clock(),
    });
  }

  /** Raft keeps a reachable leader; without a majority, or with the `no-leader` fault, there is none. */
  private electLeader(): void {
    const stuck = this.managerNodes.some((node) => this.faultOf(node.hostname) === 'no-leader');
    if (!this.ucpHasQuorum() || stuck) this.leaderHostname = null;
    else if (!this.leaderHostname || !this.nodeIsUp(this.leaderHostname)) {
      this.leaderHostname =
        this.managerNodes.find((node) => this.nodeIsUp(node.hostname))?.hostname ?? null;
    }
  }

  // --- DTR -----------------------------------------------------------------

  /** A replica runs unless it or its node is stopped, or its node is gone (a ghost). */
  replicaIsUp(id: string): boolean {
    const replica = this.replica(id);
    const fault = this.faultOf(id);
    return (
      replica !== undefined && fault !== 'stop' && fault !== 'ghost' && this.nodeIsUp(replica.node)
    );
  }

  /** The leftover replica ID listed on `replica`'s node while it has the `twin` fault. */
  twinOf(replica: DemoReplica): string | null {
    if (this.faultOf(replica.id) !== 'twin') return null;
    // The last four hex digits flipped: stable, 12 hex characters, never the replica's own ID.
    const tail = (Number.parseInt(replica.id.slice(8), 16) ^ 0xffff).toString(16).padStart(4, '0');
    return `${replica.id.slice(0, 8)}${tail}`;
  }

  /** When a stopped replica (or its node) stopped; null while it runs. */
  replicaDownSince(id: string): Date | null {
    const stopped = (target: string) => {
      const fault = this.faults.get(target);
      return fault?.kind === 'stop' || fault?.kind === 'ghost' ? fault.since : null;
    };
    const replica = this.replica(id);
    return stopped(id) ?? (replica ? stopped(replica.node) : null);
  }

  // --- Membership primitives (validation lives in membership.ts) -----------

  addReplica(replica: DemoReplica): void {
    this.replicaList = [...this.replicaList, replica];
    this.touch(replica.node);
    this.changed();
  }

  dropReplicas(ids: readonly string[]): void {
    const dropped = new Set(ids);
    for (const replica of this.replicaList) {
      if (dropped.has(replica.id)) this.touch(replica.node);
    }
    this.replicaList = this.replicaList.filter((replica) => !dropped.has(replica.id));
    for (const id of ids) this.faults.delete(id);
    this.changed();
  }

  clearFault(target: string): void {
    this.faults.delete(target);
    this.changed();
  }

  private changed(): void {
    this.electLeader();
    this.version++;
  }
}
