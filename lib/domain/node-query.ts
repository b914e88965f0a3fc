// The nodes page's filters and sort as they live in the URL: parsed leniently (a bad value is
// ignored with a notice, never an error page) and written back canonically (defaults left out).
// No zod here: the overview and the nodes page load this module, and zod would add its 28 kB
// (gzip) to their first load.
import type { HostedRole, NodeAvailability, NodeRole, NodeState } from './types';

export const SORT_KEYS = [
  'hostname',
  'role',
  'availability',
  'state',
  'manager',
  'engine',
  'resources',
  'zone',
  'hosts',
  'what-if',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';
export type HostsFilter = HostedRole | 'none';

export const ROLES = ['manager', 'worker'] as const satisfies readonly NodeRole[];
export const STATES = [
  'ready',
  'down',
  'unknown',
  'disconnected',
] as const satisfies readonly NodeState[];
export const AVAILABILITIES = [
  'active',
  'pause',
  'drain',
  'unknown',
] as const satisfies readonly NodeAvailability[];
export const HOSTS = [
  'dtr-replica',
  'ucp-manager',
  'dtr-cache',
  'none',
] as const satisfies readonly HostsFilter[];

export interface NodeQuery {
  q: string;
  role: NodeRole | null;
  state: NodeState | null;
  availability: NodeAvailability | null;
  zone: string | null;
  hosts: HostsFilter | null;
  /** Any other node label, `key=value` in the URL (warnings link with it). */
  label: { key: string; value: string } | null;
  sort: SortKey;
  dir: SortDir;
  /** Node to highlight (warnings link with it); not a filter. */
  node: string | null;
}

export const DEFAULT_QUERY: NodeQuery = {
  q: '',
  role: null,
  state: null,
  availability: null,
  zone: null,
  hosts: null,
  label: null,
  sort: 'hostname',
  dir: 'asc',
  node: null,
};

const MAX_TEXT = 253;

interface Reader {
  get(name: string): string | null;
}

function choice<T extends string>(
  params: Reader,
  name: string,
  allowed: readonly T[],
  notices: string[],
): T | null {
  const raw = params.get(name);
  if (raw === null || raw === '') return null;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  notices.push(`Ignored ${name}=${short(raw)}: ${name} is one of ${allowed.join(', ')}.`);
  return null;
}

function text(params: Reader, name: string, notices: string[]): string | null {
  const raw = params.get(name)?.trim() ?? '';
  if (raw === '') return null;
  if (raw.length > MAX_TEXT) {
    notices.push(`Ignored ${name}: longer than ${MAX_TEXT} characters.`);
    return null;
  }
  return raw;
}

const short = (value: string) => (value.length > 40 ? `${value.slice(0, 40)}…` : value);

/**
 * The query from URL search params. `zoneLabel` turns `label=<zoneLabel>=b` (how zone warnings
 * link) into the zone filter.
 */
export function parseNodeQuery(
  params: Reader,
  zoneLabel: string,
): { query: NodeQuery; notices: string[] } {
  const notices: string[] = [];
  const query: NodeQuery = {
    ...DEFAULT_QUERY,
    q: text(params, 'q', notices) ?? '',
    role: choice(params, 'role', ROLES, notices),
    state: choice(params, 'state', STATES, notices),
    availability: choice(params, 'availability', AVAILABILITIES, notices),
    zone: text(params, 'zone', notices),
    hosts: choice(params, 'hosts', HOSTS, notices),
    sort: choice(params, 'sort', SORT_KEYS, notices) ?? DEFAULT_QUERY.sort,
    dir: choice(params, 'dir', ['asc', 'desc'] as const, notices) ?? DEFAULT_QUERY.dir,
    node: text(params, 'node', notices),
  };
  const label = text(params, 'label', notices);
  if (label !== null) {
    const at = label.indexOf('=');
    const key = at > 0 ? label.slice(0, at) : '';
    const value = at > 0 ? label.slice(at + 1) : '';
    if (!key || !value) {
      notices.push(`Ignored label=${short(label)}: write it as key=value.`);
    } else if (key === zoneLabel && query.zone === null) {
      query.zone = value;
    } else if (key !== zoneLabel) {
      query.label = { key, value };
    }
  }
  return { query, notices };
}

/** The canonical search string for a query ("" for the defaults), parameters in a fixed order. */
export function nodeQueryString(query: NodeQuery): string {
  const params = new URLSearchParams();
  const set = (name: string, value: string | null) => {
    if (value) params.set(name, value);
  };
  set('q', query.q.trim());
  set('role', query.role);
  set('state', query.state);
  set('availability', query.availability);
  set('zone', query.zone);
  set('hosts', query.hosts);
  set('label', query.label && `${query.label.key}=${query.label.value}`);
  if (query.sort !== DEFAULT_QUERY.sort || query.dir !== DEFAULT_QUERY.dir) {
    set('sort', query.sort);
    set('dir', query.dir);
  }
  set('node', query.node);
  const search = params.toString();
  return search ? `?${search}` : '';
}

/** True when any filter (not the sort, not the highlight) is set. */
export function isFiltered(query: NodeQuery): boolean {
  return Boolean(
    query.q.trim() ||
    query.role ||
    query.state ||
    query.availability ||
    query.zone ||
    query.hosts ||
    query.label,
  );
}
