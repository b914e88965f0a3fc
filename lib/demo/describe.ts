// What the demo cluster is made of right now, for the fault panel, the CLI and tests.
import type { DemoMemberKind, FaultKind } from './faults';
import type { DemoModel } from './model';

export interface DemoMemberDescription {
  /** What `setFault` takes: a replica ID or a node hostname. */
  target: string;
  kind: DemoMemberKind;
  node: string;
  address: string;
  /** Where the member answers HTTP; null for workers, which serve nothing. */
  url: string | null;
  fault: FaultKind;
}

export interface DemoReplicaDescription {
  id: string;
  node: string;
  httpPort: number;
  httpsPort: number;
  url: string;
}

export interface DemoDescription {
  members: DemoMemberDescription[];
  replicas: DemoReplicaDescription[];
  /** Hostname of the UCP leader; null without a manager quorum. */
  leader: string | null;
}

export function describeCluster(model: DemoModel, ucpScheme = 'http'): DemoDescription {
  const { ucpPort, cachePort } = model.options;
  const replicas = model.replicas.map((replica) => {
    const address = model.replicaAddress(replica);
    const httpPort = model.httpPort(replica);
    return {
      id: replica.id,
      node: replica.node,
      address,
      httpPort,
      httpsPort: model.httpsPort(replica),
      url: `http://${address}:${httpPort}`,
    };
  });
  const members: DemoMemberDescription[] = [];
  for (const node of model.nodes) {
    const kind = node.tier === 'manager' ? 'manager' : node.tier === 'cache' ? 'cache' : 'worker';
    const port = kind === 'manager' ? ucpPort : kind === 'cache' ? cachePort : null;
    const scheme = kind === 'manager' ? ucpScheme : 'http';
    const url = port === null ? null : `${scheme}://${node.address}:${port}`;
    members.push({
      target: node.hostname,
      kind,
      node: node.hostname,
      address: node.address,
      url,
      fault: model.faultOf(node.hostname),
    });
  }
  for (const replica of replicas) {
    members.push({
      target: replica.id,
      kind: 'replica',
      node: replica.node,
      address: replica.address,
      url: replica.url,
      fault: model.faultOf(replica.id),
    });
  }
  return {
    members,
    replicas: replicas.map(({ id, node, httpPort, httpsPort, url }) => ({
      id,
      node,
      httpPort,
      httpsPort,
      url,
    })),
    leader: model.leader,
  };
}
