// A signed-in person's role on each cluster of the fleet, as each cluster's own UCP said at
// sign-in: admin, viewer, or none (absent from the map). Pure and client-safe: the proxy, the
// route guards, pages and the browser's user context all decide with these rules.
import { DEFAULT_CLUSTER } from './cluster-path';

export type ClusterRole = 'admin' | 'viewer';

/** Cluster name → role there. A cluster missing from the map is one the person has no access to. */
export type ClusterRoles = Readonly<Record<string, ClusterRole>>;

/**
 * Which cluster a request is decided for: a cluster's name, or null for the console-wide routes of
 * a fleet (the fleet overview, sign-in, /api/fleet), where any role on any cluster lets a person in
 * as a viewer: nothing console-wide needs an administrator.
 */
export type AccessScope = string | null;

/** The role on `scope`: that cluster's, or (console-wide) viewer when there is a role anywhere. */
export function roleIn(roles: ClusterRoles, scope: AccessScope): ClusterRole | null {
  if (scope === null) return Object.keys(roles).length > 0 ? 'viewer' : null;
  return Object.hasOwn(roles, scope) ? (roles[scope] ?? null) : null;
}

/** Whether the person may see `cluster` at all (its row on the fleet overview, its pages). */
export function canSee(roles: ClusterRoles, cluster: string): boolean {
  return roleIn(roles, cluster) !== null;
}

/** What a person without a role on `cluster` is told, by the API (403) and on the pages. */
export function noAccessMessage(cluster: string): string {
  return `You have no access to cluster "${cluster}": your UCP account there did not accept this sign-in, or that cluster's UCP did not answer when you signed in. Sign in again once it answers, or ask that cluster's UCP administrator for an account.`;
}

/** A viewer's refusal, naming the cluster in a fleet (where the same person may be an admin elsewhere). */
export function adminOnlyMessage(cluster: string | null): string {
  return cluster === null || cluster === DEFAULT_CLUSTER
    ? 'Only UCP administrators can do this; you are signed in as a viewer.'
    : `Only UCP administrators of cluster "${cluster}" can do this; you are a viewer there.`;
}

/** "admin on dr, viewer on prod": for the audit log and the sign-in answer. */
export function describeRoles(roles: ClusterRoles): string {
  const parts = Object.entries(roles)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cluster, role]) => `${role} on "${cluster}"`);
  return parts.length > 0 ? parts.join(', ') : 'no role on any cluster';
}

/**
 * The fleet overview's rows a person may see: the clusters where they have a role (all of them with
 * AUTH=off, `roles` null). A cluster without one is left out, figures and name: its rows would
 * tell a stranger how healthy it is. The header still lists every cluster; opening one says why.
 */
export function visibleTo<T extends { name: string }>(
  rows: readonly T[],
  roles: ClusterRoles | null,
): T[] {
  return roles === null ? [...rows] : rows.filter((row) => canSee(roles, row.name));
}
