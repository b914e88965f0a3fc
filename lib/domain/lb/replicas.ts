// The replicas a load balancer sends traffic to, validated before any of them is written into a config.
//
// Safety model: a config line is built only from fixed text and values that passed these
// checks (replica IDs of 12 lowercase hex, RFC 1123 host names, IPv4/IPv6 literals, ports).
// None of those alphabets contains a space, quote, `;`, `#`, `{` or a line break, so a hostile
// node name is rejected here and can never add a directive to HAProxy or NGINX.
import { isHostname, REPLICA_ID } from '../commands';
import { LbConfigError, showValue } from './errors';

/** One DTR replica as the generators take it. */
export interface LbReplicaInput {
  id: string;
  /** Host name or IP address of the node the replica runs on. */
  address: string;
  httpPort: number;
  httpsPort: number;
  /** The console's verdict when the config was generated; undefined when unknown. */
  healthy?: boolean;
  /**
   * Left out of the pools, and why: `ghost` (its node is gone from the swarm, so there is no
   * address to send traffic to). The header lists it with a fixed sentence.
   */
  excluded?: LbExcluded['reason'];
}

/** A replica listed in the header but in no pool. */
export interface LbExcluded {
  id: string;
  /** ghost: its node left the swarm; invalid: DTR gave an address, port or ID the console refused. */
  reason: 'ghost' | 'invalid';
}

export type AddressKind = 'hostname' | 'ipv4' | 'ipv6';

/** A replica that passed validation. */
export interface LbReplica {
  id: string;
  address: string;
  addressKind: AddressKind;
  httpPort: number;
  httpsPort: number;
  healthy: boolean | null;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEX_GROUP = /^[0-9A-Fa-f]{1,4}$/;

export function isIpv4(value: string): boolean {
  return IPV4.test(value);
}

/** An IPv6 literal without brackets or zone (`fd00::1`, `::ffff:10.0.0.1`). */
export function isIpv6(value: string): boolean {
  if (value.length > 45 || !value.includes(':')) return false;
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groups = halves.map((half) => (half === '' ? [] : half.split(':')));
  const all = groups.flat();
  // A dotted IPv4 tail is allowed only as the very last group (`::ffff:10.0.0.1`, not `10.0.0.1::`).
  const tailAllowed = halves.length === 1 || halves[1] !== '';
  let count = 0;
  for (const [i, group] of all.entries()) {
    if (tailAllowed && i === all.length - 1 && group.includes('.')) {
      if (!isIpv4(group)) return false;
      count += 2;
    } else if (HEX_GROUP.test(group)) {
      count += 1;
    } else {
      return false;
    }
  }
  return halves.length === 2 ? count <= 7 : count === 8;
}

/** RFC 1123 host name whose last label is not all digits (so `10.0.0.999` is no host name). */
export function isDnsName(value: string): boolean {
  return isHostname(value) && !/^\d+$/.test(value.slice(value.lastIndexOf('.') + 1));
}

export function addressKindOf(address: string): AddressKind | null {
  if (isIpv4(address)) return 'ipv4';
  if (isIpv6(address)) return 'ipv6';
  if (isDnsName(address)) return 'hostname';
  return null;
}

/** `host:port` as HAProxy and NGINX read it: IPv6 in brackets. */
export function endpoint(
  replica: Pick<LbReplica, 'address' | 'addressKind'>,
  port: number,
): string {
  return `${hostForUrl(replica)}:${port}`;
}

/** The host as it appears in a URL or a Host header: IPv6 in brackets. */
export function hostForUrl(replica: Pick<LbReplica, 'address' | 'addressKind'>): string {
  return replica.addressKind === 'ipv6' ? `[${replica.address}]` : replica.address;
}

export function validatePort(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
    throw new LbConfigError(
      field,
      `a port is a whole number from 1 to 65535, got ${showValue(value)}`,
    );
  }
  return value;
}

function validateReplica(input: LbReplicaInput, field: string): LbReplica {
  if (typeof input.id !== 'string' || !REPLICA_ID.test(input.id)) {
    throw new LbConfigError(
      `${field}.id`,
      `a replica ID is 12 lowercase hex characters, got ${showValue(input.id)}`,
    );
  }
  const address = typeof input.address === 'string' ? input.address : '';
  const addressKind = addressKindOf(address);
  if (addressKind === null) {
    throw new LbConfigError(
      `${field}.address`,
      `replica ${input.id}: not a host name (RFC 1123: letters, digits, inner hyphens, dot-separated) or an IPv4/IPv6 address, got ${showValue(input.address)}`,
    );
  }
  const httpPort = validatePort(`${field}.httpPort`, input.httpPort);
  const httpsPort = validatePort(`${field}.httpsPort`, input.httpsPort);
  if (httpPort === httpsPort) {
    throw new LbConfigError(
      `${field}.httpsPort`,
      `replica ${input.id}: HTTP and HTTPS ports must differ, both are ${httpPort}`,
    );
  }
  if (input.healthy !== undefined && typeof input.healthy !== 'boolean') {
    throw new LbConfigError(
      `${field}.healthy`,
      `must be true, false or absent, got ${showValue(input.healthy)}`,
    );
  }
  return {
    id: input.id,
    address,
    addressKind,
    httpPort,
    httpsPort,
    healthy: input.healthy ?? null,
  };
}

/**
 * Validates every replica and returns them sorted by ID, so regenerating after a join or a
 * removal changes only the lines of that replica.
 */
export function validateReplicas(all: readonly LbReplicaInput[]): LbReplica[] {
  const inputs = Array.isArray(all) ? all.filter((r) => r.excluded === undefined) : all;
  if (!Array.isArray(inputs) || inputs.length === 0) {
    throw new LbConfigError(
      'replicas',
      Array.isArray(all) && all.length > 0
        ? 'every replica DTR lists is a ghost (its node is gone from the swarm), so there is nothing to balance'
        : 'no DTR replicas are known, so there is nothing to balance',
    );
  }
  const replicas = inputs.map((input, i) => validateReplica(input, `replicas[${i}]`));
  const ids = new Set<string>();
  const endpoints = new Map<string, string>();
  for (const replica of replicas) {
    if (ids.has(replica.id))
      throw new LbConfigError('replicas', `replica ${replica.id} is listed twice`);
    ids.add(replica.id);
    for (const port of [replica.httpPort, replica.httpsPort]) {
      const key = endpoint(
        { address: replica.address.toLowerCase(), addressKind: replica.addressKind },
        port,
      );
      const other = endpoints.get(key);
      if (other !== undefined) {
        throw new LbConfigError('replicas', `replicas ${other} and ${replica.id} both use ${key}`);
      }
      endpoints.set(key, replica.id);
    }
  }
  return replicas.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The replicas left out of the pools (validated IDs only: nothing else of them is written). */
export function excludedReplicas(inputs: readonly LbReplicaInput[]): LbExcluded[] {
  return inputs.flatMap((input) =>
    input.excluded !== undefined && REPLICA_ID.test(input.id)
      ? [{ id: input.id, reason: input.excluded }]
      : [],
  );
}
