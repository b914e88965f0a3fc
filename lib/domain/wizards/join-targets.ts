// Which UCP nodes can take a new DTR replica, best first: dedicated DTR workers, then application
// workers (possible, but only deliberately), then every other node with the reason it cannot.
import { DEFAULT_ZONE_LABEL } from '../assess/context';
import { isHostname } from '../commands';
import { CACHE_LABEL } from '../placement';
import { DTR_NODE_MINIMUM } from '../sizing/hardware';
import type { ClusterNode, ClusterSnapshot } from '../types';

/**
 * The vendor minimum for a DTR node (sizing/hardware.ts cites it), as the engine reports it: a
 * machine sold with 16 GB reports a little less (firmware and kernel reservations), so memory
 * counts as short only below 90 % of the nominal figure.
 */
export const MIN_MEMORY_BYTES = DTR_NODE_MINIMUM.memoryGb * 1024 ** 3 * 0.9;
export const MIN_NANO_CPUS = DTR_NODE_MINIMUM.vcpus * 1e9;

export interface JoinTarget {
  hostname: string;
  eligible: boolean;
  /** Why the node cannot take a replica; null when eligible. */
  reason: string | null;
  /**
   * What names this eligible worker a dedicated DTR node (`label role=dtr`, `host name`); null
   * for an application worker and for every node that is not eligible.
   */
  dedicatedBy: string | null;
  /** Below the vendor minimum, in words ("has less than the 16 GB …"); eligible nodes only. */
  shortfalls: string[];
  /** Its failure zone (the zone label's value), when it has one. */
  zone: string | null;
  node: ClusterNode;
}

const NODE_STATE_REASON: Record<Exclude<ClusterNode['state'], 'ready'>, string> = {
  down: 'is down',
  unknown: 'is in an unknown state',
  disconnected: 'is disconnected from UCP',
};

function ineligibility(status: ClusterSnapshot, node: ClusterNode): string | null {
  if (node.role === 'manager') return 'is a UCP manager; DTR replicas run on UCP workers';
  const replica = status.dtr.replicas.find((r) => r.node === node.hostname);
  if (replica) return `already runs DTR replica ${replica.id}`;
  if (node.hosts.includes('dtr-replica')) return 'already runs a DTR replica';
  if (node.hosts.includes('dtr-cache') || node.labels[CACHE_LABEL] === 'true')
    return 'hosts a DTR cache';
  if (node.state !== 'ready') return NODE_STATE_REASON[node.state];
  if (node.availability !== 'active')
    return node.availability === 'unknown'
      ? 'has an unknown availability'
      : `is set to ${node.availability}`;
  if (node.os === null) return 'runs an unknown operating system; DTR needs Linux';
  if (node.os.toLowerCase() !== 'linux') return `runs ${node.os}; DTR needs Linux`;
  if (!isHostname(node.hostname)) return 'has a host name that cannot go in a command safely';
  return null;
}

// The convention for a dedicated DTR node, from what UCP's node list shows: a label key or value,
// or the host name, holds `dtr` or `msr` (DTR's later name) as a word of its own, digits after
// it allowed — `dtr=true`, `role=dtr`, `node-role=msr`, `dtr-node-3`, `msr01.example.com`.
// `dtr.cache` marks a cache node, not a DTR one, and a DTR label set to false/no/off/0 says no.
const DTR_WORD = /^(dtr|msr)\d*$/;
const NO = /^(false|no|off|0)$/i;

const namesDtr = (text: string): boolean =>
  text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .some((word) => DTR_WORD.test(word));

/** What names a worker a dedicated DTR node, in words (`label role=dtr`, `host name`); else null. */
export function dedicatedEvidence(node: Pick<ClusterNode, 'hostname' | 'labels'>): string | null {
  const labels = Object.entries(node.labels).sort(([a], [b]) => a.localeCompare(b, 'en'));
  for (const [key, value] of labels) {
    if (key === CACHE_LABEL) continue;
    const shown = value === '' ? `label ${key}` : `label ${key}=${value}`;
    if (namesDtr(key) && !NO.test(value.trim())) return shown;
    if (namesDtr(value)) return shown;
  }
  return namesDtr(node.hostname) ? 'host name' : null;
}

function shortfallsOf(node: ClusterNode): string[] {
  const shortfalls: string[] = [];
  if (node.memoryBytes !== null && node.memoryBytes < MIN_MEMORY_BYTES)
    shortfalls.push(
      `has less than the ${DTR_NODE_MINIMUM.memoryGb} GB of memory DTR needs at minimum`,
    );
  if (node.nanoCpus !== null && node.nanoCpus < MIN_NANO_CPUS)
    shortfalls.push(`has fewer than the ${DTR_NODE_MINIMUM.vcpus} CPUs DTR needs at minimum`);
  return shortfalls;
}

/** Eligible dedicated DTR nodes first, then eligible application workers, then the rest. */
const rank = (t: JoinTarget): number => (!t.eligible ? 2 : t.dedicatedBy === null ? 1 : 0);
const byName = new Intl.Collator('en', { numeric: true }).compare;

/** Every UCP node, best candidates first (then by hostname), each with the reason it is not one. */
export function eligibleJoinTargets(
  status: ClusterSnapshot,
  { zoneLabel = DEFAULT_ZONE_LABEL }: { zoneLabel?: string } = {},
): JoinTarget[] {
  return status.ucp.nodes
    .map((node): JoinTarget => {
      const reason = ineligibility(status, node);
      const eligible = reason === null;
      return {
        hostname: node.hostname,
        eligible,
        reason,
        dedicatedBy: eligible ? dedicatedEvidence(node) : null,
        shortfalls: eligible ? shortfallsOf(node) : [],
        zone: node.labels[zoneLabel] || null,
        node,
      };
    })
    .sort((a, b) => rank(a) - rank(b) || byName(a.hostname, b.hostname));
}

/** "dedicated DTR node, by its host name", "zone c", "has less than …" for pickers and tables. */
export function targetNotes(target: JoinTarget): string[] {
  const by = target.dedicatedBy === 'host name' ? 'its host name' : target.dedicatedBy;
  return [
    ...(by !== null ? [`dedicated DTR node, by ${by}`] : []),
    ...(target.zone !== null ? [`zone ${target.zone}`] : []),
    ...target.shortfalls,
  ];
}
